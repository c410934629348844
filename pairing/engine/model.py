"""What the engine takes and returns, its tunable constants, and the hard rules.

Skills, departments, locations and genders are compared as exact strings; ``None`` or a
blank string means "unknown", and an unknown value never earns a diversity bonus nor
triggers a hard rule.

Hard rules (the pair is forbidden: :func:`~pairing.engine.score` returns ``None`` and
:func:`~pairing.engine.match` never forms it, though it keeps a *locked* pair as given,
counting it 0):

- reporting line: ``A.manager_id == B.id`` or ``B.manager_id == A.id``;
- exclusion: ``B.id in A.excluded_ids`` or ``A.id in B.excluded_ids`` (earlier partners,
  opt-outs);
- same department, when ``forbid_same_department`` and both departments are known and equal;
- time-zone gap, when ``max_utc_offset_difference`` is set, both offsets are known and
  ``|A.utc_offset_hours - B.utc_offset_hours| > max_utc_offset_difference``.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from .reasons import Reason, reason_texts

#: Birth years at least this far apart (in years) count as "cross-generation".
GENERATION_GAP_YEARS = 10
#: Pools (people not in locked pairs) of at most this many people are solved exactly by the
#: blossom algorithm: cubic pure Python, about 0.3 s at 120 people on the reference machine.
#: Read at call time (``model.EXACT_POOL_LIMIT``), so a test may lower it to force the
#: heuristic on small pools.
EXACT_POOL_LIMIT = 120
#: Cap on improvement passes over all pairs, so running time stays bounded and deterministic
#: (a wall-clock budget would make the result depend on the machine's speed).
LOCAL_SEARCH_MAX_PASSES = 25

ProgressCallback = Callable[[float], None]


@dataclass(frozen=True)
class Candidate:
    """One person to pair.

    ``offers``/``wants`` are skill names (exact strings). ``birth_year`` is a calendar year,
    ``seniority`` is informational (not scored), ``utc_offset_hours`` is in hours (may be
    fractional, e.g. 5.5). ``excluded_ids`` are ids this person must never be paired with
    (earlier partners, opt-outs); exclusion works both ways.
    """

    id: int
    offers: frozenset[str]
    wants: frozenset[str]
    gender: str | None = None
    birth_year: int | None = None
    department: str | None = None
    location: str | None = None
    seniority: int | None = None
    manager_id: int | None = None
    utc_offset_hours: float | None = None
    excluded_ids: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        # Callers often hold lists or sets: freeze them so a candidate stays hashable and
        # cannot change while the engine reads it. A bare string would silently become a set
        # of characters, so refuse it.
        for name in ("offers", "wants", "excluded_ids"):
            value = getattr(self, name)
            if isinstance(value, str):
                raise TypeError(f"Candidate.{name} must be a collection, not a string")
            object.__setattr__(self, name, frozenset(value))


@dataclass(frozen=True)
class Rules:
    """Weights (any finite float; the usual range is 0–10) and hard rules for a pairing run.

    ``max_utc_offset_difference`` is in hours (``None``: no limit). ``allow_trio`` lets one
    person who would otherwise stay unmatched join an existing pair.
    """

    skill_weight: float = 10
    cross_gender_weight: float = 0
    cross_generation_weight: float = 0
    cross_department_weight: float = 0
    cross_location_weight: float = 0
    forbid_same_department: bool = False
    max_utc_offset_difference: float | None = None
    allow_trio: bool = False

    def __post_init__(self) -> None:
        for name in WEIGHT_FIELDS:
            if not math.isfinite(float(getattr(self, name))):
                raise ValueError(f"Rules.{name} must be a finite number")
        limit = self.max_utc_offset_difference
        if limit is not None and not (math.isfinite(float(limit)) and limit >= 0):
            raise ValueError("Rules.max_utc_offset_difference must be a finite number >= 0")

    @property
    def max_possible_weight(self) -> float:
        """The largest weight a pair can reach: the sum of the positive weights."""
        return math.fsum(max(0.0, float(getattr(self, name))) for name in WEIGHT_FIELDS)


#: The five weighted terms of a pair's score, in the order they are added.
WEIGHT_FIELDS = (
    "skill_weight",
    "cross_gender_weight",
    "cross_generation_weight",
    "cross_department_weight",
    "cross_location_weight",
)


@dataclass(frozen=True)
class Score:
    """How well two people fit: ``weight`` (the objective, same units as the rules' weights),
    ``percent`` (weight as 0–100 % of the best possible) and ``details``, the reasons as facts
    (:class:`~pairing.engine.reasons.Reason`: who gives what); ``reasons`` are their generic
    sentences ("One way only: one offers Python, which the other wants").

    ``demographic_bonus`` is the part of ``weight`` earned by the cross-gender and
    cross-generation terms. The reasons never mention it: they hold no demographic fact, so
    they may be shown to the pair itself.
    """

    weight: float
    percent: int
    details: tuple[Reason, ...] = ()
    demographic_bonus: float = 0.0

    @property
    def reasons(self) -> list[str]:
        return reason_texts(self.details)


@dataclass(frozen=True)
class Matching:
    """Result of :func:`~pairing.engine.match`.

    ``pairs`` are ``(smaller id, larger id)`` sorted, locked pairs included; ``trio`` is
    sorted ids or ``None``; ``unmatched`` is sorted ids, each explained in
    ``unmatched_reasons``. ``total_weight`` is the sum of ``score`` weights over the pairs
    and the trio's three edges (a locked pair that breaks a hard rule counts 0).
    ``upper_bound`` is a proven bound on the best total any pairing could reach (the proof:
    ``pairing/engine/match.py``). ``exact`` says the pool was solved exactly rather than
    heuristically.
    """

    pairs: list[tuple[int, int]]
    trio: tuple[int, int, int] | None
    unmatched: list[int]
    total_weight: float
    upper_bound: float
    unmatched_reasons: dict[int, str] = field(default_factory=dict)
    exact: bool = False

    @property
    def ratio(self) -> float:
        """``total_weight / upper_bound``: 1.0 means provably optimal (1.0 if both are 0)."""
        if self.upper_bound <= 0:
            return 1.0 if self.total_weight >= self.upper_bound else 0.0
        return self.total_weight / self.upper_bound


def known(value: str | None) -> str | None:
    """``None`` for an unknown attribute (``None`` or blank), else the value unchanged."""
    if value is None or not value.strip():
        return None
    return value


def hard_rule_violations(a: Candidate, b: Candidate, rules: Rules) -> list[str]:
    """Names of the hard rules that forbid pairing ``a`` with ``b`` ("same person",
    "reporting line", "earlier partner or opt-out", "same department", "time-zone gap", in
    that order); empty when the pair is allowed. Symmetric in ``a`` and ``b``."""
    broken: list[str] = []
    if a.id == b.id:
        broken.append("same person")
    if a.manager_id == b.id or b.manager_id == a.id:
        broken.append("reporting line")
    if b.id in a.excluded_ids or a.id in b.excluded_ids:
        broken.append("earlier partner or opt-out")
    if rules.forbid_same_department:
        dept = known(a.department)
        if dept is not None and dept == known(b.department):
            broken.append("same department")
    limit = rules.max_utc_offset_difference
    if (
        limit is not None
        and a.utc_offset_hours is not None
        and b.utc_offset_hours is not None
        and abs(a.utc_offset_hours - b.utc_offset_hours) > limit
    ):
        broken.append("time-zone gap")
    return broken


class Progress:
    """Forwards progress to the caller's callback, never going backwards, capped at 1."""

    def __init__(self, callback: ProgressCallback | None) -> None:
        self._callback = callback
        self._done = 0.0

    def __call__(self, done: float) -> None:
        if self._callback is None:
            return
        self._done = min(1.0, max(self._done, done))
        self._callback(self._done)

    def span(self, start: float, end: float) -> ProgressCallback:
        """A callback mapping a sub-task's own 0–1 onto ``start``–``end`` of the whole."""
        return lambda fraction: self(start + (end - start) * fraction)
