"""The pair page: both people side by side, whose turn it is, sessions, goals, ledger, asks.

It lives in feedback because most of what it shows is feedback's (goals, the ledger,
asks, reflections, the balance); pairing supplies the sides, the sessions and the role
plan. ``pair_page`` runs a fixed number of queries, however many sessions the pair has.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import dateformat, timezone

from feedback.models import Goal, PairRetrospective
from feedback.selectors.balance import pair_balance
from feedback.selectors.sessions import (
    SessionRow,
    Side,
    reflected_sessions,
    session_rows,
    viewer_sides,
)
from feedback.selectors.workspace import (
    AskBoard,
    LedgerSummary,
    ask_board,
    ledger_summary,
    retrospectives,
)
from pairing.alternation import NextRoles, PastSession, RolePlan, StripEntry, role_plan
from pairing.models import MentoringSession, Pair
from pairing.permissions import private_notes_of
from pairing.selectors.my_pairs import end_reason_for
from pairing.selectors.sessions import sessions_with_roles
from pairing.selectors.sides import first_mentor_side
from programmes.models import Participant, Programme

PAST_ON_PAIR_PAGE = 5  # the pair page lists the latest few; the session list has them all
UPCOMING_ON_PAIR_PAGE = 5  # and the next few coming up
STRIP_ON_PAIR_PAGE = 24  # the role strip draws the latest turns; the balance counts them all
AWAITING_SHOWN = 3  # "you have not reflected on …" names the latest few held sessions
DEFAULT_MINUTES = 60  # the length of a session when none is scheduled yet

MENTOR_PROMPTS = (
    ("Hold them accountable", "Ask what they committed to last time and what happened."),
    ("Encourage", "Say what they did well since you last met, and why it mattered."),
    (
        "Give direct, specific feedback",
        "What you saw, its effect, and what you suggest: kindly and plainly.",
    ),
    ("Challenge", "Ask the question they are avoiding, or stretch the goal a little further."),
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
    plan: RolePlan, *, sides: list[Side], me: Side, mode: str, minutes: int, goals: list[Goal]
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


# --- the page ------------------------------------------------------------------------------
@dataclass
class PairWorkspace:
    """Sides, turns and sessions of the pair page (the template's ``ws``)."""

    pair: Pair
    programme: Programme
    me: Side
    sides: list[Side]
    plan: RolePlan
    turn: Turn
    strip: list[StripItem]
    upcoming: list[SessionRow]  # the next UPCOMING_ON_PAIR_PAGE
    upcoming_total: int
    past: list[SessionRow]  # the latest PAST_ON_PAIR_PAGE
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
        return self.past_total + self.upcoming_total

    @property
    def live(self) -> bool:
        return self.pair.status in Pair.LIVE_STATUSES

    @property
    def balance_rows(self) -> list[Side]:
        return self.sides


def pair_workspace(*, pair: Pair, me: Participant, now: dt.datetime | None = None) -> PairWorkspace:
    """Everything the pair page shows about sides, turns and sessions (fixed query count)."""
    now = now or timezone.now()
    programme = pair.cohort.programme
    sides = viewer_sides(pair=pair, me=me)
    goals = list(Goal.objects.filter(pair=pair).order_by("status", "due_on", "pk"))
    for side in sides:
        side.goals = [g for g in goals if g.owner_id == side.participant.pk]
    my_side = next(s for s in sides if s.is_me)
    sessions = list(sessions_with_roles(pair=pair))
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
    next_up = upcoming[:UPCOMING_ON_PAIR_PAGE]
    shown = next_up + list(reversed(past[-PAST_ON_PAIR_PAGE:]))
    held_ids = [s.pk for s in past if s.status == MentoringSession.Status.HELD]
    notes = private_notes_of(me=me, session_ids=[s.pk for s in shown])
    reflected = reflected_sessions(me=me, session_ids=held_ids)
    rows = session_rows(shown, sides=sides, notes=notes, reflected=reflected, now=now)
    by_id = {s.participant.pk: s for s in sides}
    drawn = list(zip(plan.strip, past, strict=True))[-STRIP_ON_PAIR_PAGE:]
    strip = [
        StripItem(entry=entry, session=session, mentors=[sides[i] for i in entry.mentor_sides])
        for entry, session in drawn
    ]
    minutes = upcoming[0].planned_minutes if upcoming else DEFAULT_MINUTES
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
    ][-AWAITING_SHOWN:]
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
        upcoming=rows[: len(next_up)],
        upcoming_total=len(upcoming),
        past=rows[len(next_up) :],
        past_total=len(past),
        awaiting_reflection=awaiting,
    )


@dataclass
class PairPage:
    """The whole pair page for one member."""

    workspace: PairWorkspace
    ledger: LedgerSummary
    asks: AskBoard
    can_ask: bool  # the junior side of a live reverse pair sees the four questions
    retrospectives: list[PairRetrospective]
    balance: dict[str, Any] | None  # the stored per-side balance (None before the first run)
    end_reason: str


def pair_page(*, pair: Pair, me: Participant) -> PairPage:
    """The pair page for ``me`` (a member, checked by ``pair_get_for_member``)."""
    workspace = pair_workspace(pair=pair, me=me)
    asks = ask_board(pair=pair, sides=[s.participant for s in workspace.sides])
    ledger = ledger_summary(pair=pair, me=me)
    for side in workspace.sides:
        side.items_received = ledger.received_by(side.participant)
    return PairPage(
        workspace=workspace,
        ledger=ledger,
        asks=asks,
        can_ask=asks.enabled and asks.is_junior(me) and workspace.live,
        retrospectives=retrospectives(pair=pair),
        balance=pair_balance(pair=pair, viewer=me),
        end_reason=end_reason_for(pair=pair, viewer=me),
    )
