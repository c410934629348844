"""``reflect``: 48 h after a session was logged as held, to each side that took part and
has not written its reflection yet (the pair page shows the same nudge)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef
from django.urls import reverse

from feedback.models import Reflection
from mentoring.notifications.registry import Due, Kind, RenderedMessage
from pairing.models import MentoringSession, Pair, PairMember, SessionParticipation
from programmes.reminder_kinds.common import (
    SCAN_CHUNK,
    absolute,
    reminder_message,
    when_text,
    windows,
)

if TYPE_CHECKING:
    from mentoring.notifications.models import Delivery

CODE = "reflect"


def _unreflected():
    return SessionParticipation.objects.filter(
        session__status=MentoringSession.Status.HELD,
        session__pair__status__in=Pair.LIVE_STATUSES,
        participant__user__isnull=False,
    ).exclude(
        Exists(
            Reflection.objects.filter(
                session_id=OuterRef("session_id"), author_id=OuterRef("participant_id")
            )
        )
    )


def reflect_scan(now: dt.datetime) -> Iterator[Due]:
    """Per programme and offset: the sides of sessions logged in the window, minus those
    who reflected (an anti-join on the reflection's unique (session, author) index)."""
    for window in windows(code=CODE, now=now):
        sides = (
            _unreflected()
            .filter(
                session__pair__cohort__programme_id=window.programme_id,
                session__logged_at__gt=window.low,
                session__logged_at__lte=window.high,
            )
            .values_list("participant__user_id", "session_id", "session__logged_at")
            .order_by()
        )
        for user_id, session_id, logged_at in sides.iterator(chunk_size=SCAN_CHUNK):
            yield Due(
                recipient_id=user_id,
                object_key=f"session:{session_id}",
                due_at=logged_at + window.offset,
                programme_id=window.programme_id,
                context={"session_id": session_id},
            )


def reflect_render(delivery: Delivery) -> RenderedMessage | None:
    """None once this side reflected, or the session or pair changed state."""
    user = delivery.recipient
    side = (
        _unreflected()
        .filter(session_id=delivery.context.get("session_id"), participant__user=user)
        .select_related("participant", "session__pair__cohort__programme")
        .first()
    )
    if side is None or user is None:
        return None
    session = side.session
    if not PairMember.objects.filter(
        pair=session.pair, current=True, participant=side.participant
    ).exists():
        return None
    zone = user.time_zone
    when = when_text(session.scheduled_start, zone)
    link = absolute(reverse("feedback:reflection", kwargs={"session_id": session.pk}))
    return reminder_message(
        code=CODE,
        subject=f"Two minutes to reflect on your session of {when}",
        link=link,
        zone_name=zone,
        context={
            "me": side.participant,
            "session": session,
            "role": side.get_role_display().lower(),
            "programme": session.pair.cohort.programme,
            "when": when,
        },
    )


KIND = Kind(
    code=CODE,
    label="Reflection reminders",
    description="48 hours after a session was logged, if you have not reflected on it yet.",
    default_offsets=(48,),
    scan=reflect_scan,
    render=reflect_render,
)
