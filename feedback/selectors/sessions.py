"""The pair's sessions as one member sees them: the sides, session rows, the session page.

Pairing supplies the session data (``pairing.selectors``: sides, sessions with roles, the
viewer's own private notes); this module adds the reflection facts, which are
feedback's: whether I reflected, what my partner chose to share. Every function runs a
fixed number of queries, however many sessions the pair has.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from feedback.models import Reflection
from pairing.alternation import SIDE_CSS
from pairing.models import MentoringSession, Pair, SessionLogRevision, SessionRole, Topic
from pairing.permissions import log_is_editable, private_notes_of
from pairing.selectors.sessions import session_revisions, session_with_roles
from pairing.selectors.sides import pair_sides
from programmes.models import Participant

SIDE_LETTERS = ("A", "B", "C")
TOPIC_LABELS = dict(Topic.choices)
ROLE_LABELS = dict(SessionRole.choices)


# --- sides ---------------------------------------------------------------------------------
@dataclass
class Side:
    """One person of the pair as the workspace pages show them."""

    participant: Participant
    index: int
    is_me: bool
    offers: list[str] = field(default_factory=list)
    wants: list[str] = field(default_factory=list)
    goals: list[Any] = field(default_factory=list)  # their goals (the pair page)
    mentor_turns: int = 0
    items_received: int = 0  # confirmed ledger items (the pair page)

    @property
    def css(self) -> str:
        return SIDE_CSS[self.index] if self.index < len(SIDE_CSS) else "side-c"

    @property
    def letter(self) -> str:
        return SIDE_LETTERS[self.index] if self.index < len(SIDE_LETTERS) else str(self.index + 1)

    @property
    def name(self) -> str:
        return self.participant.display_name

    @property
    def first_name(self) -> str:
        return self.participant.first_name or self.participant.display_name

    @property
    def initials(self) -> str:
        p = self.participant
        letters = f"{p.first_name[:1]}{p.last_name[:1]}".upper()
        return letters or p.email[:1].upper()

    @property
    def time_zone(self) -> str:
        """The zone this person sees times in (their account's, else their profile's)."""
        user = self.participant.user
        return user.time_zone if user is not None else self.participant.time_zone


def viewer_sides(*, pair: Pair, me: Participant) -> list[Side]:
    """The pair's members by seat with their accounts and skills (three queries)."""
    return [
        Side(
            participant=p,
            index=i,
            is_me=p.pk == me.pk,
            offers=[s.name for s in p.skills_offered.all()],
            wants=[s.name for s in p.skills_wanted.all()],
        )
        for i, p in enumerate(pair_sides(pair=pair, users=True, skills=True))
    ]


# --- session rows --------------------------------------------------------------------------
@dataclass
class SessionRow:
    """A session as one member sees it (their own private note only)."""

    session: MentoringSession
    roles: list[tuple[Side, str]]  # (side, role label) as logged
    planned_mentor: Side | None
    topics: list[str]
    topic_leads: list[tuple[str, Side]]
    my_note: str | None
    my_reflection: bool
    editable: bool
    started: bool = False  # the scheduled time has come: it can be logged

    @property
    def is_upcoming(self) -> bool:
        return self.session.status == MentoringSession.Status.SCHEDULED


def session_rows(
    sessions: list[MentoringSession],
    *,
    sides: list[Side],
    notes: dict[int, str],
    reflected: set[int],
    now: dt.datetime,
) -> list[SessionRow]:
    """Rows for ``sessions`` (loaded with their roles); no query."""
    by_id = {s.participant.pk: s for s in sides}
    rows = []
    for session in sessions:
        parts = sorted(
            session.participations.all(),
            key=lambda p: by_id[p.participant_id].index if p.participant_id in by_id else 99,
        )
        rows.append(
            SessionRow(
                session=session,
                roles=[
                    (by_id[p.participant_id], ROLE_LABELS.get(p.role, p.role))
                    for p in parts
                    if p.participant_id in by_id
                ],
                planned_mentor=by_id.get(session.planned_mentor_id),
                topics=[TOPIC_LABELS.get(t, t) for t in session.topics],
                topic_leads=[
                    (TOPIC_LABELS.get(t, t), by_id[int(pid)])
                    for t, pid in session.topic_leads.items()
                    if int(pid) in by_id
                ],
                my_note=notes.get(session.pk),
                my_reflection=session.pk in reflected,
                editable=session.status != MentoringSession.Status.SCHEDULED
                and log_is_editable(session, now=now),
                started=session.scheduled_start <= now,
            )
        )
    return rows


def reflected_sessions(*, me: Participant, session_ids: list[int]) -> set[int]:
    """Which of these sessions the viewer has reflected on (one query)."""
    return set(
        Reflection.objects.filter(author=me, session_id__in=session_ids).values_list(
            "session_id", flat=True
        )
    )


# --- the session list and the session page -------------------------------------------------
def session_list_rows(
    *, pair: Pair, me: Participant, sessions: list[MentoringSession]
) -> list[SessionRow]:
    """Rows for one page of the full session list (the viewer's own notes only)."""
    ids = [s.pk for s in sessions]
    return session_rows(
        sessions,
        sides=viewer_sides(pair=pair, me=me),
        notes=private_notes_of(me=me, session_ids=ids),
        reflected=reflected_sessions(me=me, session_ids=ids),
        now=timezone.now(),
    )


@dataclass
class SessionPage:
    row: SessionRow
    sides: list[Side]
    me: Side
    revisions: list[SessionLogRevision]
    partner_reflections: list[Reflection]  # shared reflections of the other side(s)
    mine: Reflection | None


def session_page(*, session: MentoringSession, me: Participant) -> SessionPage:
    """One session page: roles, shared notes, history, my note, shared reflections."""
    sides = viewer_sides(pair=session.pair, me=me)
    session = session_with_roles(session=session)
    notes = private_notes_of(me=me, session_ids=[session.pk])
    reflections = list(Reflection.objects.filter(session=session))
    mine = next((r for r in reflections if r.author_id == me.pk), None)
    shared = [r for r in reflections if r.author_id != me.pk and r.share_with_partner]
    by_id = {s.participant.pk: s for s in sides}
    for r in shared:
        r.side = by_id.get(r.author_id)
    row = session_rows(
        [session],
        sides=sides,
        notes=notes,
        reflected={session.pk} if mine else set(),
        now=timezone.now(),
    )[0]
    return SessionPage(
        row=row,
        sides=sides,
        me=next(s for s in sides if s.is_me),
        revisions=session_revisions(session=session),
        partner_reflections=shared,
        mine=mine,
    )
