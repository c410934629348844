"""Reads for the pair's workspace: the pair page, session pages, calendars, nav and home.

Every function here runs a fixed number of queries, however many sessions the pair
has. Private notes are read only with ``author=me``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet
from django.utils import dateformat, timezone

from pairing.alternation import (
    SIDE_CSS,
    NextRoles,
    PastSession,
    RolePlan,
    StripEntry,
    role_plan,
)
from pairing.models import (
    MentoringSession,
    Pair,
    PairMember,
    PrivateNote,
    SessionLogRevision,
    SessionParticipation,
    SessionRole,
    Topic,
)
from pairing.services.sessions import first_mentor_side, log_is_editable
from programmes.models import Participant, Programme

if TYPE_CHECKING:
    from mentoring.models import User

PAST_ON_PAIR_PAGE = 5  # the pair page lists the latest few; the session list has them all
VISIBLE_STATUSES = (
    Pair.Status.PUBLISHED,
    Pair.Status.ACTIVE,
    Pair.Status.COMPLETED,
    Pair.Status.ENDED_EARLY,
)
SIDE_LETTERS = ("A", "B", "C")
TOPIC_LABELS = dict(Topic.choices)
ROLE_LABELS = dict(SessionRole.choices)

MENTOR_PROMPTS = (
    ("Hold them accountable", "Ask what they committed to last time and what happened."),
    ("Encourage", "Say what they did well since you last met, and why it mattered."),
    (
        "Give direct, specific feedback",
        "What you saw, its effect, and what you suggest: kindly and plainly.",
    ),
    ("Challenge", "Ask the question they are avoiding, or stretch the goal a little further."),
)


# --- sides ---------------------------------------------------------------------------------
@dataclass
class Side:
    """One person of the pair as the workspace shows them."""

    participant: Participant
    index: int
    is_me: bool
    offers: list[str] = field(default_factory=list)
    wants: list[str] = field(default_factory=list)
    goals: list[Any] = field(default_factory=list)
    mentor_turns: int = 0
    items_received: int = 0  # confirmed ledger items (set by the page from the ledger)

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


def pair_sides_for_page(*, pair: Pair, me: Participant) -> list[Side]:
    """The pair's members by seat with their skills (three queries)."""
    members = (
        PairMember.objects.filter(pair=pair)
        .select_related("participant__user")
        .prefetch_related("participant__skills_offered", "participant__skills_wanted")
        .order_by("position")
    )
    return [
        Side(
            participant=m.participant,
            index=i,
            is_me=m.participant_id == me.pk,
            offers=[s.name for s in m.participant.skills_offered.all()],
            wants=[s.name for s in m.participant.skills_wanted.all()],
        )
        for i, m in enumerate(members)
    ]


# --- sessions ------------------------------------------------------------------------------
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


def _session_rows(
    sessions: list[MentoringSession],
    *,
    sides: list[Side],
    notes: dict[int, str],
    reflected: set[int],
    now: dt.datetime,
) -> list[SessionRow]:
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


def _past_sessions_for_plan(
    sessions: list[MentoringSession], sides: list[Side]
) -> list[PastSession]:
    index = {s.participant.pk: s.index for s in sides}
    return [
        PastSession(
            status=s.status,
            roles={
                index[p.participant_id]: p.role
                for p in s.participations.all()
                if p.participant_id in index
            },
        )
        for s in sessions
        if s.status != MentoringSession.Status.SCHEDULED
    ]


def _sessions_with_roles(pair: Pair) -> QuerySet[MentoringSession]:
    """A pair's sessions in order, with roles; ``shared_notes`` included (members only)."""
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


# --- whose turn ----------------------------------------------------------------------------
@dataclass
class Turn:
    """Whose turn it is, for the next session, from the viewer's point of view."""

    next: NextRoles
    mode: str
    mentor: Side | None  # alternate mode
    first_half: Side | None  # split mode: who mentors in the first half
    second_half: Side | None
    my_role: str | None  # "mentor", "mentee", "both" or None (fluid)
    half_minutes: int
    mentor_prompts: tuple[tuple[str, str], ...]
    mentee_prompts: list[tuple[str, str]]

    @property
    def headline(self) -> str:
        if self.mode == Programme.Alternation.SPLIT:
            return "Both of you mentor, in two halves"
        if self.mode == Programme.Alternation.FLUID:
            return "You decide as you go, topic by topic"
        if self.mentor is None:
            return "Agree who mentors first"
        return "Your turn to mentor" if self.mentor.is_me else f"{self.mentor.first_name} mentors"


def _turn(
    plan: RolePlan, *, sides: list[Side], me: Side, mode: str, minutes: int, goals: list[Any]
) -> Turn:
    nxt = plan.next
    mentor = sides[nxt.mentor_side] if nxt.mentor_side is not None else None
    first = sides[nxt.first_half_mentor_side] if nxt.first_half_mentor_side is not None else None
    second = None
    if first is not None:
        second = sides[(first.index + 1) % len(sides)]
    partners = [s for s in sides if not s.is_me]
    my_goal_titles = [
        g.title for g in goals if g.owner_id == me.participant.pk and g.status == "open"
    ]
    bring = (
        f"Pick one to work on: {', '.join(my_goal_titles[:3])}."
        if my_goal_titles
        else "Write down one goal you want help with before you meet."
    )
    mentee_prompts = [("Bring a goal", bring)]
    for partner in partners:
        skills = ", ".join(partner.offers[:3])
        ask = (
            f"Ask {partner.first_name} how they do it: {skills}."
            if skills
            else f"Ask {partner.first_name} for the skill you most admire in them."
        )
        mentee_prompts.append(("Ask for the skill your partner exemplifies", ask))
    return Turn(
        next=nxt,
        mode=mode,
        mentor=mentor,
        first_half=first,
        second_half=second,
        my_role=nxt.role_of(me.index),
        half_minutes=max(minutes // 2, 1),
        mentor_prompts=MENTOR_PROMPTS,
        mentee_prompts=mentee_prompts,
    )


@dataclass
class StripItem:
    """A strip entry with the people in it, and a sentence for screen readers."""

    entry: StripEntry
    session: MentoringSession
    mentors: list[Side]

    @property
    def label(self) -> str:
        when = dateformat.format(timezone.localtime(self.session.scheduled_start), "j M")
        if self.entry.status != MentoringSession.Status.HELD:
            status = self.session.get_status_display().lower()
            return f"Session {self.entry.number}, {when}: {status}, no turn"
        if not self.mentors:
            return f"Session {self.entry.number}, {when}: no mentor recorded"
        names = " and ".join(m.first_name for m in self.mentors)
        return f"Session {self.entry.number}, {when}: {names} mentored"

    @property
    def text(self) -> str:
        if self.entry.status == MentoringSession.Status.CANCELLED:
            return "×"
        if self.entry.status == MentoringSession.Status.NO_SHOW:
            return "–"
        if len(self.mentors) == 1:
            return self.mentors[0].initials
        return "⇄" if self.mentors else "?"


# --- the pair page -------------------------------------------------------------------------
@dataclass
class PairWorkspace:
    pair: Pair
    programme: Programme
    me: Side
    sides: list[Side]
    plan: RolePlan
    turn: Turn
    strip: list[StripItem]
    upcoming: list[SessionRow]
    past: list[SessionRow]
    past_total: int
    awaiting_reflection: list[SessionRow]

    @property
    def partners(self) -> list[Side]:
        return [s for s in self.sides if not s.is_me]

    @property
    def next_session(self) -> SessionRow | None:
        return self.upcoming[0] if self.upcoming else None

    @property
    def session_total(self) -> int:
        return self.past_total + len(self.upcoming)

    @property
    def live(self) -> bool:
        return self.pair.status in Pair.LIVE_STATUSES

    @property
    def balance_rows(self) -> list[Side]:
        return self.sides


def pair_workspace(*, pair: Pair, me: Participant, now: dt.datetime | None = None) -> PairWorkspace:
    """Everything the pair page shows about sides, turns and sessions (fixed query count)."""
    from feedback.models import Goal, Reflection

    now = now or timezone.now()
    programme = pair.cohort.programme
    sides = pair_sides_for_page(pair=pair, me=me)
    goals = list(Goal.objects.filter(pair=pair).order_by("status", "due_on", "pk"))
    for side in sides:
        side.goals = [g for g in goals if g.owner_id == side.participant.pk]
    my_side = next(s for s in sides if s.is_me)
    sessions = list(_sessions_with_roles(pair))
    plan = role_plan(
        mode=programme.alternation,
        first_mentor_side=first_mentor_side(pair=pair, sides=[s.participant for s in sides]),
        sessions=_past_sessions_for_plan(sessions, sides),
        sides=len(sides),
    )
    for side in sides:
        side.mentor_turns = plan.balance[side.index]
    upcoming = [s for s in sessions if s.status == MentoringSession.Status.SCHEDULED]
    past = [s for s in sessions if s.status != MentoringSession.Status.SCHEDULED]
    shown_past = list(reversed(past[-PAST_ON_PAIR_PAGE:]))
    shown = upcoming + shown_past
    held_ids = [s.pk for s in past if s.status == MentoringSession.Status.HELD]
    notes = dict(
        PrivateNote.objects.filter(author=me, session__in=[s.pk for s in shown]).values_list(
            "session_id", "text"
        )
    )
    reflected = set(
        Reflection.objects.filter(author=me, session_id__in=held_ids).values_list(
            "session_id", flat=True
        )
    )
    rows = _session_rows(shown, sides=sides, notes=notes, reflected=reflected, now=now)
    by_id = {s.participant.pk: s for s in sides}
    strip = []
    for entry, session in zip(plan.strip, past, strict=True):
        strip.append(
            StripItem(
                entry=entry,
                session=session,
                mentors=[sides[i] for i in entry.mentor_sides],
            )
        )
    minutes = upcoming[0].planned_minutes if upcoming else 60
    awaiting = [
        SessionRow(
            session=s,
            roles=[],
            planned_mentor=by_id.get(s.planned_mentor_id),
            topics=[],
            topic_leads=[],
            my_note=None,
            my_reflection=False,
            editable=True,
        )
        for s in past
        if s.status == MentoringSession.Status.HELD and s.pk not in reflected
    ][-3:]
    return PairWorkspace(
        pair=pair,
        programme=programme,
        me=my_side,
        sides=sides,
        plan=plan,
        turn=_turn(
            plan, sides=sides, me=my_side, mode=programme.alternation, minutes=minutes, goals=goals
        ),
        strip=strip,
        upcoming=rows[: len(upcoming)],
        past=rows[len(upcoming) :],
        past_total=len(past),
        awaiting_reflection=awaiting,
    )


def pair_sessions_page(
    *, pair: Pair, me: Participant, sessions: list[MentoringSession]
) -> list[SessionRow]:
    """Rows for one page of the full session list (the viewer's own notes only)."""
    from feedback.models import Reflection

    sides = pair_sides_for_page(pair=pair, me=me)
    ids = [s.pk for s in sessions]
    notes = dict(
        PrivateNote.objects.filter(author=me, session__in=ids).values_list("session_id", "text")
    )
    reflected = set(
        Reflection.objects.filter(author=me, session_id__in=ids).values_list(
            "session_id", flat=True
        )
    )
    return _session_rows(
        sessions, sides=sides, notes=notes, reflected=reflected, now=timezone.now()
    )


def pair_sessions_queryset(*, pair: Pair) -> QuerySet[MentoringSession]:
    """All of a pair's sessions, latest first (for the paginated list)."""
    return _sessions_with_roles(pair).order_by("-scheduled_start", "-pk")


@dataclass
class SessionView:
    row: SessionRow
    sides: list[Side]
    me: Side
    revisions: list[SessionLogRevision]
    partner_reflections: list[Any]  # shared reflections of the other side(s)
    mine: Any  # my reflection or None


def session_view(*, session: MentoringSession, pair: Pair, me: Participant) -> SessionView:
    """One session page: roles, shared notes, history, my note, shared reflections."""
    from feedback.models import Reflection

    sides = pair_sides_for_page(pair=pair, me=me)
    session = _sessions_with_roles(pair).get(pk=session.pk)
    text = (
        PrivateNote.objects.filter(session=session, author=me)
        .values_list("text", flat=True)
        .first()
    )
    notes = {session.pk: text} if text is not None else {}
    reflections = list(Reflection.objects.filter(session=session))
    mine = next((r for r in reflections if r.author_id == me.pk), None)
    shared = [r for r in reflections if r.author_id != me.pk and r.share_with_partner]
    by_id = {s.participant.pk: s for s in sides}
    for r in shared:
        r.side = by_id.get(r.author_id)
    row = _session_rows(
        [session],
        sides=sides,
        notes=notes,
        reflected={session.pk} if mine else set(),
        now=timezone.now(),
    )[0]
    revisions = list(session.revisions.select_related("edited_by")[:20])
    return SessionView(
        row=row,
        sides=sides,
        me=next(s for s in sides if s.is_me),
        revisions=revisions,
        partner_reflections=shared,
        mine=mine,
    )


def end_reason_for(*, pair: Pair, viewer: Participant) -> str:
    """The reason a pair was ended early, for the member who ended it; "" for anyone else.

    The end form promises "Your partner is told the pair ended, not your reason": the
    partner's pages show only that it ended. (Admins read the reason on pair health.)
    """
    if pair.status != Pair.Status.ENDED_EARLY or pair.end_requested_by_id != viewer.pk:
        return ""
    return pair.end_reason


# --- the viewer's pairs, nav, home ---------------------------------------------------------
def my_pairs(*, user: User) -> list[dict[str, Any]]:
    """The user's visible pairs with their partners (two queries), latest first."""
    memberships = list(
        PairMember.objects.filter(participant__user=user, pair__status__in=VISIBLE_STATUSES)
        .select_related("pair__cohort__programme")
        .order_by("-pair__published_at", "-pair_id")
    )
    pair_ids = [m.pair_id for m in memberships]
    others = PairMember.objects.filter(pair_id__in=pair_ids).exclude(participant__user=user)
    partners: dict[int, list[Participant]] = {}
    for m in others.select_related("participant").order_by("position"):
        partners.setdefault(m.pair_id, []).append(m.participant)
    return [{"pair": m.pair, "partners": partners.get(m.pair_id, [])} for m in memberships]


@dataclass
class HomeCard:
    pair: Pair
    me: Participant
    partners: list[Participant]
    next_session: MentoringSession | None

    @property
    def my_turn(self) -> bool:
        return self.next_session is not None and self.next_session.planned_mentor_id == self.me.pk


def home_card(*, user: User) -> HomeCard | None:
    """The user's current live pair and its next session (two queries; None if not paired)."""
    members = list(
        PairMember.objects.filter(
            pair__members__participant__user=user,
            pair__members__current=True,
            pair__status__in=Pair.LIVE_STATUSES,
        )
        .select_related("participant", "pair__cohort__programme")
        .order_by("-pair__published_at", "pair_id", "position")
    )
    if not members:
        return None
    pair = members[0].pair
    seats = [m.participant for m in members if m.pair_id == pair.pk]
    me = next(p for p in seats if p.user_id == user.pk)
    next_session = (
        MentoringSession.objects.filter(
            pair=pair,
            status=MentoringSession.Status.SCHEDULED,
            scheduled_start__gte=timezone.now() - dt.timedelta(hours=2),
        )
        .order_by("scheduled_start")
        .first()
    )
    return HomeCard(
        pair=pair,
        me=me,
        partners=[p for p in seats if p.pk != me.pk],
        next_session=next_session,
    )


# --- calendars -----------------------------------------------------------------------------
FEED_PAST_DAYS = 90  # a feed carries recent history and everything ahead


def sessions_for_calendar(*, user: User) -> tuple[list[MentoringSession], dict[int, list]]:
    """The user's sessions across their pairs for a feed, and each pair's members by seat.

    Two queries. Returns (sessions, {pair_id: [Participant, …]}); no notes are selected.
    """
    since = timezone.now() - dt.timedelta(days=FEED_PAST_DAYS)
    sessions = list(
        MentoringSession.objects.filter(
            pair__members__participant__user=user,
            pair__status__in=VISIBLE_STATUSES,
            scheduled_start__gte=since,
        )
        .select_related("pair__cohort__programme")
        .defer("shared_notes")
        .order_by("scheduled_start")
        .distinct()
    )
    pair_ids = {s.pair_id for s in sessions}
    seats: dict[int, list[Participant]] = {}
    for m in (
        PairMember.objects.filter(pair_id__in=pair_ids)
        .select_related("participant")
        .order_by("pair_id", "position")
    ):
        seats.setdefault(m.pair_id, []).append(m.participant)
    return sessions, seats
