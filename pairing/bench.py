"""Benchmark of the pairing engine on a synthetic cohort; prints one JSON line.

    python -m pairing.bench --participants 5000 [--seed 0] [--compare]

No Django: run from the project root, it only imports ``pairing.engine``. Figures:

- ``seconds``: wall time of :func:`pairing.engine.match` alone (the cohort is built first);
- ``peak_mb``: the process's peak resident set size (``resource.getrusage`` ``ru_maxrss``,
  KiB on Linux) in MiB, read right after matching, so it includes the interpreter, numpy
  and the cohort; ``peak_mb_source`` says so;
- ``ratio``: ``total_weight / upper_bound``, a proven lower bound on quality (1 = optimal);
- with ``--compare`` and at most ``COMPARE_LIMIT`` people: networkx's exact
  ``max_weight_matching`` on the same weights (one edge per allowed pair, weight-0 edges
  included). It maximises weight alone (``maxcardinality=False``), so it may leave people
  unmatched where the engine pairs them through a weight-0 edge; its total is therefore
  never below the engine's.
"""

import argparse
import json
import math
import random
import resource
import sys
import time
from collections.abc import Sequence

from pairing.engine import Candidate, Matching, Rules, match, weight_matrix

#: networkx's blossom algorithm is pure Python and cubic: above this it takes far too long.
COMPARE_LIMIT = 1000

SKILLS = (
    "Python",
    "SQL",
    "data visualisation",
    "machine learning",
    "cloud infrastructure",
    "security",
    "UX research",
    "product discovery",
    "negotiation",
    "public speaking",
    "storytelling",
    "budgeting",
    "forecasting",
    "accounting",
    "procurement",
    "hiring",
    "coaching",
    "conflict resolution",
    "stakeholder management",
    "strategy",
    "change management",
    "social media",
    "TikTok",
    "generative AI",
    "accessibility",
    "sustainability",
    "regulation",
    "project management",
    "sales",
    "customer support",
)
DEPARTMENTS = (
    "Engineering",
    "Finance",
    "Sales",
    "Marketing",
    "People",
    "Legal",
    "Operations",
    "Product",
)
#: Location → UTC offset in hours, so time-zone gaps follow geography as they do in real life.
LOCATIONS = {
    "Lisbon": 0.0,
    "Berlin": 1.0,
    "New York": -5.0,
    "Bangalore": 5.5,
    "Singapore": 8.0,
}
GENDERS = ("female", "male", "non-binary")


def bench_rules(
    *,
    max_utc_gap: float | None = 10.0,
    forbid_same_department: bool = False,
    allow_trio: bool = False,
) -> Rules:
    """Every weight in use: skill 10, gender 3, generation 2, department 2, location 1.

    The default 10-hour limit forbids New York with Bangalore and Singapore.
    """
    return Rules(
        skill_weight=10,
        cross_gender_weight=3,
        cross_generation_weight=2,
        cross_department_weight=2,
        cross_location_weight=1,
        forbid_same_department=forbid_same_department,
        max_utc_offset_difference=max_utc_gap,
        allow_trio=allow_trio,
    )


def generate_cohort(n: int, seed: int = 0) -> list[Candidate]:
    """``n`` synthetic people (ids 1..n), reproducible from ``seed``.

    1–3 offers and wants from 30 skills; gender (5 % unknown); birth year 1960–2003;
    one of 8 departments and 5 locations (UTC offset from the location, 5 % unknown);
    10 % are managers with a few reports each (about 45 % of people have a manager in
    the cohort); 5 % excluded one earlier partner.
    """
    rng = random.Random(seed)
    ids = list(range(1, n + 1))
    managers = ids[: max(1, n // 10)] if n >= 10 else []
    people: list[Candidate] = []
    for person in ids:
        location = rng.choice(list(LOCATIONS))
        manager = None
        if managers and rng.random() < 0.45:
            # Managers may report to another manager, never to themselves.
            manager = rng.choice(managers)
            manager = None if manager == person else manager
        excluded = frozenset()
        if n > 1 and rng.random() < 0.05:
            other = rng.choice(ids)
            excluded = frozenset({other} - {person})
        people.append(
            Candidate(
                id=person,
                offers=frozenset(rng.sample(SKILLS, rng.randint(1, 3))),
                wants=frozenset(rng.sample(SKILLS, rng.randint(1, 3))),
                gender=None if rng.random() < 0.05 else rng.choice(GENDERS),
                birth_year=rng.randint(1960, 2003),
                department=rng.choice(DEPARTMENTS),
                location=location,
                seniority=rng.randint(1, 6),
                manager_id=manager,
                utc_offset_hours=None if rng.random() < 0.05 else LOCATIONS[location],
                excluded_ids=excluded,
            )
        )
    return people


def _networkx_total(candidates: Sequence[Candidate], rules: Rules) -> tuple[float, int, float]:
    """Exact maximum weight matching by networkx: (total, pairs, seconds)."""
    import networkx as nx  # dev dependency, only needed for --compare

    pool = sorted(candidates, key=lambda c: c.id)
    weights = weight_matrix(pool, rules)
    graph = nx.Graph()
    graph.add_nodes_from(range(len(pool)))
    rows, cols = (weights > -math.inf).nonzero()
    graph.add_weighted_edges_from(
        (int(i), int(j), float(weights[i, j])) for i, j in zip(rows, cols, strict=True) if i < j
    )
    started = time.perf_counter()
    chosen = nx.max_weight_matching(graph, maxcardinality=False)
    seconds = time.perf_counter() - started
    return math.fsum(float(weights[i, j]) for i, j in chosen), len(chosen), seconds


def run_benchmark(
    n: int,
    *,
    seed: int = 0,
    compare: bool = False,
    rules: Rules | None = None,
) -> dict[str, object]:
    """Build a cohort of ``n``, match it and return the figures printed by ``main``."""
    rules = rules or bench_rules()
    cohort = generate_cohort(n, seed)
    started = time.perf_counter()
    result: Matching = match(cohort, rules)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures: dict[str, object] = {
        "n": n,
        "seed": seed,
        "seconds": round(seconds, 3),
        "peak_mb": round(peak_mb, 1),
        "peak_mb_source": "ru_maxrss (whole process)",
        "total_weight": round(result.total_weight, 6),
        "upper_bound": round(result.upper_bound, 6),
        "ratio": round(result.ratio, 6),
        "pairs": len(result.pairs),
        "trio": result.trio is not None,
        "unmatched": len(result.unmatched),
        "exact": result.exact,
    }
    if compare:
        if n > COMPARE_LIMIT:
            figures["networkx"] = f"skipped: more than {COMPARE_LIMIT} participants"
        else:
            nx_total, nx_pairs, nx_seconds = _networkx_total(cohort, rules)
            figures["networkx_total"] = round(nx_total, 6)
            figures["networkx_pairs"] = nx_pairs
            figures["networkx_seconds"] = round(nx_seconds, 3)
            figures["engine_vs_networkx"] = (
                round(result.total_weight / nx_total, 6) if nx_total > 0 else 1.0
            )
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pairing.bench", description=__doc__)
    parser.add_argument("--participants", type=int, required=True, help="cohort size")
    parser.add_argument("--seed", type=int, default=0, help="random seed for the cohort")
    parser.add_argument(
        "--compare",
        action="store_true",
        help=f"also run networkx's exact matching (at most {COMPARE_LIMIT} participants)",
    )
    parser.add_argument("--max-utc-gap", type=float, default=10.0, help="hours; <0: no limit")
    parser.add_argument("--forbid-same-department", action="store_true")
    parser.add_argument("--allow-trio", action="store_true")
    args = parser.parse_args(argv)
    if args.participants < 0:
        parser.error("--participants must be >= 0")
    rules = bench_rules(
        max_utc_gap=None if args.max_utc_gap < 0 else args.max_utc_gap,
        forbid_same_department=args.forbid_same_department,
        allow_trio=args.allow_trio,
    )
    figures = run_benchmark(args.participants, seed=args.seed, compare=args.compare, rules=rules)
    sys.stdout.write(json.dumps(figures) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
