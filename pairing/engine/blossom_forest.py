"""The alternating forest of Edmonds' blossom algorithm: its state and the steps on it.

:class:`BlossomForest` holds the labels, blossoms and duals (names and vocabulary as in
``blossom.py``, which runs the stages) and the steps a stage takes: label a blossom, find
where two tree paths meet, shrink an odd cycle into a blossom, expand a blossom again, and
augment the matching along a path, through blossoms.
"""


class BlossomForest:
    """Labels, blossoms and duals for ``n`` vertices and ``edges`` ``(i, j, weight)``."""

    def __init__(self, n: int, edges: list[tuple[int, int, float]]) -> None:
        self.n = n
        self.edges = edges
        max_weight = max(0.0, max(w for _, _, w in edges))
        self.endpoint = [edges[p // 2][p % 2] for p in range(2 * len(edges))]
        self.neighbend: list[list[int]] = [[] for _ in range(n)]
        for k, (i, j, _) in enumerate(edges):
            self.neighbend[i].append(2 * k + 1)
            self.neighbend[j].append(2 * k)
        self.mate = [-1] * n
        self.label = [0] * (2 * n)
        self.labelend = [-1] * (2 * n)
        self.inblossom = list(range(n))
        self.blossomparent = [-1] * (2 * n)
        self.blossomchilds: list[list[int] | None] = [None] * (2 * n)
        self.blossombase = list(range(n)) + [-1] * n
        self.blossomendps: list[list[int] | None] = [None] * (2 * n)
        self.bestedge = [-1] * (2 * n)  # least-slack edge to an S blossom, per vertex/blossom
        self.blossombestedges: list[list[int] | None] = [None] * (2 * n)
        self.unusedblossoms = list(range(n, 2 * n))
        self.dualvar = [max_weight] * n + [0.0] * n
        self.allowedge = [False] * len(edges)  # tight edges (slack known to be 0)
        self.queue: list[int] = []  # S vertices whose edges are still to scan
        # The lists above are only ever changed in place, so the local aliases the hot loops
        # take stay valid.

    def slack(self, k: int) -> float:
        """Edge k's slack (0: tight)."""
        i, j, w = self.edges[k]
        return self.dualvar[i] + self.dualvar[j] - 2 * w

    def leaves(self, b: int) -> list[int]:
        """The vertices inside blossom ``b`` (``[b]`` for a vertex)."""
        n = self.n
        if b < n:
            return [b]
        childs = self.blossomchilds
        out: list[int] = []
        stack = [b]
        while stack:
            t = stack.pop()
            if t < n:
                out.append(t)
            else:
                stack.extend(reversed(childs[t]))
        return out

    def assign_label(self, w: int, t: int, p: int) -> None:
        """Label vertex w's top-level blossom ``t`` (1 = S, 2 = T), reached through endpoint
        ``p`` (-1 for a root). S vertices join the scan queue; a T blossom's mate becomes S."""
        inblossom, label, labelend = self.inblossom, self.label, self.labelend
        bestedge = self.bestedge
        while True:
            b = inblossom[w]
            label[w] = label[b] = t
            labelend[w] = labelend[b] = p
            bestedge[w] = bestedge[b] = -1
            if t == 1:
                self.queue.extend(self.leaves(b))
                return
            base = self.blossombase[b]
            w, t, p = self.endpoint[self.mate[base]], 1, self.mate[base] ^ 1

    def scan_blossom(self, v: int, w: int) -> int:
        """Walk up the trees of the S vertices v and w at once: the base of the new blossom
        where the paths meet, or -1 when they reach two different roots (an augmenting path)."""
        inblossom, label, labelend = self.inblossom, self.label, self.labelend
        blossombase, endpoint = self.blossombase, self.endpoint
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

    def add_blossom(self, base: int, k: int) -> None:
        """Shrink the odd cycle that edge k closes through ``base`` into a new S blossom."""
        inblossom, labelend, endpoint = self.inblossom, self.labelend, self.endpoint
        blossomparent = self.blossomparent
        v, w, _ = self.edges[k]
        bb, bv, bw = inblossom[base], inblossom[v], inblossom[w]
        b = self.unusedblossoms.pop()
        self.blossombase[b] = base
        blossomparent[b] = -1
        blossomparent[bb] = b
        path: list[int] = []
        endps: list[int] = []
        self.blossomchilds[b], self.blossomendps[b] = path, endps
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
        self.label[b] = 1
        labelend[b] = labelend[bb]
        self.dualvar[b] = 0.0
        for leaf in self.leaves(b):
            if self.label[inblossom[leaf]] == 2:
                self.queue.append(leaf)  # a former T vertex is now S: scan it
            inblossom[leaf] = b
        self._collect_best_edges(b, path)

    def _collect_best_edges(self, b: int, path: list[int]) -> None:
        """Give the new blossom ``b`` its least-slack edge to each neighbouring S blossom
        (``blossombestedges``) and the least-slack of those (``bestedge``)."""
        edges, inblossom, label, slack = self.edges, self.inblossom, self.label, self.slack
        blossombestedges, bestedge = self.blossombestedges, self.bestedge
        bestedgeto = [-1] * (2 * self.n)
        for child in path:
            if blossombestedges[child] is None:
                nblists = [[p // 2 for p in self.neighbend[leaf]] for leaf in self.leaves(child)]
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

    def expand_blossom(self, b: int, endstage: bool) -> None:
        """Dissolve blossom ``b`` into its children (at the end of a stage, children with a
        zero dual too); mid-stage, a T blossom's children are relabelled. ``b`` is reusable."""
        n, inblossom = self.n, self.inblossom
        for s in self.blossomchilds[b]:
            self.blossomparent[s] = -1
            if s < n:
                inblossom[s] = s
            elif endstage and self.dualvar[s] == 0:
                self.expand_blossom(s, endstage)
            else:
                for leaf in self.leaves(s):
                    inblossom[leaf] = s
        if not endstage and self.label[b] == 2:
            self._relabel_children(b)
        self.label[b] = self.labelend[b] = -1
        self.blossomchilds[b] = self.blossomendps[b] = None
        self.blossombase[b] = -1
        self.blossombestedges[b] = None
        self.bestedge[b] = -1
        self.unusedblossoms.append(b)

    def _relabel_children(self, b: int) -> None:
        """Keep the tree valid after expanding the T blossom ``b`` mid-stage: the even path
        of children from the one the tree entered by to the base becomes T, S, T…; the
        other children are free again unless one of their vertices is reached from outside."""
        label, labelend, endpoint = self.label, self.labelend, self.endpoint
        allowedge = self.allowedge
        childs, endps = self.blossomchilds[b], self.blossomendps[b]
        entrychild = self.inblossom[endpoint[labelend[b] ^ 1]]
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
            self.assign_label(endpoint[p ^ 1], 2, p)
            allowedge[endps[j - endptrick] // 2] = True
            j += jstep
            p = endps[j - endptrick] ^ endptrick
            allowedge[p // 2] = True
            j += jstep
        bv = childs[j]
        label[endpoint[p ^ 1]] = label[bv] = 2
        labelend[endpoint[p ^ 1]] = labelend[bv] = p
        self.bestedge[bv] = -1
        j += jstep
        while childs[j] != entrychild:
            bv = childs[j]
            if label[bv] == 1:
                j += jstep
                continue
            found = -1
            for leaf in self.leaves(bv):
                if label[leaf] != 0:
                    found = leaf
                    break
            if found >= 0:
                label[found] = 0
                label[endpoint[self.mate[self.blossombase[bv]]]] = 0
                self.assign_label(found, 2, labelend[found])
            j += jstep

    def augment_blossom(self, b: int, v: int) -> None:
        """Flip matched and unmatched edges along the even path from vertex v to the base of
        blossom ``b`` (through sub-blossoms, recursively); v becomes ``b``'s base."""
        n, mate, endpoint = self.n, self.mate, self.endpoint
        t = v
        while self.blossomparent[t] != b:
            t = self.blossomparent[t]
        if t >= n:
            self.augment_blossom(t, v)
        childs, endps = self.blossomchilds[b], self.blossomendps[b]
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
                self.augment_blossom(t, endpoint[p])
            j += jstep
            t = childs[j]
            if t >= n:
                self.augment_blossom(t, endpoint[p ^ 1])
            mate[endpoint[p]] = p ^ 1
            mate[endpoint[p ^ 1]] = p
        self.blossomchilds[b] = childs[i:] + childs[:i]
        self.blossomendps[b] = endps[i:] + endps[:i]
        self.blossombase[b] = self.blossombase[self.blossomchilds[b][0]]

    def augment_matching(self, k: int) -> None:
        """Augment along the path through edge k, which joins the S vertices of two trees:
        from each end back to its tree's root, matched and unmatched edges swap."""
        inblossom, labelend, endpoint, mate = (
            self.inblossom,
            self.labelend,
            self.endpoint,
            self.mate,
        )
        v, w, _ = self.edges[k]
        for s, p in ((v, 2 * k + 1), (w, 2 * k)):
            while True:
                bs = inblossom[s]
                if bs >= self.n:
                    self.augment_blossom(bs, s)
                mate[s] = p
                if labelend[bs] == -1:
                    break
                t = endpoint[labelend[bs]]
                bt = inblossom[t]
                s = endpoint[labelend[bt]]
                j = endpoint[labelend[bt] ^ 1]
                if bt >= self.n:
                    self.augment_blossom(bt, j)
                mate[j] = labelend[bt]
                p = labelend[bt] ^ 1
