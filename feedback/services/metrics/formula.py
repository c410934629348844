"""The metrics formula: pure Python, no Django, no queries (README.md ("Per-side benefit") states it).

Per side: normalised components and a benefit score. Per pair: role balance, the
reciprocity index and the health flags. tests/feedback/test_metrics_formula.py checks
the worked examples of README.md ("Per-side benefit") by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import combinations

# --- constants of the formula (README.md ("Per-side benefit")) ------------------------------------------
# Half-saturation points of the absolute (benefit score) scale: this much of a thing
# scores 0.5, twice as much 0.67, and so on, never above 1.
LEDGER_HALF_ITEMS = 3  # confirmed ledger items received
MENTEE_HALF_MINUTES = 300  # minutes spent as mentee (five hours)
OUTCOME_HALF_COUNT = 1  # positive career outcomes (promotion, role change)
# Smoothing of the count comparisons in the reciprocity index: (a − b) / (a + b + 1),
# so 1 item against 0 is a clear lean (0.5), not "everything" (1.0).
COUNT_SMOOTHING = 1
STALLED_FACTOR = 1.5  # a live pair is stalled after cadence × 1.5 without a held session
UNCONFIRMED_AFTER = timedelta(days=14)
ONE_WAY_AFTER_SESSIONS = 3
# Outcome events (promotion, role change, pay rise) are imported by HR and admins
# (``feedback.imports``), so the outcome weight takes part in both formulas. A programme
# that sets its outcome weight to 0 leaves outcomes out (``BenefitWeights.counted``).
OUTCOMES_TRACKED = True


@dataclass(frozen=True)
class BenefitWeights:
    """How much each kind of benefit counts (programme settings, 0–10 each)."""

    learning: float = 2
    goals: float = 2
    ledger: float = 4
    mentee_time: float = 1
    outcomes: float = 3
    outcomes_tracked: bool = OUTCOMES_TRACKED

    def counted(self) -> dict[str, float]:
        """The weights that take part (outcomes unless ``outcomes_tracked`` is off)."""
        weights = {
            "learning": float(self.learning),
            "goals": float(self.goals),
            "ledger": float(self.ledger),
            "mentee_time": float(self.mentee_time),
        }
        if self.outcomes_tracked:
            weights["outcomes"] = float(self.outcomes)
        return weights


@dataclass
class SideFigures:
    """One side's raw figures in one pair (what ``SideMetric`` stores, minus the score)."""

    participant_id: int
    position: int = 0
    sessions_as_mentor: int = 0
    minutes_as_mentor: int = 0
    sessions_as_mentee: int = 0
    minutes_as_mentee: int = 0
    learned_mean: float | None = None  # 1–5
    challenged_mean: float | None = None
    listened_mean: float | None = None
    power_shared_mean: float | None = None
    goal_progress_mean: float | None = None  # 0–100
    goals_achieved: int = 0
    items_received: int = 0
    items_given: int = 0
    items_received_by_kind: dict[str, int] = field(default_factory=dict)
    items_given_by_kind: dict[str, int] = field(default_factory=dict)
    # Positive outcomes by kind (promotion, role_change, pay_change with a rise), recorded
    # on or after the cohort's start (``feedback.services.outcomes.events``).
    outcomes: dict[str, int] = field(default_factory=dict)

    @property
    def outcome_count(self) -> int:
        return sum(self.outcomes.values())


def _saturating(value: float, half: float) -> float:
    return value / (value + half) if value > 0 else 0.0


def side_components(side: SideFigures) -> dict[str, float]:
    """The side's normalised components, each 0–1 on an absolute scale.

    learning = (mean "learned" rating − 1) / 4; goals = mean progress / 100 (achieved
    goals count as 100); ledger, mentee time and outcomes saturate: x / (x + half).
    A side with no reflections or no goals scores 0 on that component.
    """
    return {
        "learning": 0.0 if side.learned_mean is None else (side.learned_mean - 1) / 4,
        "goals": 0.0 if side.goal_progress_mean is None else side.goal_progress_mean / 100,
        "ledger": _saturating(side.items_received, LEDGER_HALF_ITEMS),
        "mentee_time": _saturating(side.minutes_as_mentee, MENTEE_HALF_MINUTES),
        "outcomes": _saturating(side.outcome_count, OUTCOME_HALF_COUNT),
    }


def benefit_score(side: SideFigures, weights: BenefitWeights) -> float:
    """0–1: the weighted mean of the side's components (how much this side got)."""
    counted = weights.counted()
    total = sum(counted.values())
    if total == 0:
        return 0.0
    components = side_components(side)
    return sum(w * components[k] for k, w in counted.items()) / total


def _count_lean(a: float, b: float) -> float:
    """−1…1: how far a count leans to side a, smoothed so tiny counts lean gently."""
    return (a - b) / (a + b + COUNT_SMOOTHING)


def component_leans(a: SideFigures, b: SideFigures) -> dict[str, float]:
    """Per kind of benefit, −1…1: positive when side ``a`` got more of it than ``b``.

    Ratings and goals (bounded scales) compare as a difference, and only when both
    sides have data: a side that has not reflected yet has not learned "nothing".
    Counts (ledger items, mentee minutes, outcomes) compare as a smoothed share.
    """
    ca, cb = side_components(a), side_components(b)
    both_reflected = a.learned_mean is not None and b.learned_mean is not None
    both_have_goals = a.goal_progress_mean is not None and b.goal_progress_mean is not None
    return {
        "learning": ca["learning"] - cb["learning"] if both_reflected else 0.0,
        "goals": ca["goals"] - cb["goals"] if both_have_goals else 0.0,
        "ledger": _count_lean(a.items_received, b.items_received),
        "mentee_time": _count_lean(a.minutes_as_mentee, b.minutes_as_mentee),
        "outcomes": _count_lean(a.outcome_count, b.outcome_count),
    }


def reciprocity_between(a: SideFigures, b: SideFigures, weights: BenefitWeights) -> float | None:
    """0–1, 1 = both sides benefit equally, 0 = one side gets everything.

    net = Σ_k (w_k / w_max) · lean_k; index = 1 − min(1, |net|). Each kind of benefit
    pulls towards the side that got more of it; the heaviest kind alone can pull the
    index to 0; lighter kinds pull in proportion to their weight; opposite pulls offset
    (sponsorship one way and learning the other is an exchange, not a lopsided pair).
    ``None`` when every weight is 0 (nothing is measured).
    """
    counted = weights.counted()
    heaviest = max(counted.values(), default=0)
    if heaviest == 0:
        return None
    leans = component_leans(a, b)
    net = sum(w / heaviest * leans[k] for k, w in counted.items())
    return 1.0 - min(1.0, abs(net))


def reciprocity_index(sides: Sequence[SideFigures], weights: BenefitWeights) -> float | None:
    """The pair's index: the most lopsided of its two-side comparisons (trios have three)."""
    values = [reciprocity_between(a, b, weights) for a, b in combinations(sides, 2)]
    values = [v for v in values if v is not None]
    return min(values) if values else None


def role_balance(sides: Sequence[SideFigures]) -> float | None:
    """0–1: min/max of the sides' minutes as mentor; ``None`` before anyone has mentored."""
    minutes = [side.minutes_as_mentor for side in sides]
    if len(minutes) < 2 or max(minutes) == 0:
        return None
    return min(minutes) / max(minutes)


@dataclass(frozen=True)
class PairContext:
    """What the flags need to know about the pair and its programme."""

    pair_id: int
    live: bool  # published or active: only live pairs can stall
    published_at: datetime | None
    created_at: datetime
    cadence_days: int
    reciprocity_threshold: float
    weights: BenefitWeights


@dataclass
class PairFigures:
    """Pair-level inputs: held sessions and stale ledger items."""

    sessions_held: int = 0
    last_session_at: datetime | None = None
    unconfirmed_items: int = 0


@dataclass(frozen=True)
class PairResult:
    role_balance: float | None
    reciprocity_index: float | None
    stalled: bool
    lopsided: bool
    one_way: bool
    benefit_scores: dict[int, float]  # participant id → 0–1


def pair_assess(
    *, context: PairContext, figures: PairFigures, sides: Sequence[SideFigures], now: datetime
) -> PairResult:
    """Scores and flags of one pair. Role balance and the index need a held session."""
    held = figures.sessions_held > 0
    balance = role_balance(sides) if held else None
    index = reciprocity_index(sides, context.weights) if held else None
    since = figures.last_session_at or context.published_at or context.created_at
    stalled = context.live and now - since > timedelta(days=context.cadence_days * STALLED_FACTOR)
    return PairResult(
        role_balance=balance,
        reciprocity_index=index,
        stalled=stalled,
        lopsided=index is not None and index < context.reciprocity_threshold,
        one_way=figures.sessions_held >= ONE_WAY_AFTER_SESSIONS
        and any(side.sessions_as_mentor == 0 for side in sides),
        benefit_scores={s.participant_id: benefit_score(s, context.weights) for s in sides},
    )
