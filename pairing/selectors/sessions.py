"""Reads of a pair's sessions with the roles each side played (fixed query counts).

``shared_notes`` is included: these are for the pair's own members. Private notes are not
read here (``pairing.permissions.private_notes_of`` reads the viewer's own only).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from pairing.models import (
    MentoringSession,
    Pair,
    PairMember,
    SessionLogRevision,
    SessionParticipation,
)
from pairing.selectors.sides import seat_queryset

REVISIONS_SHOWN = 20  # the session page lists the latest edits of its log


def sessions_with_roles(*, pair: Pair) -> QuerySet[MentoringSession]:
    """A pair's sessions in order (oldest first), with roles (two queries)."""
    return (
        MentoringSession.objects.filter(pair=pair)
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=SessionParticipation.objects.only("session_id", "participant_id", "role"),
            )
        )
        .order_by("scheduled_start", "pk")
    )


def sessions_with_seats(
    session_ids: Iterable[int], *, current_only: bool = False
) -> dict[int, tuple[MentoringSession | None, list[PairMember]]]:
    """Each session (with its pair, cohort, programme and planned mentor) and its pair's
    seats in seat order, with the members' accounts: two queries, whatever the number of
    sessions (a send batch of reminders). A missing session maps to ``(None, [])``;
    ``current_only`` leaves out the seats of former members."""
    ids = set(session_ids)
    sessions = {
        session.pk: session
        for session in MentoringSession.objects.select_related(
            "pair__cohort__programme", "planned_mentor"
        ).filter(pk__in=ids)
    }
    seated = seat_queryset(users=True).filter(pair__in={s.pair_id for s in sessions.values()})
    if current_only:
        seated = seated.filter(current=True)
    by_pair: dict[int, list[PairMember]] = {}
    for seat in seated:
        by_pair.setdefault(seat.pair_id, []).append(seat)
    return {
        pk: (sessions[pk], by_pair.get(sessions[pk].pair_id, [])) if pk in sessions else (None, [])
        for pk in ids
    }


def pair_sessions_queryset(*, pair: Pair) -> QuerySet[MentoringSession]:
    """All of a pair's sessions, latest first (for the paginated list)."""
    return sessions_with_roles(pair=pair).order_by("-scheduled_start", "-pk")


def session_with_roles(*, session: MentoringSession) -> MentoringSession:
    """``session`` read again with its roles (two queries), for its own page."""
    return sessions_with_roles(pair=session.pair).get(pk=session.pk)


def session_revisions(*, session: MentoringSession) -> list[SessionLogRevision]:
    """The latest edits of the session's shared log, newest first, with their editors."""
    return list(session.revisions.select_related("edited_by")[:REVISIONS_SHOWN])
