"""The solver for pools above ``EXACT_POOL_LIMIT``: the assignment relaxation, rounded.

Larger pools use the symmetric assignment relaxation: ``scipy.optimize.linear_sum_assignment``
on the weight matrix (forbidden pairs excluded, a person may be assigned to themselves for 0)
gives a permutation whose cycles are rounded to pairs (even cycles: the heavier of the two
alternating halves; odd cycles are joined two by two through the best edge between the
people they leave out, or else leave out the person whose removal costs least). Anyone left
over is paired along augmenting paths (cardinality first), then 2-opt partner swaps and
swap-ins of unmatched people raise the weight.

The same assignment gives the upper bound that :func:`~pairing.engine.match` certifies its
results with (``pairing/engine/match.py``).
Everything works on pool indices ``0..n-1``; ``mate[i]`` is i's partner index or -1.
"""

import numpy as np
from scipy.optimize import linear_sum_assignment

from . import model
from .blossom import max_weight_matching
from .model import LOCAL_SEARCH_MAX_PASSES, Progress, ProgressCallback

#: Odd cycles holding more people than this are not joined pairwise (the table of joint
#: values is quadratic: 2,000² floats = 32 MB); augmenting paths pair their leftovers instead.
_JOINT_LIMIT = 2000


def assignment(weights: np.ndarray, diagonal_value: float = 0.0) -> tuple[np.ndarray, list[float]]:
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


def relaxation_matching(weights: np.ndarray, perm: np.ndarray, progress: Progress) -> np.ndarray:
    """A matching (``mate`` array) from the assignment ``perm`` of ``weights``: rounded,
    completed along augmenting paths, then improved by local search."""
    allowed = np.isfinite(weights)
    alone = np.flatnonzero(perm == np.arange(len(perm)))
    if alone.size and allowed[alone].any():
        # The bound's assignment left someone alone who could have a partner: weight alone
        # preferred it. Cardinality comes first here, so start from an assignment where
        # being alone costs more than any pairing can gain (a second solve, only then).
        penalty = 1.0 + len(perm) * float(np.abs(weights[allowed]).max())
        perm, _ = assignment(weights, -penalty)
    mate = _round_cycles(weights, perm)
    _augment(weights, allowed, mate)
    progress(0.65)
    _improve(weights, mate, progress.span(0.65, 0.85))
    # Swap-ins may have freed someone who can now be paired: augment once more, polish again.
    if (mate < 0).any() and _augment(weights, allowed, mate):
        _improve(weights, mate, progress.span(0.85, 0.9))
    return mate


# --- rounding the permutation -----------------------------------------------------------
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
    if k <= model.EXACT_POOL_LIMIT:
        chosen_mate = max_weight_matching(gain)
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


# --- completing and improving the matching --------------------------------------------------
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
