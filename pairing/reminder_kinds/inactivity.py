"""``inactivity``: a live pair with no session for the programme's cadence × 1.5 days (the
"stalled" flag's rule), to each member, with a one-click "propose a time" link: the
schedule form, a time already filled in.

The anchor is the pair's latest held or scheduled session (its start), else its
publication: a new session moves the anchor, so each quiet stretch is reminded once per
offset. A programme's ``ReminderSetting`` offsets (hours after the anchor) replace the
default, which depends on the cadence and so is not a fixed number of hours.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import islice
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.db.models import DateTimeField, Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from mentoring.notifications.registry import Due, Kind, RenderedMessage, kind_get, timing_for
from pairing.forms.workspace import DATETIME_INPUT
from pairing.models import MentoringSession, Pair, PairMember
from programmes.reminder_kinds.common import (
    SCAN_CHUNK,
    absolute,
    local,
    reminder_message,
    reminding_programmes,
)

if TYPE_CHECKING:
    from mentoring.notifications.models import Delivery
    from programmes.models import Programme

CODE = "inactivity"
CADENCE_FACTOR = 1.5  # the same "cadence plus 50 %" as the stalled flag
ACTIVE_SESSION = Q(
    sessions__status__in=[MentoringSession.Status.HELD, MentoringSession.Status.SCHEDULED]
)
SUGGESTED_HOUR = 10  # the proposed slot: 10:00 in the reader's zone ...
SUGGESTED_DAYS_AHEAD = 2  # ... two days out, moved to Monday from a weekend


def inactivity_offsets(programme: Programme) -> tuple[int, ...]:
    """Hours after the last session; () when the kind is off for the programme."""
    enabled, offsets = timing_for(programme.pk, CODE)
    if not enabled:
        return ()
    if offsets:
        return tuple(sorted(int(h) for h in offsets))
    return (round(programme.cadence_days * 24 * CADENCE_FACTOR),)


def _anchored_pairs(programme_id: int):
    last = Max("sessions__scheduled_start", filter=ACTIVE_SESSION)
    return (
        Pair.objects.filter(cohort__programme_id=programme_id, status__in=Pair.LIVE_STATUSES)
        .annotate(
            anchor=Greatest(
                Coalesce(last, "published_at", "created_at"),
                Coalesce("published_at", "created_at"),
                output_field=DateTimeField(),
            )
        )
        .order_by()
    )


def inactivity_scan(now: dt.datetime) -> Iterator[Due]:
    """Per programme and offset: the live pairs whose anchor fell in the window (one
    grouped query on the (cohort, status) and (pair, status, scheduled_start) indexes),
    then their members, a chunk of pairs at a time."""
    look_back = dt.timedelta(hours=kind_get(CODE).look_back_hours)
    for programme in reminding_programmes():
        for nth, hours in enumerate(inactivity_offsets(programme), start=1):
            offset = dt.timedelta(hours=hours)
            high = now - offset
            pairs = (
                _anchored_pairs(programme.pk)
                .filter(anchor__gt=high - look_back, anchor__lte=high)
                .values_list("pk", "anchor")
                .iterator(chunk_size=SCAN_CHUNK)
            )
            while chunk := dict(islice(pairs, SCAN_CHUNK)):
                seats = PairMember.objects.filter(
                    pair_id__in=chunk, current=True, participant__user__isnull=False
                ).values_list("pair_id", "participant__user_id")
                for pair_id, user_id in seats:
                    yield Due(
                        recipient_id=user_id,
                        object_key=f"pair:{pair_id}",
                        due_at=chunk[pair_id] + offset,
                        programme_id=programme.pk,
                        context={"pair_id": pair_id, "nth": nth, "hours": hours},
                    )


def suggested_start(now: dt.datetime, zone_name: str) -> dt.datetime:
    """The slot the link proposes, in the reader's zone: two days out at 10:00, a weekday."""
    day = local(now, zone_name) + dt.timedelta(days=SUGGESTED_DAYS_AHEAD)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day.replace(hour=SUGGESTED_HOUR, minute=0, second=0, microsecond=0)


def propose_link(*, pair_id: int, start: dt.datetime, minutes: int) -> str:
    """The schedule form of the pair, ``start`` (local to the reader) and length filled in."""
    path = reverse("pairing:session_schedule", kwargs={"pair_id": pair_id})
    query = urlencode({"start": start.strftime(DATETIME_INPUT), "minutes": minutes})
    return absolute(f"{path}?{query}")


def inactivity_render(delivery: Delivery) -> RenderedMessage | None:
    """None once the pair met (a session after the anchor), ended, or lost the recipient."""
    pair = (
        _anchored_pairs(delivery.programme_id or 0)
        .select_related("cohort__programme")
        .filter(pk=delivery.context.get("pair_id"))
        .first()
    )
    user = delivery.recipient
    hours = int(delivery.context.get("hours", 0))
    if pair is None or user is None or pair.anchor + dt.timedelta(hours=hours) != delivery.due_at:
        return None
    seats = list(PairMember.objects.filter(pair=pair, current=True).select_related("participant"))
    me = next((s.participant for s in seats if s.participant.user_id == user.pk), None)
    if me is None:
        return None
    partners = [s.participant for s in seats if s.participant.pk != me.pk]
    last = (
        MentoringSession.objects.filter(pair=pair, status=MentoringSession.Status.HELD)
        .order_by("-scheduled_start")
        .values_list("scheduled_start", "planned_minutes")
        .first()
    )
    zone = user.time_zone
    start = suggested_start(timezone.now(), zone)
    link = propose_link(pair_id=pair.pk, start=start, minutes=last[1] if last else 60)
    days = max(1, round((timezone.now() - pair.anchor).total_seconds() / 86400))
    names = " and ".join(p.display_name for p in partners) or "your partner"
    return reminder_message(
        code=CODE,
        subject=f"It has been {days} days: propose a time to meet {names}",
        link=link,
        zone_name=zone,
        context={
            "me": me,
            "partners": partners,
            "names": names,
            "programme": pair.cohort.programme,
            "days": days,
            "met_before": last is not None,
            "last_start": last[0] if last else None,
            "suggested": start,
        },
    )


KIND = Kind(
    code=CODE,
    label="Time-to-meet nudges",
    description="When your pair has had no session for 1.5 × the programme's cadence.",
    default_offsets=(),
    scan=inactivity_scan,
    render=inactivity_render,
)
