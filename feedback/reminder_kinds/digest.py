"""``admin_digest``: each programme's week, mailed to its admins on Monday morning in
their own time zone: flags raised since the last digest (stalled, lopsided, one-way,
unconfirmed items), invitations pending, sessions held in the seven days before.

The digest shows names, flags and counts only: no reflection text, no rating, no note.
What was flagged is kept in the delivery's ``context`` (pair ids per flag) when it is
sent, so the next digest can say which flags are *new*. Every digest runs the same few
queries, however many pairs the programme has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.urls import reverse
from django.utils import timezone

from feedback.models import PairMetric
from feedback.selectors.metrics import FLAGS, any_flag_open_q, flag_open_q
from mentoring.notifications.models import Delivery
from mentoring.notifications.registry import Due, Kind, RenderedMessage, kind_get
from pairing.models import MentoringSession, Pair, PairMember
from programmes.models import Invitation, Participant, Programme, ProgrammeRole
from programmes.reminder_kinds.common import (
    absolute,
    local,
    programme_offsets,
    reminder_message,
    reminding_programmes,
    when_text,
)

CODE = "admin_digest"
WEEK = dt.timedelta(days=7)


def digest_due(now: dt.datetime, zone_name: str, offset_hours: int) -> dt.datetime:
    """The latest digest time not after ``now``: Monday 00:00 in ``zone_name`` plus
    ``offset_hours`` (08:00 by default), as an aware UTC instant. Built from the local
    wall clock, so it stays 08:00 across a daylight-saving change."""
    here = local(now, zone_name)
    monday = (here - dt.timedelta(days=here.weekday())).date()
    for weeks_back in range(3):
        day = monday - dt.timedelta(weeks=weeks_back)
        wall = dt.datetime.combine(day, dt.time()) + dt.timedelta(hours=offset_hours)
        due = wall.replace(tzinfo=here.tzinfo).astimezone(dt.UTC)
        if due <= now:
            return due
    return due


def digest_scan(now: dt.datetime) -> Iterator[Due]:
    """Two queries in all: the programmes, then their admins (with their zones)."""
    look_back = dt.timedelta(hours=kind_get(CODE).look_back_hours)
    offsets = {}
    for programme in reminding_programmes():
        if found := programme_offsets(programme, CODE):
            offsets[programme.pk] = found
    admins = (
        ProgrammeRole.objects.filter(
            role=ProgrammeRole.Role.ADMIN, programme_id__in=offsets, user__is_active=True
        )
        .values_list("programme_id", "user_id", "user__time_zone")
        .order_by("programme_id", "user_id")
    )
    for programme_id, user_id, zone in admins:
        for hours in offsets[programme_id]:
            due = digest_due(now, zone, hours)
            if due > now - look_back:
                yield Due(
                    recipient_id=user_id,
                    object_key=f"programme:{programme_id}",
                    due_at=due,
                    programme_id=programme_id,
                    context={"programme_id": programme_id},
                )


def _flagged(programme: Programme, *, now: dt.datetime) -> dict[str, list[int]]:
    """Pair ids per open flag among the programme's live pairs: raised by the stored
    metrics and not snoozed by an admin at ``now`` (one query)."""
    open_flags = {
        f"open_{key}": ExpressionWrapper(
            flag_open_q(key, now=now, metric="", pair="pair_id"), output_field=BooleanField()
        )
        for key in FLAGS
    }
    rows = (
        PairMetric.objects.filter(
            pair__cohort__programme=programme, pair__status__in=Pair.LIVE_STATUSES
        )
        .filter(any_flag_open_q(now=now, metric="", pair="pair_id"))
        .annotate(**open_flags)
        .values_list("pair_id", *open_flags)
        .order_by("pair_id")
    )
    flagged: dict[str, list[int]] = {key: [] for key in FLAGS}
    for pair_id, *raised in rows:
        for key, on in zip(FLAGS, raised, strict=True):
            if on:
                flagged[key].append(pair_id)
    return flagged


def _pair_names(pair_ids: set[int]) -> dict[int, str]:
    """ "Ada Lovelace & Ben Okri" per pair (one query)."""
    names: dict[int, list[str]] = {}
    seats = (
        PairMember.objects.filter(pair_id__in=pair_ids, current=True)
        .select_related("participant")
        .only(
            "pair_id",
            "position",
            "participant__first_name",
            "participant__last_name",
            "participant__email",
        )
        .order_by("pair_id", "position")
    )
    for seat in seats:
        names.setdefault(seat.pair_id, []).append(seat.participant.display_name)
    return {pair_id: " & ".join(people) for pair_id, people in names.items()}


def _previous_flags(delivery: Delivery) -> dict[str, list[int]] | None:
    """What the programme's last digest (to anyone) listed; None before the first one."""
    previous = (
        Delivery.objects.filter(
            kind=CODE,
            object_key=delivery.object_key,
            status=Delivery.Status.SENT,
            due_at__lt=delivery.due_at,
        )
        .exclude(pk=delivery.pk)
        .order_by("-due_at", "-pk")
        .values_list("context", flat=True)
        .first()
    )
    if previous is None or "flags" not in previous:
        return None
    return previous["flags"]


def digest_facts(*, programme: Programme, delivery: Delivery) -> dict:
    """Everything the digest says, in a constant number of queries (five)."""
    week_end = delivery.due_at
    week_start = week_end - WEEK
    flagged = _flagged(programme, now=timezone.now())
    before = _previous_flags(delivery)
    new = {
        key: [p for p in ids if before is None or p not in set(before.get(key, []))]
        for key, ids in flagged.items()
    }
    names = _pair_names({p for ids in new.values() for p in ids})
    invitations = Invitation.objects.filter(
        cohort__programme=programme, accepted_at__isnull=True
    ).exclude(participant__status=Participant.Status.WITHDRAWN)
    invited = invitations.aggregate(
        waiting=Count("pk", filter=Q(sent_at__isnull=False, expires_at__gt=timezone.now())),
        expired=Count("pk", filter=Q(sent_at__isnull=False, expires_at__lte=timezone.now())),
        unsent=Count("pk", filter=Q(sent_at__isnull=True)),
    )
    held = MentoringSession.objects.filter(
        pair__cohort__programme=programme,
        status=MentoringSession.Status.HELD,
        scheduled_start__gte=week_start,
        scheduled_start__lt=week_end,
    ).count()
    return {
        "flags": flagged,
        "new_flags": [
            {
                "key": key,
                "label": FLAGS[key][0],
                "explanation": FLAGS[key][1].rstrip(".").lower(),
                "pairs": [names.get(p, f"Pair {p}") for p in ids],
                "total": len(flagged[key]),
            }
            for key, ids in new.items()
        ],
        "first_digest": before is None,
        "invitations": invited,
        "sessions_held": held,
        "week_start": week_start,
        "week_end": week_end,
    }


def digest_render(delivery: Delivery) -> RenderedMessage | None:
    """None when the recipient is no longer an admin of the programme, or it closed."""
    user = delivery.recipient
    programme = Programme.objects.filter(
        pk=delivery.context.get("programme_id"),
        roles__user=user,
        roles__role=ProgrammeRole.Role.ADMIN,
    ).first()
    if user is None or programme is None or programme.status == Programme.Status.CLOSED:
        return None
    facts = digest_facts(programme=programme, delivery=delivery)
    # Kept with the row (the send saves other fields only): the next digest's "new".
    delivery.context = {**delivery.context, "flags": facts["flags"]}
    Delivery.objects.filter(pk=delivery.pk).update(context=delivery.context)
    zone = user.time_zone
    new_count = sum(len(group["pairs"]) for group in facts["new_flags"])
    link = absolute(reverse("feedback:pair_health", kwargs={"slug": programme.slug})) + "?flag=any"
    return reminder_message(
        code=CODE,
        subject=f"{programme.name}: your week — {new_count} new flag{'s' if new_count != 1 else ''}, "
        f"{facts['sessions_held']} session{'s' if facts['sessions_held'] != 1 else ''} held",
        link=link,
        zone_name=zone,
        context={
            **facts,
            "programme": programme,
            "admin": user,
            "since": when_text(facts["week_start"], zone),
            "until": when_text(facts["week_end"], zone),
        },
    )


KIND = Kind(
    code=CODE,
    label="Weekly programme digests",
    description="Mondays, this many hours after midnight in each admin's own time zone "
    "(8h: 08:00): new flags, pending invitations, sessions held.",
    default_offsets=(8,),
    scan=digest_scan,
    render=digest_render,
    audience="admin",
    look_back_hours=24,
)
