"""Pairing's notification kinds: "session_upcoming" and the pair emails' kinds.

**Upcoming session** (``session_upcoming``, default 24 h and 1 h before): to each member
of a live pair with an account, for each scheduled session, naming who mentors this time
(the planned mentor stored on the session) and the prompt for the reader's role, in the
reader's own time zone, with the session's ``.ics`` attached and a link to the session.

The Due's ``due_at`` is ``scheduled_start - offset``, so a rescheduled session gets new
reminders (a new key); the old ones render to None (skipped) because the context keeps the
start they were planned for. Cancelled sessions, ended pairs and sessions that already
started render to None too.

The pair emails (``pair_published``, ``pair_ended_partner``, ``pair_ended_admin``) have no
scan: ``pairing.services.pair_emails`` sends them with ``delivery_send_now``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone

from mentoring.links import site_base_url
from mentoring.notifications.registry import (
    Due,
    Kind,
    RenderedMessage,
    memo_put,
    memoised,
    register,
    timing_for,
)
from pairing.models import MentoringSession, Pair
from programmes.models import Programme

if TYPE_CHECKING:
    from mentoring.notifications.models import Delivery

CODE = "session_upcoming"
SCAN_CHUNK = 1000

MENTOR_PROMPT = (
    "Hold them accountable: ask what they committed to last time and what happened. "
    "Then give direct, specific feedback: what you saw, its effect, what you suggest."
)
MENTEE_PROMPT = (
    "Bring one goal you want help with, and ask your partner how they do the thing you "
    "most admire in them."
)
BOTH_PROMPT = (
    "You both mentor, in two halves: in yours, hold your partner accountable and give "
    "direct feedback; in theirs, bring a goal and ask."
)
FLUID_PROMPT = "Roles go by topic: whoever knows the topic best leads it."


def _scan(now: dt.datetime) -> Iterator[Due]:
    """Each member's reminder for every live pair's scheduled session whose reminder time
    (start - offset) has come and whose start has not: per programme and offset, one
    indexed range query on (status, scheduled_start), streamed."""
    programmes = Programme.objects.exclude(status=Programme.Status.DRAFT).values_list(
        "pk", flat=True
    )
    for programme_id in programmes.iterator():
        enabled, offsets = timing_for(programme_id, CODE)
        if not enabled:
            continue
        # Each session is in one window at a time, its most imminent reminder's: a
        # session booked 10 hours ahead gets the 1-hour reminder, not a late "24 hours".
        ordered = sorted({h for h in offsets if h > 0})
        for index, hours in enumerate(ordered):
            closer = ordered[index - 1] if index else 0
            # due_at = start - hours <= now  <=>  start <= now + hours.
            low, high = now + dt.timedelta(hours=closer), now + dt.timedelta(hours=hours)
            rows = (
                MentoringSession.objects.filter(
                    status=MentoringSession.Status.SCHEDULED,
                    scheduled_start__gt=low,
                    scheduled_start__lte=high,
                    pair__cohort__programme_id=programme_id,
                    pair__status__in=Pair.LIVE_STATUSES,
                    pair__members__current=True,
                    pair__members__participant__user__isnull=False,
                )
                .values_list(
                    "pk",
                    "scheduled_start",
                    "created_at",
                    "pair__members__participant_id",
                    "pair__members__participant__user_id",
                )
                .order_by()
            )
            for session_id, start, created, participant_id, user_id in rows.iterator(SCAN_CHUNK):
                due_at = start - dt.timedelta(hours=hours)
                if due_at < created:
                    continue  # booked after that reminder's time: booking it was the reminder
                yield Due(
                    recipient_id=user_id,
                    object_key=f"session:{session_id}",
                    due_at=due_at,
                    programme_id=programme_id,
                    context={
                        "participant_id": participant_id,
                        "hours": hours,
                        "start": start.isoformat(),
                    },
                )


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ValueError, KeyError):
        return ZoneInfo("UTC")


def when_local(moment: dt.datetime, zone_name: str) -> str:
    """ "Tue 1 Dec 2026, 14:00 CET": the time as its reader reads it, zone named."""
    at = timezone.localtime(moment, _zone(zone_name))
    return f"{at:%a} {at.day} {at:%b %Y, %H:%M} {at.tzname()}"


def _in_words(delta: dt.timedelta) -> str:
    """ "in 24 hours", "in 55 minutes": how far the session is when the mail goes out."""
    minutes = max(1, round(delta.total_seconds() / 60))
    if minutes < 55:
        return "in 1 minute" if minutes == 1 else f"in {minutes} minutes"
    if minutes < 90:
        return "in 1 hour"
    hours = round(minutes / 60)
    if hours < 48:
        return f"in {hours} hours"
    return f"in {round(hours / 24)} days"


def _session_and_sides(session_ids: list[int]) -> dict[int, tuple[MentoringSession | None, list]]:
    """The sessions and their pairs' members (former ones too), in seat order (two queries)."""
    from pairing.selectors.sessions import sessions_with_seats

    return {
        pk: (session, [seat.participant for seat in seated])
        for pk, (session, seated) in sessions_with_seats(session_ids).items()
    }


def _session_id(object_key: str) -> int | None:
    prefix, _, value = object_key.partition(":")
    return int(value) if prefix == "session" and value.isdigit() else None


def _prefetch(object_keys: list[str]) -> None:
    """The send batch's sessions and their pairs' seats: two queries in all, whatever the
    number of sessions, kept where ``_render`` looks (``(None, [])`` for a missing one)."""
    ids = [i for i in map(_session_id, object_keys) if i is not None]
    if ids:
        for session_id, found in _session_and_sides(ids).items():
            memo_put((CODE, session_id), found)


def _render(delivery: Delivery) -> RenderedMessage | None:
    from pairing.selectors.slots import participant_time_zone
    from pairing.services.calendar import CalendarEvent, calendar_text

    context = delivery.context or {}
    session_id = int(delivery.object_key.split(":", 1)[1])
    # Read once per send batch, for all its sessions (``_prefetch``); on its own outside one.
    session, sides = memoised(
        (CODE, session_id), lambda: _session_and_sides([session_id])[session_id]
    )
    if (
        session is None
        or session.status != MentoringSession.Status.SCHEDULED
        or session.pair.status not in Pair.LIVE_STATUSES
        or session.scheduled_start.isoformat() != context.get("start")
        or session.scheduled_start <= timezone.now()
    ):
        return None  # cancelled, rescheduled (its new time has its own reminders), too late
    me = next((p for p in sides if p.pk == context.get("participant_id")), None)
    if me is None or me.user_id != delivery.recipient_id:
        return None  # no longer in the pair
    programme = session.pair.cohort.programme
    partners = [p for p in sides if p.pk != me.pk]
    mode = programme.alternation
    mentor = next((p for p in sides if p.pk == session.planned_mentor_id), None)
    if mode == Programme.Alternation.SPLIT:
        role, prompt = "both", BOTH_PROMPT
    elif mode == Programme.Alternation.FLUID:
        role, prompt = "fluid", FLUID_PROMPT
    elif mentor is None:
        role, prompt = "unknown", "Agree at the start who mentors this time."
    elif mentor.pk == me.pk:
        role, prompt = "mentor", MENTOR_PROMPT
    else:
        role, prompt = "mentee", MENTEE_PROMPT
    zone = participant_time_zone(me)
    link = site_base_url() + session.get_absolute_url()
    names = " and ".join(p.first_name or p.display_name for p in partners)
    when = when_local(session.scheduled_start, zone)
    soon = _in_words(session.scheduled_start - timezone.now())
    values = {
        "me": me,
        "partners": [
            {
                "name": p.display_name,
                "when": when_local(session.scheduled_start, participant_time_zone(p)),
            }
            for p in partners
        ],
        "programme": programme,
        "session": session,
        "when": when,
        "soon": soon,
        "role": role,
        "mentor": mentor,
        "prompt": prompt,
        "link": link,
        "minutes": session.planned_minutes,
    }
    subject = f"Mentoring session with {names} {soon}: {when}"
    ics = calendar_text(
        [CalendarEvent(session=session, sides=sides, mode=mode, url=link)],
        name="Mentoring session",
    )
    return RenderedMessage(
        subject=subject,
        text=render_to_string("emails/reminders/session_upcoming.txt", values),
        html=render_to_string("emails/reminders/session_upcoming.html", values),
        link=link,
        attachments=[(f"session-{session.pk}.ics", ics.encode(), "text/calendar")],
    )


SESSION_UPCOMING = Kind(
    code=CODE,
    label="Upcoming session reminders",
    description="24 hours and 1 hour before each session: who mentors this time, with the "
    "calendar invitation.",
    default_offsets=(24, 1),
    scan=_scan,
    render=_render,
    prefetch=_prefetch,
)

# The pair emails: sent by pairing.services.pair_emails, never planned by a scan.
PAIR_KINDS = (
    Kind(
        code="pair_published",
        label="You have been paired",
        can_unsubscribe=False,
        description="When your pair is published: who your partner is.",
    ),
    Kind(
        code="pair_ended_partner",
        label="Your pair has ended",
        can_unsubscribe=False,
        description="When your partner ends the pair early.",
    ),
    Kind(
        code="pair_ended_admin",
        label="A pair of your programme ended early",
        can_unsubscribe=False,
        audience="admin",
        description="To the programme's admins, with the reason given.",
    ),
)


def reminders_register() -> None:
    register(SESSION_UPCOMING)
    for kind in PAIR_KINDS:
        register(kind)
