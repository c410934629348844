"""Edmonds' blossom algorithm: the exact solver for pools of up to ``EXACT_POOL_LIMIT``.

:func:`max_weight_matching` finds a maximum-weight matching among the maximum-cardinality
ones, with dual variables, in O(n³) (Galil, "Efficient algorithms for finding maximum
matching in graphs", 1986). It follows Joris van Rantwijk's well-known ``mwmatching.py`` and
keeps its names, so the two read side by side: edge ``k`` is ``edges[k] = (i, j, weight)``;
its endpoint ``p`` (``k == p // 2``) is vertex ``endpoint[p]``, ``p ^ 1`` the other end;
``mate[v]`` is the remote endpoint of v's matched edge (-1: free); blossoms are numbered
``n..2n-1`` and ``inblossom[v]`` is v's top-level one; a top-level ``label`` is 1 (S, outer),
2 (T, inner) or 0 (free); ``dualvar`` holds the vertex, then the blossom duals, and an edge
whose slack ``dual_i + dual_j - 2·weight`` is 0 is *tight*: the trees may use it.

A stage (:meth:`_Matcher.stage`) grows alternating trees from every free vertex along tight
edges, shrinks the odd cycles it meets into blossoms, and augments the matching when two
trees meet; with no tight edge left to follow, it changes the duals by the largest safe
amount and goes on. The matching is final after a stage without augmentation. Pure Python
lists for fast scalar access: this is the hot path on small pools, so the loops that run
most bind the lists they read to locals.
"""

import numpy as np

from .blossom_forest import BlossomForest


def max_weight_matching(weights: np.ndarray) -> np.ndarray:
    """Exact maximum-weight matching among maximum-cardinality matchings on the allowed
    (finite) entries of the symmetric ``weights``: ``mate[i]`` = partner index, -1 if none."""
    n = weights.shape[0]
    rows, cols = np.nonzero(np.triu(np.isfinite(weights), 1))
    edges: list[tuple[int, int, float]] = list(
        zip(rows.tolist(), cols.tolist(), weights[rows, cols].tolist(), strict=True)
    )
    result = np.full(n, -1, dtype=np.int64)
    if not edges:
        return result
    matcher = _Matcher(n, edges)
    for _stage in range(n):
        if not matcher.stage():
            break
    for v, p in enumerate(matcher.mate):
        if p >= 0:
            result[v] = matcher.endpoint[p]
    return result


class _Matcher(BlossomForest):
    """One run of the algorithm: the forest plus the stages that grow it and move the duals."""

    def stage(self) -> bool:
        """One stage; ``False`` when it found no augmenting path (the matching is final)."""
        self._start_stage()
        while not self._grow_trees():
            deltatype, delta, deltaedge, deltablossom = self._choose_delta()
            self._adjust_duals(delta)
            if deltatype == 1:
                return False
            self._use_delta(deltatype, deltaedge, deltablossom)
        self._expand_zero_dual_blossoms()
        return True

    def _start_stage(self) -> None:
        """Forget the last stage's trees and make every free vertex the S root of a tree."""
        n, mate, label, inblossom = self.n, self.mate, self.label, self.inblossom
        label[:] = [0] * (2 * n)
        self.bestedge[:] = [-1] * (2 * n)
        self.blossombestedges[n:] = [None] * n
        self.allowedge[:] = [False] * len(self.edges)
        self.queue.clear()
        for v in range(n):
            if mate[v] == -1 and label[inblossom[v]] == 0:
                self.assign_label(v, 1, -1)

    def _grow_trees(self) -> bool:
        """Scan the queued S vertices' edges: tight ones label T vertices, shrink a blossom
        or augment (then ``True``); the others keep the least slack per neighbour
        (``bestedge``). ``False`` when the queue runs dry without an augmenting path."""
        queue, neighbend, endpoint = self.queue, self.neighbend, self.endpoint
        inblossom, label, labelend = self.inblossom, self.label, self.labelend
        allowedge, bestedge, edges = self.allowedge, self.bestedge, self.edges
        dualvar, slack = self.dualvar, self.slack
        while queue:
            v = queue.pop()
            for p in neighbend[v]:
                k = p // 2
                w = endpoint[p]
                if inblossom[v] == inblossom[w]:
                    continue
                kslack = 0.0
                if not allowedge[k]:
                    i, j, weight = edges[k]
                    kslack = dualvar[i] + dualvar[j] - 2 * weight  # slack(k), inlined
                    if kslack <= 0:
                        allowedge[k] = True
                if allowedge[k]:
                    if label[inblossom[w]] == 0:
                        self.assign_label(w, 2, p ^ 1)
                    elif label[inblossom[w]] == 1:
                        base = self.scan_blossom(v, w)
                        if base >= 0:
                            self.add_blossom(base, k)
                        else:
                            self.augment_matching(k)
                            return True
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
        return False

    def _choose_delta(self) -> tuple[int, float, int, int]:
        """The largest dual change keeping every slack and blossom dual ≥ 0, as ``(type,
        delta, edge, blossom)``. Type 2: an edge from a free vertex to an S vertex becomes
        tight; 3: an edge between two S blossoms does; 4: a T blossom's dual reaches 0 (it
        is expanded). Type 1 (nothing else left: maximum cardinality is reached) ends the
        stage, lowering the duals by the smallest vertex dual at most."""
        n, label, inblossom, bestedge = self.n, self.label, self.inblossom, self.bestedge
        blossomparent, blossombase, dualvar = self.blossomparent, self.blossombase, self.dualvar
        slack = self.slack
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
        return deltatype, delta, deltaedge, deltablossom

    def _adjust_duals(self, delta: float) -> None:
        """S vertices and T blossoms lose ``delta``, T vertices and S blossoms gain it."""
        n, label, inblossom, dualvar = self.n, self.label, self.inblossom, self.dualvar
        blossomparent, blossombase = self.blossomparent, self.blossombase
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

    def _use_delta(self, deltatype: int, deltaedge: int, deltablossom: int) -> None:
        """Follow up a dual change: queue the S end of the edge that became tight, or expand
        the T blossom whose dual reached 0."""
        if deltatype == 2:
            self.allowedge[deltaedge] = True
            i, j, _ = self.edges[deltaedge]
            if self.label[self.inblossom[i]] == 0:
                i, j = j, i
            self.queue.append(i)
        elif deltatype == 3:
            self.allowedge[deltaedge] = True
            i, _, _ = self.edges[deltaedge]
            self.queue.append(i)
        else:
            self.expand_blossom(deltablossom, False)

    def _expand_zero_dual_blossoms(self) -> None:
        """After an augmentation, expand the top-level S blossoms whose dual is 0."""
        label, dualvar = self.label, self.dualvar
        blossomparent, blossombase = self.blossomparent, self.blossombase
        for b in range(self.n, 2 * self.n):
            if blossomparent[b] == -1 and blossombase[b] >= 0 and label[b] == 1 and dualvar[b] == 0:
                self.expand_blossom(b, True)
