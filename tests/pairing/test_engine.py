"""Tests of the pairing engine (``pairing.engine``): pure Python, no database.

What "exact" means here, honestly: the engine pairs as many people as possible first and
maximises weight second (an allowed pair of weight 0 beats two unmatched people). The brute
force below enumerates every matching and keeps the best by that same rule (most pairs, then
largest total), so "exact" compares like with like. The upper bound, on the other hand, must
hold against the best weight of *any* matching, whatever its size, and is checked against that.

Pools of up to ``EXACT_POOL_LIMIT`` people go through the blossom algorithm; the relaxation
heuristic used above that limit is exercised by lowering the limit (``heuristic`` fixture) and
is held to validity and the bound on random cohorts, and to near-optimality on bench cohorts.
"""

import json
import math
import random
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pairing import engine
from pairing.bench import bench_rules, generate_cohort, main, run_benchmark
from pairing.engine import (
    Candidate,
    Matching,
    Rules,
    hard_rule_violations,
    match,
    score,
    weight_matrix,
)
from pairing.engine import model as engine_model

# The ``heuristic`` fixture only patches a module constant: sharing it across examples is fine.
PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
#: For properties that run match() twice or on larger cohorts: fewer, costlier examples.
PROPERTY_FEW = settings(PROPERTY, max_examples=30)
SKILLS = ("Python", "SQL", "negotiation", "TikTok", "budgeting")


@pytest.fixture(autouse=True)
def _clear_redis_cache() -> Iterator[None]:
    """Override the project-wide autouse fixture: these tests never touch Django's cache,
    and must run without Django configured (``-p no:django``)."""
    yield


@pytest.fixture
def heuristic(monkeypatch: pytest.MonkeyPatch) -> None:
    """Force the relaxation heuristic even on small pools."""
    monkeypatch.setattr(engine_model, "EXACT_POOL_LIMIT", 0)


# --- strategies ---------------------------------------------------------------------------
@st.composite
def cohorts(draw: st.DrawFn, min_size: int = 0, max_size: int = 9) -> list[Candidate]:
    """Random cohorts with every hard rule in play: managers (some outside the cohort),
    exclusions, shared departments, unknown and blank attributes, time zones.

    Hypothesis draws the size and a seeded ``random.Random`` that fills in the attributes:
    one draw per person attribute would make each example ten times slower to generate.
    """
    n = draw(st.integers(min_size, max_size))
    rng = draw(st.randoms(use_true_random=False))
    ids = rng.sample(range(1, 61), n)
    linkable = ids + [900, 901]  # 900 and 901 are not in the cohort
    return [
        Candidate(
            id=pid,
            offers=frozenset(rng.sample(SKILLS, rng.randint(0, 3))),
            wants=frozenset(rng.sample(SKILLS, rng.randint(0, 3))),
            gender=rng.choice([None, "", "female", "male", "non-binary"]),
            birth_year=rng.choice([None, rng.randint(1960, 2003)]),
            department=rng.choice([None, " ", "Finance", "Engineering", "Legal"]),
            location=rng.choice([None, "Lisbon", "Paris"]),
            manager_id=rng.choice([None, None, rng.choice(linkable)]),
            utc_offset_hours=rng.choice([None, -5.0, 0.0, 1.0, 5.5, 9.0]),
            excluded_ids=frozenset(rng.sample(linkable, rng.randint(0, 2))),
        )
        for pid in ids
    ]


rule_sets = st.builds(
    Rules,
    skill_weight=st.sampled_from([0, 1, 2.5, 10]),
    cross_gender_weight=st.sampled_from([0, 3]),
    cross_generation_weight=st.sampled_from([0, 2]),
    cross_department_weight=st.sampled_from([0, 1.5]),
    cross_location_weight=st.sampled_from([0, 1]),
    forbid_same_department=st.booleans(),
    max_utc_offset_difference=st.sampled_from([None, 0.0, 4.0, 8.0]),
    allow_trio=st.booleans(),
)


# --- helpers ------------------------------------------------------------------------------
def person(pid: int, offers: str = "", wants: str = "", **extra: object) -> Candidate:
    return Candidate(
        id=pid,
        offers=frozenset(offers.split(",")) - {""},
        wants=frozenset(wants.split(",")) - {""},
        **extra,
    )


def edge_weight(by_id: dict[int, Candidate], x: int, y: int, rules: Rules) -> float:
    s = score(by_id[x], by_id[y], rules)
    return s.weight if s is not None else 0.0


def matchings(ids: list[int], allowed: set[tuple[int, int]]) -> Iterator[list[tuple[int, int]]]:
    """Every matching (set of disjoint allowed pairs) of ``ids``, by plain enumeration."""
    if not ids:
        yield []
        return
    first, rest = ids[0], ids[1:]
    yield from matchings(rest, allowed)  # first stays unmatched
    for k, other in enumerate(rest):
        if (first, other) in allowed:
            for tail in matchings(rest[:k] + rest[k + 1 :], allowed):
                yield [(first, other), *tail]


def brute_force(people: list[Candidate], rules: Rules) -> tuple[int, float, float]:
    """(most pairs, best total among matchings with that many pairs, best total overall)."""
    by_id = {c.id: c for c in people}
    ids = sorted(by_id)
    allowed = {
        (x, y) for x in ids for y in ids if x < y and score(by_id[x], by_id[y], rules) is not None
    }
    best_lex = (0, 0.0)
    best_any = 0.0
    for found in matchings(ids, allowed):
        total = math.fsum(edge_weight(by_id, x, y, rules) for x, y in found)
        best_lex = max(best_lex, (len(found), total))
        best_any = max(best_any, total)
    return best_lex[0], best_lex[1], best_any


def assert_valid(result: Matching, people: list[Candidate], rules: Rules, locked=()) -> None:
    """Structure, hard rules, total and bound of a matching."""
    by_id = {c.id: c for c in people}
    locked_pairs = {(min(x, y), max(x, y)) for x, y in locked}
    placed = [p for pair in result.pairs for p in pair] + list(result.trio or ()) + result.unmatched
    assert sorted(placed) == sorted(by_id), "everyone exactly once"
    assert result.pairs == sorted(result.pairs)
    assert all(x < y for x, y in result.pairs)
    assert result.unmatched == sorted(result.unmatched)
    assert set(result.unmatched_reasons) == set(result.unmatched)
    trio_edges = []
    if result.trio is not None:
        assert list(result.trio) == sorted(result.trio)
        a, b, c = result.trio
        trio_edges = [(a, b), (a, c), (b, c)]
    for x, y in [pair for pair in result.pairs if pair not in locked_pairs] + trio_edges:
        assert hard_rule_violations(by_id[x], by_id[y], rules) == [], (x, y)
    # Locked pairs that break a rule count 0: edge_weight() says so for forbidden pairs.
    expected = math.fsum(edge_weight(by_id, x, y, rules) for x, y in result.pairs + trio_edges)
    assert result.total_weight == pytest.approx(expected, abs=1e-9)
    assert result.upper_bound >= result.total_weight


# --- score --------------------------------------------------------------------------------
@PROPERTY
@given(cohorts(min_size=2, max_size=2), rule_sets)
def test_score_is_symmetric(pair: list[Candidate], rules: Rules) -> None:
    a, b = pair
    assert score(a, b, rules) == score(b, a, rules)
    assert hard_rule_violations(a, b, rules) == hard_rule_violations(b, a, rules)


@PROPERTY
@given(cohorts(min_size=1, max_size=7), rule_sets)
def test_weight_matrix_agrees_with_score_bit_for_bit(people: list[Candidate], rules: Rules) -> None:
    weights = weight_matrix(people, rules)
    for i, a in enumerate(people):
        for j, b in enumerate(people):
            s = score(a, b, rules)
            if s is None:
                assert weights[i, j] == -np.inf
            else:
                assert weights[i, j] == s.weight
                assert 0 <= s.percent <= 100


@PROPERTY
@given(cohorts(min_size=2, max_size=2))
def test_two_way_fit_scores_more_than_the_same_fit_one_way(pair: list[Candidate]) -> None:
    # Skills only: hard rules and diversity are not what this property is about.
    a, b = (Candidate(id=c.id, offers=c.offers, wants=c.wants) for c in pair)
    if not (a.offers & b.wants and b.offers & a.wants):
        return
    rules = Rules(skill_weight=10)
    one_way = replace(b, offers=frozenset())  # fit(a→b) unchanged, fit(b→a) now 0
    two, one = score(a, b, rules), score(a, one_way, rules)
    assert two is not None and one is not None
    assert two.weight > one.weight


def test_two_way_beats_one_way_and_reasons_read_well() -> None:
    rules = Rules(
        skill_weight=10,
        cross_gender_weight=3,
        cross_generation_weight=2,
        cross_department_weight=2,
        cross_location_weight=1,
    )
    ana = person(1, "Python", "negotiation", gender="female", birth_year=1995,
                 department="Engineering", location="Lisbon")  # fmt: skip
    ben = person(2, "negotiation", "Python", gender="male", birth_year=1968,
                 department="Finance", location="Paris")  # fmt: skip
    cy = person(3, "", "Python", gender="male", birth_year=1968,
                department="Finance", location="Paris")  # fmt: skip
    both, one = score(ana, ben, rules), score(ana, cy, rules)
    assert both is not None and one is not None
    assert both.weight == 18 and both.percent == 100
    assert one.weight == pytest.approx(10 / 3 + 8)
    # Gender and generation earn their weight (3 + 2) as a bare bonus, never as a reason:
    # the reasons reach the pair itself, and consented demographics must not.
    assert both.demographic_bonus == 5 and one.demographic_bonus == 5
    assert both.reasons == [
        "Both ways: each can teach the other (Python ↔ negotiation)",
        "Different departments (Engineering, Finance)",
        "Different locations (Lisbon, Paris)",
    ]
    assert one.reasons[0] == "One way only: one offers Python, which the other wants"


@PROPERTY
@given(cohorts(min_size=2, max_size=2), rule_sets)
def test_reasons_never_carry_a_demographic_value(pair: list[Candidate], rules: Rules) -> None:
    a, b = pair
    result = score(a, b, rules)
    if result is None:
        return
    text = " ".join(result.reasons).lower()
    for person in (a, b):
        if person.birth_year is not None:
            assert str(person.birth_year) not in text
        if person.gender and person.gender.strip():
            assert person.gender.lower() not in text
    assert "gender" not in text and "generation" not in text
    # The bonus is exactly what the two demographic terms add to the weight.
    without = score(replace(a, gender=None, birth_year=None), b, rules)
    assert without is not None and without.demographic_bonus == 0
    assert result.weight == pytest.approx(without.weight + result.demographic_bonus)


def test_generation_threshold_is_ten_years() -> None:
    rules = Rules(skill_weight=0, cross_generation_weight=1)
    assert score(person(1, birth_year=1990), person(2, birth_year=2000), rules).weight == 1
    assert score(person(1, birth_year=1990), person(2, birth_year=1999), rules).weight == 0
    assert score(person(1, birth_year=1990), person(2), rules).weight == 0  # unknown


def test_hard_rules_make_score_none() -> None:
    rules = Rules(forbid_same_department=True, max_utc_offset_difference=4)
    boss = person(1)
    assert score(boss, person(2, manager_id=1), rules) is None
    assert score(person(2, manager_id=1), boss, rules) is None
    assert score(boss, person(3, excluded_ids={1}), rules) is None
    assert score(person(4, department="Legal"), person(5, department="Legal"), rules) is None
    assert score(person(4, department=""), person(5, department=""), rules) is not None
    assert score(person(6, utc_offset_hours=-5), person(7, utc_offset_hours=0), rules) is None
    assert score(person(6, utc_offset_hours=-4), person(7, utc_offset_hours=0), rules)
    assert score(person(6, utc_offset_hours=-5), person(7), rules) is not None
    assert hard_rule_violations(person(4, department="Legal", manager_id=5),
                                person(5, department="Legal"), rules) == [
        "reporting line", "same department"]  # fmt: skip


def test_invalid_inputs_are_refused() -> None:
    with pytest.raises(ValueError):
        Rules(skill_weight=math.inf)
    with pytest.raises(ValueError):
        Rules(max_utc_offset_difference=-1)
    with pytest.raises(TypeError):
        Candidate(id=1, offers="Python", wants=frozenset())  # type: ignore[arg-type]
    assert person(1, "a,b").offers == frozenset({"a", "b"})


# --- match: properties ----------------------------------------------------------------------
@PROPERTY
@given(cohorts(max_size=30), rule_sets)
def test_hard_rules_are_never_violated(people: list[Candidate], rules: Rules) -> None:
    assert_valid(match(people, rules), people, rules)


@PROPERTY_FEW
@given(cohorts(max_size=30), rule_sets)
def test_heuristic_never_violates_hard_rules(
    heuristic: None, people: list[Candidate], rules: Rules
) -> None:
    result = match(people, rules)
    assert not result.exact or len(people) == 0
    assert_valid(result, people, rules)


@PROPERTY
@given(cohorts(max_size=9), rule_sets.map(lambda rules: replace(rules, allow_trio=False)))
def test_small_cohorts_are_solved_exactly(people: list[Candidate], rules: Rules) -> None:
    result = match(people, rules)
    most_pairs, best_total, best_any = brute_force(people, rules)
    assert result.exact
    assert len(result.pairs) == most_pairs
    assert result.total_weight == pytest.approx(best_total, abs=1e-9)
    assert result.upper_bound >= best_any - 1e-9
    assert result.upper_bound >= result.total_weight


@PROPERTY
@given(cohorts(max_size=9), rule_sets)
def test_upper_bound_holds_with_trios_and_the_heuristic(
    heuristic: None, people: list[Candidate], rules: Rules
) -> None:
    result = match(people, rules)
    _, _, best_any = brute_force(people, rules)
    assert result.upper_bound >= result.total_weight
    assert result.upper_bound >= best_any - 1e-9


def test_upper_bound_covers_a_trio_of_three() -> None:
    # Three mutually allowed people: the trio is worth 3 edges, the assignment only 3 too.
    rules = Rules(skill_weight=0, cross_location_weight=1, allow_trio=True)
    people = [person(i, location=f"city {i}") for i in (1, 2, 3)]
    result = match(people, rules)
    assert result.trio == (1, 2, 3) and result.pairs == []
    assert result.total_weight == 3
    assert result.upper_bound >= 3


@PROPERTY_FEW
@given(cohorts(max_size=25), rule_sets, st.randoms(use_true_random=False))
def test_same_input_gives_same_output_whatever_the_order(
    people: list[Candidate], rules: Rules, rng: random.Random
) -> None:
    shuffled = list(people)
    rng.shuffle(shuffled)
    assert match(people, rules) == match(shuffled, rules)


def test_heuristic_is_near_optimal_on_bench_cohorts(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = bench_rules()
    for seed in range(3):
        people = generate_cohort(120, seed)
        exact = match(people, rules)
        assert exact.exact
        monkeypatch.setattr(engine_model, "EXACT_POOL_LIMIT", 0)
        approx = match(people, rules)
        monkeypatch.undo()
        assert not approx.exact
        assert len(approx.pairs) == len(exact.pairs)
        assert approx.total_weight >= 0.99 * exact.total_weight
        assert exact.upper_bound >= exact.total_weight >= approx.total_weight - 1e-9


# --- match: locked pairs, odd cohorts, edge cases --------------------------------------------
def test_locked_pairs_are_kept_and_their_people_not_reused() -> None:
    rules = Rules(skill_weight=10)
    people = [person(i, "Python" if i % 2 else "SQL", "SQL" if i % 2 else "Python")
              for i in range(1, 9)]  # fmt: skip
    people[2] = person(3, "Python", "SQL", manager_id=4)  # 3 reports to 4
    locked = [(4, 3), (1, 5)]  # 3–4 is now forbidden, 1–5 has no fit: kept all the same
    result = match(people, rules, locked=locked)
    assert (3, 4) in result.pairs and (1, 5) in result.pairs
    others = [p for pair in result.pairs if pair not in {(3, 4), (1, 5)} for p in pair]
    assert not {1, 3, 4, 5} & set(others)
    assert sorted(others) == [2, 6, 7, 8]
    assert_valid(result, people, rules, locked=locked)
    # The forbidden locked pair counts 0, the allowed one its weight (0 here: no fit).
    free_pairs = [pair for pair in result.pairs if pair not in {(3, 4), (1, 5)}]
    by_id = {c.id: c for c in people}
    assert result.total_weight == math.fsum(edge_weight(by_id, *p, rules) for p in free_pairs)


@pytest.mark.parametrize(
    "locked",
    [[(1, 99)], [(1, 1)], [(1, 2), (2, 3)]],
    ids=["unknown id", "self pair", "person locked twice"],
)
def test_bad_locked_pairs_are_refused(locked: list[tuple[int, int]]) -> None:
    with pytest.raises(ValueError):
        match([person(i) for i in (1, 2, 3, 4)], Rules(), locked=locked)


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError):
        match([person(1), person(1, "Python")], Rules())


def test_empty_and_single_cohorts() -> None:
    empty = match([], Rules())
    assert (empty.pairs, empty.trio, empty.unmatched, empty.total_weight) == ([], None, [], 0)
    assert empty.upper_bound == 0 and empty.ratio == 1.0
    single = match([person(7)], Rules(allow_trio=True))
    assert single.unmatched == [7]
    assert single.unmatched_reasons == {7: engine.REASON_NOBODY_ELSE}


def test_everyone_forbidden_is_explained() -> None:
    ids = [1, 2, 3, 4]
    people = [person(i, excluded_ids=set(ids) - {i}) for i in ids]
    result = match(people, Rules(allow_trio=True))
    assert result.pairs == [] and result.trio is None and result.unmatched == ids
    for reason in result.unmatched_reasons.values():
        assert reason.startswith("every other candidate is forbidden by a hard rule")
        assert "earlier partner or opt-out" in reason


def test_forbidding_rules_are_named() -> None:
    rules = Rules(forbid_same_department=True, max_utc_offset_difference=4)
    people = [
        person(1, department="Legal", utc_offset_hours=0),
        person(2, department="Legal", utc_offset_hours=0),
        person(3, department="Finance", utc_offset_hours=9),
    ]
    result = match(people, rules)
    assert result.unmatched == [1, 2, 3]
    template = engine.REASON_ALL_FORBIDDEN
    assert result.unmatched_reasons[1] == template.format(rules="same department, time-zone gap")
    assert result.unmatched_reasons[3] == template.format(rules="time-zone gap")


def test_only_locked_partners_left_is_explained() -> None:
    people = [person(1), person(2), person(3, excluded_ids={4}), person(4)]
    result = match(people, Rules(), locked=[(1, 2)])
    assert result.unmatched == [3, 4]
    assert result.unmatched_reasons[3] == engine.REASON_ONLY_LOCKED


def test_zero_weight_pairs_beat_leaving_people_unmatched() -> None:
    # A path 1 – 2 – 3 – 4 of allowed pairs: only 2–3 fits (weight 10), 1–2 and 3–4 weigh 0.
    # Taking 2–3 alone would leave 1 and 4 without partners: the engine pairs everybody.
    rules = Rules(skill_weight=10)
    people = [
        person(1, excluded_ids={3, 4}),
        person(2, "x", "y", excluded_ids={4}),
        person(3, "y", "x"),
        person(4),
    ]
    result = match(people, rules)
    assert result.pairs == [(1, 2), (3, 4)] and result.unmatched == []
    assert result.total_weight == 0
    assert result.upper_bound >= 10  # the bound covers every matching, the lone 2–3 too


def test_odd_cohort_without_trio_leaves_one_out_with_a_reason() -> None:
    people = [person(i, location=str(i)) for i in range(1, 6)]
    result = match(people, Rules(cross_location_weight=1))
    assert len(result.pairs) == 2 and result.trio is None and len(result.unmatched) == 1
    assert result.unmatched_reasons == {result.unmatched[0]: engine.REASON_ODD_NO_TRIO}


def test_odd_cohort_with_trio_joins_the_best_pair() -> None:
    rules = Rules(skill_weight=10, allow_trio=True)
    # 1–2 and 3–4 fit both ways; 5 wants what 3 and 4 offer, nothing of 1 and 2.
    people = [
        person(1, "a", "b"),
        person(2, "b", "a"),
        person(3, "c", "d"),
        person(4, "d", "c"),
        person(5, "", "c,d"),
    ]
    result = match(people, rules)
    assert result.pairs == [(1, 2)]
    assert result.trio == (3, 4, 5)
    assert result.unmatched == []
    assert_valid(result, people, rules)


def test_odd_cohort_where_no_pair_can_take_a_third() -> None:
    people = [person(1), person(2), person(3, manager_id=1, excluded_ids={2})]
    result = match(people, Rules(allow_trio=True))
    assert result.pairs == [(1, 2)] and result.trio is None and result.unmatched == [3]
    assert result.unmatched_reasons[3].startswith("every other candidate is forbidden")
    people = [person(1), person(2), person(3, manager_id=1)]
    result = match(people, Rules(allow_trio=True))
    assert result.trio is None and len(result.unmatched) == 1
    assert result.unmatched_reasons[result.unmatched[0]] == engine.REASON_ODD_NO_TRIO_FIT


# --- progress and the benchmark -------------------------------------------------------------
@pytest.mark.parametrize("size", [0, 1, 9, 150], ids=["empty", "one", "exact", "heuristic"])
def test_progress_is_monotonic_and_ends_at_one(size: int) -> None:
    seen: list[float] = []
    result = match(generate_cohort(size, 3), bench_rules(allow_trio=True), progress=seen.append)
    assert result.exact == (size <= engine.EXACT_POOL_LIMIT)
    assert seen and seen[-1] == 1.0
    assert all(0.0 <= x <= 1.0 for x in seen)
    assert all(x <= y for x, y in zip(seen, seen[1:], strict=False))


def test_bench_smoke() -> None:
    figures = run_benchmark(200, seed=1)
    assert figures["n"] == 200 and figures["pairs"] == 100 and not figures["exact"]
    assert figures["ratio"] >= 0.99
    assert generate_cohort(50, 4) == generate_cohort(50, 4)


def test_bench_prints_one_json_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--participants", "30", "--seed", "2", "--allow-trio"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    figures = json.loads(lines[0])
    assert figures["n"] == 30 and figures["exact"] is True and figures["ratio"] <= 1
    assert {"seconds", "peak_mb", "total_weight", "upper_bound"} <= figures.keys()


def test_the_engine_and_its_benchmark_import_no_django() -> None:
    """The engine is a pure module (STYLE.md): a fresh interpreter that imports it, and the
    benchmark built on it, has loaded no Django module at all."""
    code = (
        "import sys, pairing.engine, pairing.bench; "
        "print(sorted(m for m in sys.modules if m.partition('.')[0] == 'django'))"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
