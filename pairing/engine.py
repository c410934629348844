"""Reciprocal pairing engine: who should mentor whom, both ways.

Pure Python + numpy/scipy, no Django: the services layer turns model rows into
:class:`Candidate` objects, calls :func:`match` and stores the result. Everything here is
deterministic: the same candidates, rules and locked pairs always give the same pairs.

Scoring formula
---------------
Skills, departments, locations and genders are compared as exact strings; ``None`` or a
blank string means "unknown", and an unknown value never earns a diversity bonus nor
triggers a hard rule.

For two candidates A and B::

    fit(A→B) = |A.offers ∩ B.wants| / max(1, |B.wants|)        in [0, 1]
    lo, hi   = min(fit(A→B), fit(B→A)), max(fit(A→B), fit(B→A))
    skill    = skill_weight × (2·lo + hi) / 3                    in [0, skill_weight]

The reciprocal part ``lo`` counts twice and the best one-way part once, so for the same best
direction a two-way fit always scores strictly more than a one-way fit: a perfect one-way fit
earns a third of ``skill_weight``, a perfect two-way fit all of it. Then::

    weight = skill
           + cross_gender_weight      if both genders are known and differ
           + cross_generation_weight  if both birth years are known and differ by >= 10 years
           + cross_department_weight  if both departments are known and differ
           + cross_location_weight    if both locations are known and differ

    percent = round(100 × weight / max_possible), halves rounded up, clamped to 0–100,
    max_possible = the sum of the positive weights among the five above (0 → percent 0).

The gender and generation terms are the pair's ``demographic_bonus``. Demographics are shared
with consent for pairing and aggregates only, never as an individual's value, so no reason
ever names them: ``Score.reasons`` explains the skill, department and location terms only,
and the bonus is a bare number that does not say which attribute earned it.

Ten years (``GENERATION_GAP_YEARS``) is roughly one career stage (entry, mid-career,
senior): below it two people are peers, which is not what reverse mentoring is after.

Hard rules (the pair is forbidden: :func:`score` returns ``None`` and :func:`match` never
forms it, though it keeps a *locked* pair as given, counting it 0):

- reporting line: ``A.manager_id == B.id`` or ``B.manager_id == A.id``;
- exclusion: ``B.id in A.excluded_ids`` or ``A.id in B.excluded_ids`` (earlier partners,
  opt-outs);
- same department, when ``forbid_same_department`` and both departments are known and equal;
- time-zone gap, when ``max_utc_offset_difference`` is set, both offsets are known and
  ``|A.utc_offset_hours - B.utc_offset_hours| > max_utc_offset_difference``.

Matching
--------
:func:`match` first keeps the locked pairs, then pairs the rest of the cohort (the *pool*).
Objective: pair as many people as possible (an allowed pair of weight 0 is better than two
unmatched people), and among those pairings maximise the total weight.

- Pools of up to ``EXACT_POOL_LIMIT`` (120) people are solved exactly with Edmonds' blossom
  algorithm (maximum-weight matching among maximum-cardinality ones).
- Larger pools use the symmetric assignment relaxation: ``scipy.optimize.
  linear_sum_assignment`` on the weight matrix (forbidden pairs excluded, a person may be
  assigned to themselves for 0) gives a permutation whose cycles are rounded to pairs (even
  cycles: the heavier of the two alternating halves; odd cycles are joined two by two
  through the best edge between the people they leave out, or else leave out the person
  whose removal costs least). Anyone left over is paired along augmenting paths (cardinality
  first), then 2-opt partner swaps and swap-ins of unmatched people raise the weight.
- If trios are allowed, one person still unmatched joins the pair where the sum of their
  two new edges is largest (both edges allowed). Otherwise the leftover stays unmatched, and
  ``Matching.unmatched_reasons`` says why for each unmatched person.

Upper bound: any pairing maps to a permutation (each pair swapped, everyone else fixed)
whose assignment value is exactly twice the pairing's weight, so the optimal assignment value
divided by two is at least the weight of *every* pairing — including the best one, of any
size. The bound is that half, plus the locked pairs' weight. When trios are allowed, a trio T maps
to a 3-cycle worth w(T) (not 2·w(T)), so ``1.5 × max pair weight`` (≥ w(T)/2) is added —
unless the pool is even and everyone got a partner, as a trio is only for a leftover person.
``total_weight / upper_bound`` therefore certifies how close a result is to the optimum.
"""

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

__all__ = [
    "EXACT_POOL_LIMIT",
    "GENERATION_GAP_YEARS",
    "Candidate",
    "Matching",
    "Rules",
    "Score",
    "hard_rule_violations",
    "match",
    "score",
    "weight_matrix",
]

#: Birth years at least this far apart (in years) count as "cross-generation".
GENERATION_GAP_YEARS = 10
#: Pools (people not in locked pairs) of at most this many people are solved exactly by the
#: blossom algorithm: cubic pure Python, about 0.3 s at 120 people on the reference machine.
EXACT_POOL_LIMIT = 120
#: Cap on improvement passes over all pairs, so running time stays bounded and deterministic
#: (a wall-clock budget would make the result depend on the machine's speed).
LOCAL_SEARCH_MAX_PASSES = 25
#: Cells (rows × columns) of the weight matrix built per numpy block: bounds the temporaries
#: to a few tens of MB whatever the cohort size.
_BLOCK_CELLS = 1 << 22
#: Odd cycles holding more people than this are not joined pairwise (the table of joint
#: values is quadratic: 2,000² floats = 32 MB); augmenting paths pair their leftovers instead.
_JOINT_LIMIT = 2000

ProgressCallback = Callable[[float], None]

REASON_NOBODY_ELSE = "nobody else is in the cohort"
REASON_ALL_FORBIDDEN = "every other candidate is forbidden by a hard rule ({rules})"
REASON_ONLY_LOCKED = (
    "every candidate they may be paired with is already in a locked pair"
    " (the others are forbidden by a hard rule)"
)
REASON_ODD_NO_TRIO = "odd cohort: one person left over and trios are not allowed"
REASON_ODD_NO_TRIO_FIT = (
    "odd cohort: one person left over and no pair can take them as a third member"
    " without breaking a hard rule"
)
REASON_PARTNERS_TAKEN = (
    "all the candidates they may be paired with are needed elsewhere:"
    " pairing them would leave someone else without a partner"
)


# --- data ---------------------------------------------------------------------------------
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
        for name in _WEIGHT_FIELDS:
            if not math.isfinite(float(getattr(self, name))):
                raise ValueError(f"Rules.{name} must be a finite number")
        limit = self.max_utc_offset_difference
        if limit is not None and not (math.isfinite(float(limit)) and limit >= 0):
            raise ValueError("Rules.max_utc_offset_difference must be a finite number >= 0")

    @property
    def max_possible_weight(self) -> float:
        """The largest weight a pair can reach: the sum of the positive weights."""
        return math.fsum(max(0.0, float(getattr(self, name))) for name in _WEIGHT_FIELDS)


_WEIGHT_FIELDS = (
    "skill_weight",
    "cross_gender_weight",
    "cross_generation_weight",
    "cross_department_weight",
    "cross_location_weight",
)


@dataclass(frozen=True)
class Score:
    """How well two people fit: ``weight`` (the objective, same units as the rules' weights),
    ``percent`` (weight as 0–100 % of the best possible) and human-readable ``reasons``.

    ``demographic_bonus`` is the part of ``weight`` earned by the cross-gender and
    cross-generation terms. ``reasons`` never mention it: they hold no demographic text, so
    they may be shown to the pair itself.
    """

    weight: float
    percent: int
    reasons: list[str]
    demographic_bonus: float = 0.0


@dataclass(frozen=True)
class Matching:
    """Result of :func:`match`.

    ``pairs`` are ``(smaller id, larger id)`` sorted, locked pairs included; ``trio`` is
    sorted ids or ``None``; ``unmatched`` is sorted ids, each explained in
    ``unmatched_reasons``. ``total_weight`` is the sum of :func:`score` weights over the pairs
    and the trio's three edges (a locked pair that breaks a hard rule counts 0).
    ``upper_bound`` is a proven bound on the best total any pairing could reach (see the
    module docstring). ``exact`` says the pool was solved exactly rather than heuristically.
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


# --- scoring a single pair ----------------------------------------------------------------
def _known(value: str | None) -> str | None:
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
        dept = _known(a.department)
        if dept is not None and dept == _known(b.department):
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


def _skill_fit(giver: Candidate, taker: Candidate) -> float:
    """fit(giver→taker) in [0, 1]; same float operations as :func:`weight_matrix`."""
    return len(giver.offers & taker.wants) / max(1, len(taker.wants))


def score(a: Candidate, b: Candidate, rules: Rules) -> Score | None:
    """Score the pair ``a``–``b`` under ``rules``; ``None`` if a hard rule forbids it.

    Symmetric, bit for bit: ``score(a, b, r) == score(b, a, r)``. The weight is computed with
    exactly the float operations :func:`weight_matrix` uses, so the two always agree.
    """
    if hard_rule_violations(a, b, rules):
        return None
    # Canonical order (smaller id first) so the reasons' wording never depends on which
    # argument came first.
    lo_c, hi_c = (a, b) if a.id < b.id else (b, a)
    fit_lh = _skill_fit(lo_c, hi_c)
    fit_hl = _skill_fit(hi_c, lo_c)
    lo, hi = min(fit_lh, fit_hl), max(fit_lh, fit_hl)
    weight = rules.skill_weight * ((2 * lo + hi) / 3)
    reasons: list[str] = []
    if rules.skill_weight != 0:
        gives = ", ".join(sorted(lo_c.offers & hi_c.wants))
        takes = ", ".join(sorted(hi_c.offers & lo_c.wants))
        if gives and takes:
            reasons.append(f"Both ways: each can teach the other ({gives} ↔ {takes})")
        elif gives or takes:
            reasons.append(f"One way only: one offers {gives or takes}, which the other wants")
        else:
            reasons.append("No skill match in either direction")
    # The additions happen in this fixed order, in the matrix too: float addition is not
    # associative, and the matrix and this function must agree exactly. The demographic
    # terms add to the weight but write no reason (see the module docstring).
    demographic_bonus = 0.0
    if rules.cross_gender_weight != 0:
        ga, gb = _known(a.gender), _known(b.gender)
        if ga is not None and gb is not None and ga != gb:
            weight += rules.cross_gender_weight
            demographic_bonus += rules.cross_gender_weight
    if rules.cross_generation_weight != 0:
        ya, yb = a.birth_year, b.birth_year
        if ya is not None and yb is not None and abs(ya - yb) >= GENERATION_GAP_YEARS:
            weight += rules.cross_generation_weight
            demographic_bonus += rules.cross_generation_weight
    if rules.cross_department_weight != 0:
        da, db = _known(a.department), _known(b.department)
        if da is not None and db is not None and da != db:
            weight += rules.cross_department_weight
            first, second = sorted((da, db))
            reasons.append(f"Different departments ({first}, {second})")
    if rules.cross_location_weight != 0:
        la, lb = _known(a.location), _known(b.location)
        if la is not None and lb is not None and la != lb:
            weight += rules.cross_location_weight
            first, second = sorted((la, lb))
            reasons.append(f"Different locations ({first}, {second})")
    weight = float(weight)
    return Score(
        weight=weight,
        percent=_percent(weight, rules),
        reasons=reasons,
        demographic_bonus=float(demographic_bonus),
    )


def _percent(weight: float, rules: Rules) -> int:
    best = rules.max_possible_weight
    if best <= 0:
        return 0
    return min(100, max(0, math.floor(100 * weight / best + 0.5)))


# --- the weight matrix --------------------------------------------------------------------
def _codes(values: Iterable[str | None]) -> np.ndarray:
    """Integer code per value (equal strings, equal codes); -1 for unknown."""
    table: dict[str, int] = {}
    out = [-1 if (k := _known(v)) is None else table.setdefault(k, len(table)) for v in values]
    return np.asarray(out, dtype=np.int64)


def weight_matrix(
    candidates: Sequence[Candidate],
    rules: Rules,
    *,
    progress: ProgressCallback | None = None,
) -> np.ndarray:
    """Symmetric ``n × n`` float64 matrix of pair weights, in ``candidates`` order.

    ``W[i, j] == score(candidates[i], candidates[j], rules).weight`` exactly, and ``-inf``
    where a hard rule forbids the pair and on the diagonal. Vectorised in row blocks: skills
    become 0/1 matrices, so ``offers @ wants.T`` counts every intersection at once. Memory:
    the 8·n² bytes of the result plus about 130 MB of temporaries. Precondition: unique ids.
    """
    n = len(candidates)
    if len({c.id for c in candidates}) != n:
        raise ValueError("candidate ids must be unique")
    weights = np.empty((n, n), dtype=np.float64)
    if n == 0:
        return weights
    vocabulary = sorted(set().union(*(c.offers | c.wants for c in candidates)))
    column = {skill: k for k, skill in enumerate(vocabulary)}
    # float32 is exact for these 0/1 sums (counts far below 2**24) and halves the matmul cost.
    offers = np.zeros((n, len(vocabulary)), dtype=np.float32)
    wants = np.zeros((n, len(vocabulary)), dtype=np.float32)
    for i, c in enumerate(candidates):
        offers[i, [column[s] for s in c.offers]] = 1
        wants[i, [column[s] for s in c.wants]] = 1
    denominator = np.maximum(wants.sum(axis=1, dtype=np.float64), 1.0)
    gender = _codes(c.gender for c in candidates)
    department = _codes(c.department for c in candidates)
    location = _codes(c.location for c in candidates)
    year_known = np.array([c.birth_year is not None for c in candidates])
    year = np.array([c.birth_year or 0 for c in candidates], dtype=np.int64)
    tz_known = np.array([c.utc_offset_hours is not None for c in candidates])
    tz = np.array([c.utc_offset_hours or 0.0 for c in candidates], dtype=np.float64)
    limit = rules.max_utc_offset_difference

    def differ(codes: np.ndarray, rows: slice) -> np.ndarray:
        here = codes[rows, None]
        return (here != codes[None, :]) & (here >= 0) & (codes[None, :] >= 0)

    block = max(1, _BLOCK_CELLS // n)
    for r0 in range(0, n, block):
        rows = slice(r0, min(n, r0 + block))
        out = weights[rows]
        fit_ab = (offers[rows] @ wants.T).astype(np.float64)  # |offers_i ∩ wants_j|
        fit_ab /= denominator[None, :]  # fit(i→j)
        fit_ba = (wants[rows] @ offers.T).astype(np.float64)  # |offers_j ∩ wants_i|
        fit_ba /= denominator[rows, None]  # fit(j→i)
        lo = np.minimum(fit_ab, fit_ba)
        hi = np.maximum(fit_ab, fit_ba, out=fit_ab)
        del fit_ba
        # skill_weight × ((2·lo + hi) / 3), operation by operation as in score().
        np.multiply(lo, 2, out=out)
        out += hi
        out /= 3
        out *= rules.skill_weight
        del lo, hi
        if rules.cross_gender_weight != 0:
            np.add(out, rules.cross_gender_weight, out=out, where=differ(gender, rows))
        if rules.cross_generation_weight != 0:
            apart = np.abs(year[rows, None] - year[None, :]) >= GENERATION_GAP_YEARS
            apart &= year_known[rows, None] & year_known[None, :]
            np.add(out, rules.cross_generation_weight, out=out, where=apart)
        if rules.cross_department_weight != 0:
            np.add(out, rules.cross_department_weight, out=out, where=differ(department, rows))
        if rules.cross_location_weight != 0:
            np.add(out, rules.cross_location_weight, out=out, where=differ(location, rows))
        forbidden = np.zeros(out.shape, dtype=bool)
        forbidden[np.arange(out.shape[0]), np.arange(rows.start, rows.stop)] = True
        if rules.forbid_same_department:
            here = department[rows, None]
            forbidden |= (here == department[None, :]) & (here >= 0)
        if limit is not None:
            gap = np.abs(tz[rows, None] - tz[None, :]) > limit
            forbidden |= gap & tz_known[rows, None] & tz_known[None, :]
        out[forbidden] = -np.inf
        if progress is not None:
            progress(rows.stop / n)
    # Reporting lines and exclusions are sparse: a plain loop over the few links is cheapest.
    index = {c.id: i for i, c in enumerate(candidates)}
    for i, c in enumerate(candidates):
        linked = [*c.excluded_ids, c.manager_id] if c.manager_id is not None else c.excluded_ids
        for other in linked:
            j = index.get(other)
            if j is not None:
                weights[i, j] = weights[j, i] = -np.inf
    return weights


# --- progress -----------------------------------------------------------------------------
class _Progress:
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


# --- solvers (all work on pool indices 0..n-1; mate[i] = partner index or -1) ------------------
def _assignment(weights: np.ndarray, diagonal_value: float = 0.0) -> tuple[np.ndarray, list[float]]:
    """Optimal assignment on ``weights`` with ``diagonal_value`` on the diagonal.

    Returns ``(perm, values)``, ``values`` being the ``n`` chosen entries. Forbidden entries
    (``-inf``) are never chosen because the identity permutation is always feasible. The
    diagonal is restored to ``-inf`` afterwards (the matrix is modified in place meanwhile
    rather than copied: at 5,000 people a copy is 200 MB).
    """
    n = weights.shape[0]
    diagonal = np.arange(n)
    np.fill_diagonal(weights, diagonal_value)
    try:
        _, perm = linear_sum_assignment(weights, maximize=True)
        values = weights[diagonal, perm].tolist()
    finally:
        weights[diagonal, diagonal] = -np.inf
    return perm, values


def _blossom(weights: np.ndarray) -> np.ndarray:
    """Exact maximum-weight matching among maximum-cardinality matchings: ``mate`` array.

    Edmonds' blossom algorithm with dual variables, O(n³) (Galil, "Efficient algorithms for
    finding maximum matching in graphs", 1986), following the structure of Joris van
    Rantwijk's well-known ``mwmatching.py``: stages grow alternating trees from every free
    vertex, shrink odd cycles into blossoms, and adjust duals until an augmenting path
    appears. Works on the allowed (finite) entries of ``weights``; pure Python lists for fast
    scalar access, so it is meant for pools of up to a few hundred people.
    """
    n = weights.shape[0]
    rows, cols = np.nonzero(np.triu(np.isfinite(weights), 1))
    edges: list[tuple[int, int, float]] = list(
        zip(rows.tolist(), cols.tolist(), weights[rows, cols].tolist(), strict=True)
    )
    result = np.full(n, -1, dtype=np.int64)
    nedge = len(edges)
    if nedge == 0:
        return result
    max_weight = max(0.0, max(w for _, _, w in edges))
    # Endpoint p of edge k = p // 2 is edges[k][p % 2]; p ^ 1 is the other end.
    endpoint = [edges[p // 2][p % 2] for p in range(2 * nedge)]
    neighbend: list[list[int]] = [[] for _ in range(n)]
    for k, (i, j, _) in enumerate(edges):
        neighbend[i].append(2 * k + 1)
        neighbend[j].append(2 * k)
    mate = [-1] * n  # remote endpoint index of the matched edge, -1 if free
    # Top-level blossom labels: 0 free, 1 S (outer), 2 T (inner); 4|5 marks during scans.
    label = [0] * (2 * n)
    labelend = [-1] * (2 * n)
    inblossom = list(range(n))
    blossomparent = [-1] * (2 * n)
    blossomchilds: list[list[int] | None] = [None] * (2 * n)
    blossombase = list(range(n)) + [-1] * n
    blossomendps: list[list[int] | None] = [None] * (2 * n)
    bestedge = [-1] * (2 * n)
    blossombestedges: list[list[int] | None] = [None] * (2 * n)
    unusedblossoms = list(range(n, 2 * n))
    dualvar = [max_weight] * n + [0.0] * n
    allowedge = [False] * nedge
    queue: list[int] = []

    def slack(k: int) -> float:
        i, j, w = edges[k]
        return dualvar[i] + dualvar[j] - 2 * w

    def leaves(b: int) -> list[int]:
        if b < n:
            return [b]
        out: list[int] = []
        stack = [b]
        while stack:
            t = stack.pop()
            if t < n:
                out.append(t)
            else:
                stack.extend(reversed(blossomchilds[t]))
        return out

    def assign_label(w: int, t: int, p: int) -> None:
        while True:
            b = inblossom[w]
            label[w] = label[b] = t
            labelend[w] = labelend[b] = p
            bestedge[w] = bestedge[b] = -1
            if t == 1:
                queue.extend(leaves(b))
                return
            base = blossombase[b]
            w, t, p = endpoint[mate[base]], 1, mate[base] ^ 1

    def scan_blossom(v: int, w: int) -> int:
        path: list[int] = []
        base = -1
        while v != -1 or w != -1:
            b = inblossom[v]
            if label[b] & 4:
                base = blossombase[b]
                break
            path.append(b)
            label[b] = 5
            if labelend[b] == -1:
                v = -1
            else:
                v = endpoint[labelend[b]]
                b = inblossom[v]
                v = endpoint[labelend[b]]
            if w != -1:
                v, w = w, v
        for b in path:
            label[b] = 1
        return base

    def add_blossom(base: int, k: int) -> None:
        v, w, _ = edges[k]
        bb, bv, bw = inblossom[base], inblossom[v], inblossom[w]
        b = unusedblossoms.pop()
        blossombase[b] = base
        blossomparent[b] = -1
        blossomparent[bb] = b
        path: list[int] = []
        endps: list[int] = []
        blossomchilds[b], blossomendps[b] = path, endps
        while bv != bb:
            blossomparent[bv] = b
            path.append(bv)
            endps.append(labelend[bv])
            v = endpoint[labelend[bv]]
            bv = inblossom[v]
        path.append(bb)
        path.reverse()
        endps.reverse()
        endps.append(2 * k)
        while bw != bb:
            blossomparent[bw] = b
            path.append(bw)
            endps.append(labelend[bw] ^ 1)
            w = endpoint[labelend[bw]]
            bw = inblossom[w]
        label[b] = 1
        labelend[b] = labelend[bb]
        dualvar[b] = 0.0
        for leaf in leaves(b):
            if label[inblossom[leaf]] == 2:
                queue.append(leaf)
            inblossom[leaf] = b
        bestedgeto = [-1] * (2 * n)
        for child in path:
            if blossombestedges[child] is None:
                nblists = [[p // 2 for p in neighbend[leaf]] for leaf in leaves(child)]
            else:
                nblists = [blossombestedges[child]]
            for nblist in nblists:
                for e in nblist:
                    i, j, _ = edges[e]
                    if inblossom[j] == b:
                        i, j = j, i
                    bj = inblossom[j]
                    if (
                        bj != b
                        and label[bj] == 1
                        and (bestedgeto[bj] == -1 or slack(e) < slack(bestedgeto[bj]))
                    ):
                        bestedgeto[bj] = e
            blossombestedges[child] = None
            bestedge[child] = -1
        blossombestedges[b] = [e for e in bestedgeto if e != -1]
        bestedge[b] = -1
        for e in blossombestedges[b]:
            if bestedge[b] == -1 or slack(e) < slack(bestedge[b]):
                bestedge[b] = e

    def expand_blossom(b: int, endstage: bool) -> None:
        for s in blossomchilds[b]:
            blossomparent[s] = -1
            if s < n:
                inblossom[s] = s
            elif endstage and dualvar[s] == 0:
                expand_blossom(s, endstage)
            else:
                for leaf in leaves(s):
                    inblossom[leaf] = s
        if not endstage and label[b] == 2:
            childs, endps = blossomchilds[b], blossomendps[b]
            entrychild = inblossom[endpoint[labelend[b] ^ 1]]
            j = childs.index(entrychild)
            if j & 1:
                j -= len(childs)
                jstep, endptrick = 1, 0
            else:
                jstep, endptrick = -1, 1
            p = labelend[b]
            while j != 0:
                label[endpoint[p ^ 1]] = 0
                label[endpoint[endps[j - endptrick] ^ endptrick ^ 1]] = 0
                assign_label(endpoint[p ^ 1], 2, p)
                allowedge[endps[j - endptrick] // 2] = True
                j += jstep
                p = endps[j - endptrick] ^ endptrick
                allowedge[p // 2] = True
                j += jstep
            bv = childs[j]
            label[endpoint[p ^ 1]] = label[bv] = 2
            labelend[endpoint[p ^ 1]] = labelend[bv] = p
            bestedge[bv] = -1
            j += jstep
            while childs[j] != entrychild:
                bv = childs[j]
                if label[bv] == 1:
                    j += jstep
                    continue
                found = -1
                for leaf in leaves(bv):
                    if label[leaf] != 0:
                        found = leaf
                        break
                if found >= 0:
                    label[found] = 0
                    label[endpoint[mate[blossombase[bv]]]] = 0
                    assign_label(found, 2, labelend[found])
                j += jstep
        label[b] = labelend[b] = -1
        blossomchilds[b] = blossomendps[b] = None
        blossombase[b] = -1
        blossombestedges[b] = None
        bestedge[b] = -1
        unusedblossoms.append(b)

    def augment_blossom(b: int, v: int) -> None:
        t = v
        while blossomparent[t] != b:
            t = blossomparent[t]
        if t >= n:
            augment_blossom(t, v)
        childs, endps = blossomchilds[b], blossomendps[b]
        i = j = childs.index(t)
        if i & 1:
            j -= len(childs)
            jstep, endptrick = 1, 0
        else:
            jstep, endptrick = -1, 1
        while j != 0:
            j += jstep
            t = childs[j]
            p = endps[j - endptrick] ^ endptrick
            if t >= n:
                augment_blossom(t, endpoint[p])
            j += jstep
            t = childs[j]
            if t >= n:
                augment_blossom(t, endpoint[p ^ 1])
            mate[endpoint[p]] = p ^ 1
            mate[endpoint[p ^ 1]] = p
        blossomchilds[b] = childs[i:] + childs[:i]
        blossomendps[b] = endps[i:] + endps[:i]
        blossombase[b] = blossombase[blossomchilds[b][0]]

    def augment_matching(k: int) -> None:
        v, w, _ = edges[k]
        for s, p in ((v, 2 * k + 1), (w, 2 * k)):
            while True:
                bs = inblossom[s]
                if bs >= n:
                    augment_blossom(bs, s)
                mate[s] = p
                if labelend[bs] == -1:
                    break
                t = endpoint[labelend[bs]]
                bt = inblossom[t]
                s = endpoint[labelend[bt]]
                j = endpoint[labelend[bt] ^ 1]
                if bt >= n:
                    augment_blossom(bt, j)
                mate[j] = labelend[bt]
                p = labelend[bt] ^ 1

    for _stage in range(n):
        label[:] = [0] * (2 * n)
        bestedge[:] = [-1] * (2 * n)
        blossombestedges[n:] = [None] * n
        allowedge[:] = [False] * nedge
        queue.clear()
        for v in range(n):
            if mate[v] == -1 and label[inblossom[v]] == 0:
                assign_label(v, 1, -1)
        augmented = False
        while True:
            while queue and not augmented:
                v = queue.pop()
                for p in neighbend[v]:
                    k = p // 2
                    w = endpoint[p]
                    if inblossom[v] == inblossom[w]:
                        continue
                    kslack = 0.0
                    if not allowedge[k]:
                        kslack = slack(k)
                        if kslack <= 0:
                            allowedge[k] = True
                    if allowedge[k]:
                        if label[inblossom[w]] == 0:
                            assign_label(w, 2, p ^ 1)
                        elif label[inblossom[w]] == 1:
                            base = scan_blossom(v, w)
                            if base >= 0:
                                add_blossom(base, k)
                            else:
                                augment_matching(k)
                                augmented = True
                                break
                        elif label[w] == 0:
                            label[w] = 2
                            labelend[w] = p ^ 1
                    elif label[inblossom[w]] == 1:
                        b = inblossom[v]
                        if bestedge[b] == -1 or kslack < slack(bestedge[b]):
                            bestedge[b] = k
                    elif label[w] == 0:
                        if bestedge[w] == -1 or kslack < slack(bestedge[w]):
                            bestedge[w] = k
            if augmented:
                break
            # No augmenting path with the tight edges: change the duals (maximum cardinality
            # mode, so no "delta 1" stop while free vertices can still be matched).
            deltatype = -1
            delta = 0.0
            deltaedge = deltablossom = -1
            for v in range(n):
                if label[inblossom[v]] == 0 and bestedge[v] != -1:
                    d = slack(bestedge[v])
                    if deltatype == -1 or d < delta:
                        delta, deltatype, deltaedge = d, 2, bestedge[v]
            for b in range(2 * n):
                if blossomparent[b] == -1 and label[b] == 1 and bestedge[b] != -1:
                    d = slack(bestedge[b]) / 2
                    if deltatype == -1 or d < delta:
                        delta, deltatype, deltaedge = d, 3, bestedge[b]
            for b in range(n, 2 * n):
                if (
                    blossombase[b] >= 0
                    and blossomparent[b] == -1
                    and label[b] == 2
                    and (deltatype == -1 or dualvar[b] < delta)
                ):
                    delta, deltatype, deltablossom = dualvar[b], 4, b
            if deltatype == -1:
                deltatype = 1
                delta = max(0.0, min(dualvar[:n]))
            for v in range(n):
                if label[inblossom[v]] == 1:
                    dualvar[v] -= delta
                elif label[inblossom[v]] == 2:
                    dualvar[v] += delta
            for b in range(n, 2 * n):
                if blossombase[b] >= 0 and blossomparent[b] == -1:
                    if label[b] == 1:
                        dualvar[b] += delta
                    elif label[b] == 2:
                        dualvar[b] -= delta
            if deltatype == 1:
                break
            if deltatype == 2:
                allowedge[deltaedge] = True
                i, j, _ = edges[deltaedge]
                if label[inblossom[i]] == 0:
                    i, j = j, i
                queue.append(i)
            elif deltatype == 3:
                allowedge[deltaedge] = True
                i, j, _ = edges[deltaedge]
                queue.append(i)
            else:
                expand_blossom(deltablossom, False)
        if not augmented:
            break
        for b in range(n, 2 * n):
            if blossomparent[b] == -1 and blossombase[b] >= 0 and label[b] == 1 and dualvar[b] == 0:
                expand_blossom(b, True)
    for v in range(n):
        if mate[v] >= 0:
            result[v] = endpoint[mate[v]]
    return result


def _round_cycles(weights: np.ndarray, perm: np.ndarray) -> np.ndarray:
    """Turn an assignment permutation into a matching, cycle by cycle.

    A 2-cycle is a pair; a longer even cycle keeps the heavier of its two alternating edge
    sets. An odd cycle (a lone person is an odd cycle of one) must leave one person out:
    the odd cycles are first paired with each other (:func:`_pair_odd_cycles`), choosing the
    two people left out jointly so they can be partners, and a cycle without such a partner
    leaves out the person whose removal keeps the heaviest alternating path. All cycle edges
    were chosen by the assignment, hence allowed.
    """
    n = len(perm)
    mate = np.full(n, -1, dtype=np.int64)
    seen = np.zeros(n, dtype=bool)
    odd: list[tuple[np.ndarray, np.ndarray]] = []
    for start in range(n):
        if seen[start]:
            continue
        cycle = [start]
        seen[start] = True
        nxt = int(perm[start])
        while nxt != start:
            cycle.append(nxt)
            seen[nxt] = True
            nxt = int(perm[nxt])
        nodes = np.asarray(cycle)
        length = len(cycle)
        if length == 1:
            odd.append((nodes, np.zeros(1)))
            continue
        edges = weights[nodes, np.roll(nodes, -1)]  # edges[k] joins nodes[k] and nodes[k+1]
        if length % 2 == 0:
            first = 0 if edges[0::2].sum() >= edges[1::2].sum() else 1
            _pair_along(mate, nodes, first)
            continue
        # Leaving nodes[k] out keeps edges k+1, k+3, …, k+length-2 (indices mod length):
        # every other edge, read off prefix sums of the doubled edge list, per parity.
        doubled = np.concatenate([edges, edges])
        half = (length - 1) // 2
        prefix = [np.concatenate([[0.0], np.cumsum(doubled[p::2])]) for p in (0, 1)]
        starts = np.arange(1, length + 1)
        kept = np.where(
            starts % 2 == 0,
            prefix[0][starts // 2 + half] - prefix[0][starts // 2],
            prefix[1][starts // 2 + half] - prefix[1][starts // 2],
        )
        odd.append((nodes, kept))
    left_out = [int(np.argmax(kept)) for _, kept in odd]
    for p, q, x, y in _pair_odd_cycles(weights, odd):
        left_out[p], left_out[q] = x, y
        i, j = odd[p][0][x], odd[q][0][y]
        mate[i], mate[j] = j, i
    for (nodes, _), k in zip(odd, left_out, strict=True):
        if len(nodes) > 1:
            _pair_along(mate, nodes, k + 1)
    return mate


def _pair_along(mate: np.ndarray, nodes: np.ndarray, first: int) -> None:
    """Pair nodes[first], nodes[first+1]; nodes[first+2], nodes[first+3]; … (mod length)."""
    length = len(nodes)
    for t in range(length // 2):
        i, j = nodes[(first + 2 * t) % length], nodes[(first + 2 * t + 1) % length]
        mate[i], mate[j] = j, i


def _pair_odd_cycles(
    weights: np.ndarray, odd: list[tuple[np.ndarray, np.ndarray]]
) -> list[tuple[int, int, int, int]]:
    """Pair odd cycles p, q through one edge x–y (x left out of p, y out of q).

    ``odd[p] = (nodes, kept)`` where ``kept[k]`` is the cycle's value when ``nodes[k]`` is
    left out. Joining p and q through x–y is worth ``kept_p[x] + kept_q[y] + w(x, y)``; its
    gain over leaving each cycle's best person out alone decides which cycles to join
    (most joins first, then largest gain: exactly for a few cycles, greedily for many).
    Returns ``(p, q, x, y)`` tuples. Skipped when the odd cycles hold more than
    ``_JOINT_LIMIT`` people, as the joint table is quadratic in that number.
    """
    k = len(odd)
    nodes = np.concatenate([c for c, _ in odd]) if odd else np.zeros(0, np.int64)
    if k < 2 or nodes.size > _JOINT_LIMIT:
        return []
    kept = np.concatenate([v for _, v in odd])
    joint = kept[:, None] + kept[None, :] + weights[np.ix_(nodes, nodes)]
    starts = np.cumsum([0] + [len(c) for c, _ in odd[:-1]])
    block_best = np.maximum.reduceat(np.maximum.reduceat(joint, starts, axis=0), starts, axis=1)
    alone = np.array([v.max() for _, v in odd])
    gain = block_best - alone[:, None] - alone[None, :]
    np.fill_diagonal(gain, -np.inf)
    if k <= EXACT_POOL_LIMIT:
        chosen_mate = _blossom(gain)
        chosen = [(p, int(chosen_mate[p])) for p in range(k) if chosen_mate[p] > p]
    else:
        chosen = []
        free = np.ones(k, dtype=bool)
        p_idx, q_idx = np.triu_indices(k, 1)
        values = gain[p_idx, q_idx]
        for e in np.argsort(-values, kind="stable"):
            if not np.isfinite(values[e]):
                break
            p, q = int(p_idx[e]), int(q_idx[e])
            if free[p] and free[q]:
                free[p] = free[q] = False
                chosen.append((p, q))
    ends = np.append(starts[1:], nodes.size)
    result = []
    for p, q in chosen:
        sub = joint[starts[p] : ends[p], starts[q] : ends[q]]
        x, y = np.unravel_index(int(np.argmax(sub)), sub.shape)
        result.append((p, q, int(x), int(y)))
    return result


def _augment(weights: np.ndarray, allowed: np.ndarray, mate: np.ndarray) -> int:
    """Pair unmatched people along augmenting paths; returns how many paths were used.

    Breadth-first alternating search from each unmatched person u, vectorised per level:
    *outer* people (u, then partners of inner people) reach *inner* people through allowed
    edges. A person may be both inner and outer (this covers most odd cycles that Edmonds'
    algorithm would contract into a blossom); a path that would visit someone twice is
    skipped. So on contrived graphs a path can still be missed, but not on the cohorts seen
    in practice. Among the free ends reached at the same depth it takes the heaviest last edge.
    """
    n = len(mate)
    used = 0
    # People in the search tree of a failed search can be set aside for good: a later
    # augmenting path through them would have given one from that tree's root (Edmonds'
    # "Hungarian tree" argument). This keeps lopsided cohorts (one department holding most
    # people under forbid_same_department) from paying one full search per leftover.
    dead = np.zeros(n, dtype=bool)
    for u in np.flatnonzero(mate < 0).tolist():
        if mate[u] >= 0 or dead[u] or not allowed[u].any():
            continue
        inner_seen = np.zeros(n, dtype=bool)
        outer_seen = np.zeros(n, dtype=bool)
        outer_seen[u] = True
        parent = np.full(n, -1, dtype=np.int64)  # inner person → the outer one reaching it
        frontier = np.array([u])
        path: list[int] | None = None
        while frontier.size and path is None:
            reached = np.flatnonzero(allowed[frontier].any(axis=0) & ~inner_seen & ~dead)
            reached = reached[reached != u]
            if reached.size == 0:
                break
            parent[reached] = frontier[np.argmax(weights[np.ix_(frontier, reached)], axis=0)]
            inner_seen[reached] = True
            free = reached[mate[reached] < 0]
            for x in free[np.argsort(-weights[parent[free], free], kind="stable")].tolist():
                path = _alternating_path(x, u, parent, mate)
                if path is not None:
                    break
            outer = mate[reached]
            outer = outer[(outer >= 0) & ~outer_seen[np.maximum(outer, 0)]]
            outer_seen[outer] = True
            frontier = outer
        if path is None:
            dead |= inner_seen | outer_seen
            continue
        # path = [x, o1, i1, o2, …, u]: pair (x, o1), (i1, o2), …: every other edge.
        for k in range(0, len(path), 2):
            i, j = path[k], path[k + 1]
            mate[i], mate[j] = j, i
        used += 1
    return used


def _alternating_path(x: int, u: int, parent: np.ndarray, mate: np.ndarray) -> list[int] | None:
    """Follow back-pointers from the free person x to u; ``None`` if someone repeats."""
    path = [x]
    seen = {x}
    inner = x
    while True:
        outer = int(parent[inner])
        if outer in seen:
            return None
        path.append(outer)
        seen.add(outer)
        if outer == u:
            return path
        inner = int(mate[outer])
        if inner in seen:
            return None
        path.append(inner)
        seen.add(inner)


def _improve(weights: np.ndarray, mate: np.ndarray, progress: ProgressCallback) -> None:
    """Local search that raises the weight without unpairing anybody, in place.

    Moves: 2-opt between two pairs (a, b), (c, d) → (a, c), (b, d) or (a, d), (b, c); and
    an unmatched person u replacing b in (a, b) when w(u, a) > w(a, b). Each move's gain
    against every pair is one vectorised numpy expression; forbidden edges are ``-inf`` and
    so never gain. At most ``LOCAL_SEARCH_MAX_PASSES`` passes.
    """
    a = np.flatnonzero(mate > np.arange(len(mate)))
    b = mate[a].copy()
    free = np.flatnonzero(mate < 0).tolist()
    m = len(a)
    if m == 0:
        return
    w = weights[a, b]
    # Ignore gains at the level of float noise so the search cannot cycle on rounding.
    tolerance = 1e-9 * max(1.0, float(np.abs(w).max()))
    for pass_number in range(LOCAL_SEARCH_MAX_PASSES):
        improved = False
        for i in range(m if m > 1 else 0):
            row_a, row_b = weights[a[i]], weights[b[i]]
            base = w + w[i]
            straight = row_a[a] + row_b[b] - base  # (a_i, a_j), (b_i, b_j)
            crossed = row_a[b] + row_b[a] - base  # (a_i, b_j), (b_i, a_j)
            straight[i] = crossed[i] = -np.inf
            j1, j2 = int(np.argmax(straight)), int(np.argmax(crossed))
            if max(straight[j1], crossed[j2]) <= tolerance:
                continue
            if straight[j1] >= crossed[j2]:
                j = j1
                b[i], a[j] = a[j], b[i]
            else:
                j = j2
                b[i], b[j] = b[j], b[i]
            w[i], w[j] = weights[a[i], b[i]], weights[a[j], b[j]]
            improved = True
        for k, u in enumerate(free):
            keep_a = weights[u, a] - w  # (u, a_j); b_j leaves
            keep_b = weights[u, b] - w  # (u, b_j); a_j leaves
            j1, j2 = int(np.argmax(keep_a)), int(np.argmax(keep_b))
            if max(keep_a[j1], keep_b[j2]) <= tolerance:
                continue
            if keep_a[j1] >= keep_b[j2]:
                j = j1
                free[k], b[j] = int(b[j]), u
            else:
                j = j2
                free[k], a[j] = int(a[j]), u
            w[j] = weights[a[j], b[j]]
            improved = True
        progress((pass_number + 1) / LOCAL_SEARCH_MAX_PASSES)
        if not improved:
            break
    mate[:] = -1
    mate[a], mate[b] = b, a


def _heuristic(weights: np.ndarray, perm: np.ndarray, progress: _Progress) -> np.ndarray:
    allowed = np.isfinite(weights)
    alone = np.flatnonzero(perm == np.arange(len(perm)))
    if alone.size and allowed[alone].any():
        # The bound's assignment left someone alone who could have a partner: weight alone
        # preferred it. Cardinality comes first here, so start from an assignment where
        # being alone costs more than any pairing can gain (a second solve, only then).
        penalty = 1.0 + len(perm) * float(np.abs(weights[allowed]).max())
        perm, _ = _assignment(weights, -penalty)
    mate = _round_cycles(weights, perm)
    _augment(weights, allowed, mate)
    progress(0.65)
    _improve(weights, mate, progress.span(0.65, 0.85))
    # Swap-ins may have freed someone who can now be paired: augment once more, polish again.
    if (mate < 0).any() and _augment(weights, allowed, mate):
        _improve(weights, mate, progress.span(0.85, 0.9))
    return mate


def _attach_trio(weights: np.ndarray, mate: np.ndarray) -> tuple[int, int, int] | None:
    """Best (unmatched u, pair a–b) by w(u, a) + w(u, b), both edges allowed; indices."""
    free = np.flatnonzero(mate < 0)
    a = np.flatnonzero(mate > np.arange(len(mate)))
    if free.size == 0 or a.size == 0:
        return None
    b = mate[a]
    gains = weights[free[:, None], a[None, :]] + weights[free[:, None], b[None, :]]
    if not np.isfinite(gains).any():
        return None
    k, j = np.unravel_index(int(np.argmax(gains)), gains.shape)
    return int(free[k]), int(a[j]), int(b[j])


# --- the public entry point -----------------------------------------------------------------
def match(
    candidates: Iterable[Candidate],
    rules: Rules,
    *,
    locked: Iterable[tuple[int, int]] = (),
    progress: ProgressCallback | None = None,
) -> Matching:
    """Pair ``candidates`` under ``rules``; see the module docstring for objective and bound.

    ``locked`` pairs (ids) are kept exactly as given (even if a hard rule now forbids them;
    such a pair counts 0) and their people leave the pool. ``progress(done)`` receives
    non-decreasing fractions in [0, 1], the last call being 1.0.

    Raises ``ValueError`` for duplicate candidate ids, a locked id that is not a candidate,
    a person locked with themselves or into two pairs.
    """
    report = _Progress(progress)
    report(0.0)
    # Sorting by id makes the result independent of the order the caller listed people in.
    everyone = sorted(candidates, key=lambda c: c.id)
    by_id = {c.id: c for c in everyone}
    if len(by_id) != len(everyone):
        raise ValueError("candidate ids must be unique")
    locked_pairs = _check_locked(locked, by_id)
    in_locked = {person for pair in locked_pairs for person in pair}
    pool = [c for c in everyone if c.id not in in_locked]
    n = len(pool)
    report(0.02)

    weights = weight_matrix(pool, rules, progress=report.span(0.02, 0.3))
    perm, assignment_values = _assignment(weights) if n else (np.zeros(0, np.int64), [])
    report(0.5)
    exact = n <= EXACT_POOL_LIMIT
    mate = _blossom(weights) if exact else _heuristic(weights, perm, report)
    report(0.9)
    trio_index = _attach_trio(weights, mate) if rules.allow_trio else None
    report(0.95)

    pairs = list(locked_pairs)
    pairs += [(pool[i].id, pool[int(mate[i])].id) for i in range(n) if mate[i] > i]
    pairs.sort()
    trio: tuple[int, int, int] | None = None
    in_trio: set[int] = set()
    if trio_index is not None:
        in_trio = set(trio_index)
        newcomer, x, y = (pool[i].id for i in trio_index)
        pairs.remove((min(x, y), max(x, y)))  # pool pairs are (smaller id, larger id)
        first, second, third = sorted((newcomer, x, y))
        trio = (first, second, third)
    unmatched_index = [i for i in range(n) if mate[i] < 0 and i not in in_trio]
    unmatched = [pool[i].id for i in unmatched_index]

    edge_weights: list[float] = []
    for x, y in pairs:
        pair_score = score(by_id[x], by_id[y], rules)
        edge_weights.append(pair_score.weight if pair_score is not None else 0.0)
    if trio is not None:
        for x, y in ((trio[0], trio[1]), (trio[0], trio[2]), (trio[1], trio[2])):
            trio_score = score(by_id[x], by_id[y], rules)
            edge_weights.append(trio_score.weight if trio_score is not None else 0.0)
    total = math.fsum(edge_weights)

    bound_terms = [
        s.weight if (s := score(by_id[x], by_id[y], rules)) is not None else 0.0
        for x, y in locked_pairs
    ]
    # Halving is exact in binary floating point, so each term is half an assignment entry.
    bound_terms += [value / 2 for value in assignment_values]
    # A trio only ever takes someone who would otherwise stay unmatched. When everyone in an
    # even pool got a partner, every pairing with a trio covers fewer people, so the pairs-only
    # bound already covers the best admissible result and the trio slack is not needed.
    if rules.allow_trio and n >= 3 and (n % 2 == 1 or trio is not None or unmatched):
        finite = weights[np.isfinite(weights)]
        bound_terms.append(1.5 * max(0.0, float(finite.max())) if finite.size else 0.0)
    # The assignment solver works in floating point: allow for rounding in its last digits.
    upper = math.fsum(bound_terms) + 1e-12 * math.fsum(abs(t) for t in bound_terms)

    reasons = _explain(
        [pool[i] for i in unmatched_index],
        pool,
        weights,
        unmatched_index,
        [by_id[p] for p in sorted(in_locked)],
        rules,
        cohort_size=len(everyone),
        trio_used=trio is not None,
    )
    report(1.0)
    return Matching(
        pairs=pairs,
        trio=trio,
        unmatched=unmatched,
        total_weight=total,
        upper_bound=upper,
        unmatched_reasons=reasons,
        exact=exact,
    )


def _check_locked(
    locked: Iterable[tuple[int, int]], by_id: dict[int, Candidate]
) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    seen: set[int] = set()
    for x, y in locked:
        for person in (x, y):
            if person not in by_id:
                raise ValueError(f"locked pair ({x}, {y}): {person} is not a candidate")
            if person in seen:
                raise ValueError(f"locked pair ({x}, {y}): {person} is already locked")
        if x == y:
            raise ValueError(f"locked pair ({x}, {y}) pairs a person with themselves")
        seen.update((x, y))
        pairs.append((min(x, y), max(x, y)))
    return sorted(pairs)


def _explain(
    left_out: list[Candidate],
    pool: list[Candidate],
    weights: np.ndarray,
    left_out_index: list[int],
    locked_people: list[Candidate],
    rules: Rules,
    *,
    cohort_size: int,
    trio_used: bool,
) -> dict[int, str]:
    """One sentence per unmatched person saying why nobody could be paired with them."""
    reasons: dict[int, str] = {}
    everyone = [*pool, *locked_people]
    blocking: _RuleIndex | None = None
    for person, i in zip(left_out, left_out_index, strict=True):
        if cohort_size == 1:
            reasons[person.id] = REASON_NOBODY_ELSE
        elif not np.isfinite(weights[i]).any():
            if any(score(person, other, rules) is not None for other in locked_people):
                reasons[person.id] = REASON_ONLY_LOCKED
                continue
            blocking = blocking or _RuleIndex(everyone, rules)
            listed = ", ".join(blocking.rules_against(person))
            reasons[person.id] = REASON_ALL_FORBIDDEN.format(rules=listed or "none apply")
        elif len(pool) % 2 == 1 and len(left_out) == 1 and not trio_used:
            reasons[person.id] = REASON_ODD_NO_TRIO_FIT if rules.allow_trio else REASON_ODD_NO_TRIO
        else:
            reasons[person.id] = REASON_PARTNERS_TAKEN
    return reasons


class _RuleIndex:
    """Which hard rules forbid a person with at least one other candidate, in O(n) numpy
    per person (a cohort where thousands have no allowed partner must not cost n² calls)."""

    def __init__(self, people: list[Candidate], rules: Rules) -> None:
        self.rules = rules
        self.ids = np.array([c.id for c in people], dtype=np.int64)
        self.id_set = set(self.ids.tolist())
        self.managers = {c.manager_id for c in people if c.manager_id is not None}
        self.excluded_by: dict[int, set[int]] = {}
        for c in people:
            for other in c.excluded_ids:
                self.excluded_by.setdefault(other, set()).add(c.id)
        self.departments: dict[str, int] = {}
        for c in people:
            if (dept := _known(c.department)) is not None:
                self.departments[dept] = self.departments.get(dept, 0) + 1
        self.tz = np.array([c.utc_offset_hours for c in people if c.utc_offset_hours is not None])

    def rules_against(self, person: Candidate) -> list[str]:
        others = self.id_set - {person.id}
        found = []
        if person.id in self.managers or person.manager_id in others:
            found.append("reporting line")
        if person.excluded_ids & others or self.excluded_by.get(person.id, set()) - {person.id}:
            found.append("earlier partner or opt-out")
        dept = _known(person.department)
        if self.rules.forbid_same_department and dept is not None and self.departments[dept] > 1:
            found.append("same department")
        limit = self.rules.max_utc_offset_difference
        offset = person.utc_offset_hours
        if limit is not None and offset is not None and (np.abs(self.tz - offset) > limit).any():
            found.append("time-zone gap")
        return found
