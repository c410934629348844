"""How well two people fit: :func:`score` for one pair, :func:`weight_matrix` for a pool.

Scoring formula
---------------
For two candidates A and B (unknown values as in ``pairing.engine.model``)::

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
ever names them: ``Score.details`` explains the skill, department and location terms only
(as facts: who offers which skill to whom, which two departments or locations; their
sentences are in ``reasons``), and the bonus is a bare number that does not say which
attribute earned it.

Ten years (``GENERATION_GAP_YEARS``) is roughly one career stage (entry, mid-career,
senior): below it two people are peers, which is not what reverse mentoring is after.

A pair a hard rule forbids (``pairing.engine.model``) has no score: ``None``, and ``-inf``
in the matrix.
"""

import math
from collections.abc import Iterable, Sequence

import numpy as np

from .model import (
    GENERATION_GAP_YEARS,
    Candidate,
    ProgressCallback,
    Rules,
    Score,
    hard_rule_violations,
    known,
)
from .reasons import DEPARTMENTS, LOCATIONS, Reason

#: Cells (rows × columns) of the weight matrix built per numpy block: bounds the temporaries
#: to a few tens of MB whatever the cohort size.
_BLOCK_CELLS = 1 << 22


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
    reasons: list[Reason] = []
    if rules.skill_weight != 0:
        reasons.append(
            Reason.skills(lo_c.id, hi_c.id, lo_c.offers & hi_c.wants, hi_c.offers & lo_c.wants)
        )
    # The additions happen in this fixed order, in the matrix too: float addition is not
    # associative, and the matrix and this function must agree exactly. The demographic
    # terms add to the weight but write no reason (see the module docstring).
    demographic_bonus = 0.0
    if rules.cross_gender_weight != 0:
        ga, gb = known(a.gender), known(b.gender)
        if ga is not None and gb is not None and ga != gb:
            weight += rules.cross_gender_weight
            demographic_bonus += rules.cross_gender_weight
    if rules.cross_generation_weight != 0:
        ya, yb = a.birth_year, b.birth_year
        if ya is not None and yb is not None and abs(ya - yb) >= GENERATION_GAP_YEARS:
            weight += rules.cross_generation_weight
            demographic_bonus += rules.cross_generation_weight
    if rules.cross_department_weight != 0:
        da, db = known(a.department), known(b.department)
        if da is not None and db is not None and da != db:
            weight += rules.cross_department_weight
            reasons.append(Reason.different(DEPARTMENTS, da, db))
    if rules.cross_location_weight != 0:
        la, lb = known(a.location), known(b.location)
        if la is not None and lb is not None and la != lb:
            weight += rules.cross_location_weight
            reasons.append(Reason.different(LOCATIONS, la, lb))
    weight = float(weight)
    return Score(
        weight=weight,
        percent=_percent(weight, rules),
        details=tuple(reasons),
        demographic_bonus=float(demographic_bonus),
    )


def _percent(weight: float, rules: Rules) -> int:
    best = rules.max_possible_weight
    if best <= 0:
        return 0
    return min(100, max(0, math.floor(100 * weight / best + 0.5)))


def _codes(values: Iterable[str | None]) -> np.ndarray:
    """Integer code per value (equal strings, equal codes); -1 for unknown."""
    table: dict[str, int] = {}
    out = [-1 if (k := known(v)) is None else table.setdefault(k, len(table)) for v in values]
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
