"""The plain rows the chart builders take (the selectors fill them from the database)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

LIVE = ("published", "active")
COMPLETED = "completed"
ENDED_EARLY = "ended_early"


@dataclass(frozen=True)
class PersonFacts:
    """One participant: how far they got (their latest pair shown to them, if any)."""

    participant_id: int
    cohort: str
    enrolled: bool  # accepted the invitation (or was paired)
    pair_status: str | None = None  # "published", "active", "completed", "ended_early"
    active: bool = False  # in a live pair with a held session within the cadence


@dataclass(frozen=True)
class PairFacts:
    pair_id: int
    members: int = 2
    status: str = "active"
    days_to_first_session: int | None = None
    cadence_adherence: float | None = None  # 0–1
    role_balance: float | None = None  # 0–1
    reciprocity_index: float | None = None  # 0–1
    has_metric: bool = False
    stalled: bool = False
    lopsided: bool = False
    one_way: bool = False


@dataclass(frozen=True)
class MonthFacts:
    month: dt.date
    pairs_live: int
    people_live: int
    sessions_held: int
    pairs_met: int


@dataclass(frozen=True)
class SurveyChange:
    """One participant's baseline and end answers (1–5), by score name."""

    participant_id: int
    baseline: dict[str, int] = field(default_factory=dict)
    end: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class OutcomePerson:
    """A participant who took part, and what happened in the period."""

    participant_id: int
    left: bool = False
    promoted: bool = False


@dataclass(frozen=True)
class ComparisonTotals:
    headcount: int = 0
    leavers: int = 0
    promotions: int = 0
