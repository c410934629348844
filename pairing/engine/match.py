"""The engine's entry point: :func:`match` pairs a cohort, keeping its locked pairs.

Matching
--------
:func:`match` first keeps the locked pairs, then pairs the rest of the cohort (the *pool*).
Objective: pair as many people as possible (an allowed pair of weight 0 is better than two
unmatched people), and among those pairings maximise the total weight.

- Pools of up to ``EXACT_POOL_LIMIT`` (120) people are solved exactly with Edmonds' blossom
  algorithm (maximum-weight matching among maximum-cardinality ones): ``blossom.py``.
- Larger pools use the symmetric assignment relaxation, rounded to pairs, completed along
  augmenting paths and improved by 2-opt swaps: ``heuristic.py``.
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
from collections.abc import Iterable

import numpy as np

from . import model
from .blossom import max_weight_matching
from .heuristic import assignment, relaxation_matching
from .model import Candidate, Matching, Progress, ProgressCallback, Rules, Score, known
from .scoring import score, weight_matrix

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
    report = Progress(progress)
    report(0.0)
    by_id, locked_pairs, locked_people, pool = _split_pool(candidates, locked)
    n = len(pool)
    report(0.02)

    weights = weight_matrix(pool, rules, progress=report.span(0.02, 0.3))
    perm, assignment_values = assignment(weights) if n else (np.zeros(0, np.int64), [])
    report(0.5)
    exact = n <= model.EXACT_POOL_LIMIT
    mate = max_weight_matching(weights) if exact else relaxation_matching(weights, perm, report)
    report(0.9)
    trio_index = _attach_trio(weights, mate) if rules.allow_trio else None
    report(0.95)

    pairs, trio, unmatched_index = _groups(pool, mate, locked_pairs, trio_index)
    unmatched = [pool[i].id for i in unmatched_index]
    upper = _upper_bound(
        weights,
        assignment_values,
        [score(by_id[x], by_id[y], rules) for x, y in locked_pairs],
        rules,
        trio_possible=n % 2 == 1 or trio is not None or bool(unmatched),
    )
    reasons = _explain(
        [pool[i] for i in unmatched_index],
        pool,
        weights,
        unmatched_index,
        locked_people,
        rules,
        cohort_size=len(by_id),
        trio_used=trio is not None,
    )
    report(1.0)
    return Matching(
        pairs=pairs,
        trio=trio,
        unmatched=unmatched,
        total_weight=_total_weight(pairs, trio, by_id, rules),
        upper_bound=upper,
        unmatched_reasons=reasons,
        exact=exact,
    )


def _split_pool(
    candidates: Iterable[Candidate], locked: Iterable[tuple[int, int]]
) -> tuple[dict[int, Candidate], list[tuple[int, int]], list[Candidate], list[Candidate]]:
    """``(by_id, locked pairs, their people, pool)``; the pool sorted by id.

    Sorting by id makes the result independent of the order the caller listed people in.
    """
    everyone = sorted(candidates, key=lambda c: c.id)
    by_id = {c.id: c for c in everyone}
    if len(by_id) != len(everyone):
        raise ValueError("candidate ids must be unique")
    locked_pairs = _check_locked(locked, by_id)
    in_locked = {person for pair in locked_pairs for person in pair}
    pool = [c for c in everyone if c.id not in in_locked]
    return by_id, locked_pairs, [by_id[p] for p in sorted(in_locked)], pool


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


def _groups(
    pool: list[Candidate],
    mate: np.ndarray,
    locked_pairs: list[tuple[int, int]],
    trio_index: tuple[int, int, int] | None,
) -> tuple[list[tuple[int, int]], tuple[int, int, int] | None, list[int]]:
    """``(pairs, trio, unmatched pool indices)`` from the pool's ``mate`` array: pairs and
    the trio in ids, sorted; the trio's pair leaves ``pairs``."""
    n = len(pool)
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
    return pairs, trio, unmatched_index


def _total_weight(
    pairs: list[tuple[int, int]],
    trio: tuple[int, int, int] | None,
    by_id: dict[int, Candidate],
    rules: Rules,
) -> float:
    """The pairs' and the trio's edges' weights summed; a forbidden (locked) edge counts 0."""
    edges = list(pairs)
    if trio is not None:
        edges += [(trio[0], trio[1]), (trio[0], trio[2]), (trio[1], trio[2])]
    edge_weights = [
        s.weight if (s := score(by_id[x], by_id[y], rules)) is not None else 0.0 for x, y in edges
    ]
    return math.fsum(edge_weights)


def _upper_bound(
    weights: np.ndarray,
    assignment_values: list[float],
    locked_scores: list[Score | None],
    rules: Rules,
    *,
    trio_possible: bool,
) -> float:
    """The bound of the module docstring: the locked pairs' weight, half the optimal
    assignment value, and the trio slack when a trio may occur (``trio_possible``: an odd
    pool, or someone left without a partner)."""
    bound_terms = [s.weight if s is not None else 0.0 for s in locked_scores]
    # Halving is exact in binary floating point, so each term is half an assignment entry.
    bound_terms += [value / 2 for value in assignment_values]
    # A trio only ever takes someone who would otherwise stay unmatched. When everyone in an
    # even pool got a partner, every pairing with a trio covers fewer people, so the pairs-only
    # bound already covers the best admissible result and the trio slack is not needed.
    if rules.allow_trio and weights.shape[0] >= 3 and trio_possible:
        finite = weights[np.isfinite(weights)]
        bound_terms.append(1.5 * max(0.0, float(finite.max())) if finite.size else 0.0)
    # The assignment solver works in floating point: allow for rounding in its last digits.
    return math.fsum(bound_terms) + 1e-12 * math.fsum(abs(t) for t in bound_terms)


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
            if (dept := known(c.department)) is not None:
                self.departments[dept] = self.departments.get(dept, 0) + 1
        self.tz = np.array([c.utc_offset_hours for c in people if c.utc_offset_hours is not None])

    def rules_against(self, person: Candidate) -> list[str]:
        others = self.id_set - {person.id}
        found = []
        if person.id in self.managers or person.manager_id in others:
            found.append("reporting line")
        if person.excluded_ids & others or self.excluded_by.get(person.id, set()) - {person.id}:
            found.append("earlier partner or opt-out")
        dept = known(person.department)
        if self.rules.forbid_same_department and dept is not None and self.departments[dept] > 1:
            found.append("same department")
        limit = self.rules.max_utc_offset_difference
        offset = person.utc_offset_hours
        if limit is not None and offset is not None and (np.abs(self.tz - offset) > limit).any():
            found.append("time-zone gap")
        return found
