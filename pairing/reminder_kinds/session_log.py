"""``session_log``: "log your session", 24 h after a scheduled session nobody logged, and
once more at 72 h (the programme's offsets), to each current member of the live pair."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.urls import reverse

from mentoring.notifications.registry import Due, Kind, RenderedMessage, memo_put, memoised
from pairing.models import MentoringSession, Pair, PairMember
from pairing.selectors.sessions import sessions_with_seats
from programmes.reminder_kinds.common import (
    SCAN_CHUNK,
    absolute,
    reminder_message,
    when_text,
    windows,
)

if TYPE_CHECKING:
    from mentoring.notifications.models import Delivery

CODE = "session_log"


def session_log_scan(now: dt.datetime) -> Iterator[Due]:
    """One query per programme and offset, on the (status, scheduled_start) index."""
    for window in windows(code=CODE, now=now):
        seats = (
            PairMember.objects.filter(
                current=True,
                participant__user__isnull=False,
                pair__status__in=Pair.LIVE_STATUSES,
                pair__cohort__programme_id=window.programme_id,
                pair__sessions__status=MentoringSession.Status.SCHEDULED,
                pair__sessions__logged_at__isnull=True,
                pair__sessions__scheduled_start__gt=window.low,
                pair__sessions__scheduled_start__lte=window.high,
            )
            .values_list(
                "participant__user_id", "pair__sessions__pk", "pair__sessions__scheduled_start"
            )
            .order_by()
        )
        for user_id, session_id, start in seats.iterator(chunk_size=SCAN_CHUNK):
            yield Due(
                recipient_id=user_id,
                object_key=f"session:{session_id}",
                due_at=start + window.offset,
                programme_id=window.programme_id,
                context={"session_id": session_id, "nth": window.nth},
            )


def session_log_prefetch(object_keys: list[str]) -> None:
    """The send batch's sessions and current seats, read once for all its rows."""
    ids = {int(key.split(":", 1)[1]) for key in object_keys if key.startswith("session:")}
    if not ids:
        return
    for pk, found in sessions_with_seats(ids, current_only=True).items():
        memo_put((CODE, pk), found)


def session_log_render(delivery: Delivery) -> RenderedMessage | None:
    """None (skipped) once the session is logged, cancelled or its pair ended, or when the
    recipient no longer sits in the pair."""
    session_id = int(delivery.context.get("session_id") or 0)
    session, seats = memoised(
        (CODE, session_id),
        lambda: sessions_with_seats([session_id], current_only=True)[session_id],
    )
    if (
        session is None
        or delivery.recipient_id is None
        or session.status != MentoringSession.Status.SCHEDULED
        or session.logged_at is not None
        or session.pair.status not in Pair.LIVE_STATUSES
    ):
        return None
    me = next((s for s in seats if s.participant.user_id == delivery.recipient_id), None)
    if me is None:
        return None
    user = me.participant.user
    partners = [seat.participant for seat in seats if seat.pk != me.pk]
    zone = user.time_zone
    when = when_text(session.scheduled_start, zone)
    second = int(delivery.context.get("nth", 1)) > 1
    subject = f"{'Second reminder: log' if second else 'Log'} your session of {when}"
    link = absolute(reverse("pairing:session_log", kwargs={"session_id": session.pk}))
    return reminder_message(
        code=CODE,
        subject=subject,
        link=link,
        zone_name=zone,
        context={
            "me": me.participant,
            "partners": partners,
            "session": session,
            "programme": session.pair.cohort.programme,
            "when": when,
            "second": second,
        },
    )


KIND = Kind(
    code=CODE,
    label="Session log reminders",
    description="24 hours after a session nobody has logged yet, and once more at 72 hours.",
    default_offsets=(24, 72),
    scan=session_log_scan,
    render=session_log_render,
    prefetch=session_log_prefetch,
)
