"""Whose turn is it? Role alternation as a pure function (no Django, no database).

A pair's sides are numbered by seat: 0 = side A, 1 = side B, 2 = the third member of
a trio. Given the programme's alternation mode, the side that mentors first and the
pair's past sessions in order, :func:`role_plan` answers three questions:

- the roles of the next session (one mentor side, both roles, or fluid);
- the role history strip: who actually mentored in each past session;
- the balance so far: held sessions in which each side actually mentored.

Rules:

- ``alternate``: the mentor role moves to the next side after every *held* session;
  cancelled and no-show sessions do not count. The k-th held session (0-based) is
  planned for side ``(first_mentor + k) % sides``.
- ``split``: both roles in every session, in two halves; the side that mentors in the
  first half alternates the same way, so neither side always goes first.
- ``fluid``: no plan; the pair records per topic who led.

The balance counts what actually happened (the roles recorded in each log), not the
plan: a side that played "both" counts one mentor turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Mode = Literal["alternate", "split", "fluid"]
Status = Literal["scheduled", "held", "cancelled", "no_show"]
Role = Literal["mentor", "mentee", "both"]

ALTERNATE: Mode = "alternate"
SPLIT: Mode = "split"
FLUID: Mode = "fluid"
HELD: Status = "held"
MENTOR_ROLES = frozenset({"mentor", "both"})


@dataclass(frozen=True)
class PastSession:
    """One session as far as alternation cares.

    ``roles`` maps a side index to the role that side actually played; it is empty
    for sessions that were not held (or held but not yet given roles).
    """

    status: Status
    roles: dict[int, Role]


@dataclass(frozen=True)
class NextRoles:
    """The roles of the next session.

    - alternate: ``mentor_side`` is the side whose turn it is to mentor;
    - split: ``both`` is true and ``first_half_mentor_side`` mentors in the first half;
    - fluid: ``fluid`` is true; nobody is planned.
    """

    mode: Mode
    mentor_side: int | None = None
    both: bool = False
    first_half_mentor_side: int | None = None
    fluid: bool = False

    def role_of(self, side: int) -> Role | None:
        """The planned role of ``side`` (None in fluid mode: the pair decides per topic)."""
        if self.fluid:
            return None
        if self.both:
            return "both"
        return "mentor" if side == self.mentor_side else "mentee"


@dataclass(frozen=True)
class StripEntry:
    """One past session on the role history strip.

    ``mentor_sides`` lists the sides that actually mentored (empty when the session
    was not held). ``planned_side`` is the side whose turn it was (alternate mode only).
    ``css`` is the strip's CSS class: ``side-a``, ``side-b``, ``side-c``, ``both``
    (more than one side mentored) or ``none`` (not held, or no mentor recorded).
    """

    number: int
    status: Status
    mentor_sides: tuple[int, ...]
    planned_side: int | None
    css: str

    @property
    def held(self) -> bool:
        return self.status == HELD

    @property
    def followed_plan(self) -> bool | None:
        """For a held session in alternate mode: did the planned side mentor (alone)?"""
        if not self.held or self.planned_side is None:
            return None
        return self.mentor_sides == (self.planned_side,)


@dataclass(frozen=True)
class RolePlan:
    next: NextRoles
    strip: tuple[StripEntry, ...]
    balance: tuple[int, ...]  # mentor turns per side, from the roles actually played
    held: int  # held sessions so far

    @property
    def lead(self) -> int:
        """How many mentor turns the busiest side is ahead of the least busy one."""
        return max(self.balance) - min(self.balance) if self.balance else 0


SIDE_CSS = ("side-a", "side-b", "side-c")


def role_plan(
    *, mode: Mode, first_mentor_side: int, sessions: Sequence[PastSession], sides: int = 2
) -> RolePlan:
    """The next session's roles, the history strip and the balance.

    ``sessions``: the pair's past sessions (held, cancelled, no-show) in the order they
    were scheduled; scheduled ones are ignored. ``first_mentor_side``: set when the pair
    was published (0 if unknown). ``sides``: 2, or 3 for a trio.
    """
    if sides < 2:
        raise ValueError("A pair has at least two sides.")
    if not 0 <= first_mentor_side < sides:
        first_mentor_side = 0
    balance = [0] * sides
    strip: list[StripEntry] = []
    held = 0
    for session in sessions:
        if session.status == "scheduled":
            continue
        planned = (first_mentor_side + held) % sides if mode == ALTERNATE else None
        mentor_sides: tuple[int, ...] = ()
        if session.status == HELD:
            mentor_sides = tuple(
                sorted(
                    side
                    for side, role in session.roles.items()
                    if role in MENTOR_ROLES and 0 <= side < sides
                )
            )
            for side in mentor_sides:
                balance[side] += 1
            held += 1
        strip.append(
            StripEntry(
                number=len(strip) + 1,
                status=session.status,
                mentor_sides=mentor_sides,
                planned_side=planned,
                css=_css(mentor_sides),
            )
        )
    return RolePlan(
        next=next_roles(mode=mode, first_mentor_side=first_mentor_side, held=held, sides=sides),
        strip=tuple(strip),
        balance=tuple(balance),
        held=held,
    )


def next_roles(*, mode: Mode, first_mentor_side: int, held: int, sides: int = 2) -> NextRoles:
    """The roles of the session after ``held`` held sessions."""
    if sides < 2:
        raise ValueError("A pair has at least two sides.")
    turn = (first_mentor_side + held) % sides
    if mode == SPLIT:
        return NextRoles(mode=mode, both=True, first_half_mentor_side=turn)
    if mode == FLUID:
        return NextRoles(mode=mode, fluid=True)
    return NextRoles(mode=ALTERNATE, mentor_side=turn)


def planned_mentor_sides(
    *, mode: Mode, first_mentor_side: int, held: int, upcoming: int, sides: int = 2
) -> list[int | None]:
    """The planned mentor side of each of ``upcoming`` scheduled sessions, in order.

    Assumes each is held in turn (alternate mode); None for split and fluid sessions,
    which have no single mentor.
    """
    if mode != ALTERNATE:
        return [None] * upcoming
    return [(first_mentor_side + held + i) % sides for i in range(upcoming)]


def _css(mentor_sides: tuple[int, ...]) -> str:
    if not mentor_sides:
        return "none"
    if len(mentor_sides) > 1:
        return "both"
    return SIDE_CSS[mentor_sides[0]] if mentor_sides[0] < len(SIDE_CSS) else "none"
