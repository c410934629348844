"""The formula of README.md ("Per-side benefit") on hand-computed cases (no database)."""

import datetime as dt

import pytest

from feedback.services.metrics import (
    BenefitWeights,
    PairContext,
    PairFigures,
    SideFigures,
    benefit_score,
    pair_assess,
    reciprocity_index,
    role_balance,
)

# The programme defaults: learning 2, goals 2, ledger 4, mentee time 1, outcomes 3 (Σ 12).
DEFAULT = BenefitWeights()
NOW = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)


def side(pid: int, **figures) -> SideFigures:
    base = {"learned_mean": 4.0, "goal_progress_mean": 50.0, "minutes_as_mentee": 300}
    return SideFigures(participant_id=pid, position=pid - 1, **{**base, **figures})


def context(**fields) -> PairContext:
    base = {
        "pair_id": 1,
        "live": True,
        "published_at": NOW - dt.timedelta(days=60),
        "created_at": NOW - dt.timedelta(days=61),
        "cadence_days": 14,
        "reciprocity_threshold": 0.5,
        "weights": DEFAULT,
    }
    return PairContext(**{**base, **fields})


def test_symmetric_pair_is_fully_reciprocal():
    a, b = side(1, items_received=2), side(2, items_received=2)
    assert reciprocity_index([a, b], DEFAULT) == 1.0
    # (2·0.75 + 2·0.5 + 4·2/5 + 1·300/600 + 3·0) / 12 = 4.6 / 12
    assert benefit_score(a, DEFAULT) == pytest.approx(4.6 / 12)
    assert benefit_score(b, DEFAULT) == benefit_score(a, DEFAULT)


def test_five_confirmed_items_against_none_is_near_zero_and_flagged_lopsided():
    a, b = side(1, items_received=5), side(2, items_received=0)
    # Learning, goals and mentee time are equal; the ledger leans (5 − 0) / (5 + 0 + 1) = 5/6
    # at full weight (ledger is the heaviest): index = 1 − 5/6.
    index = reciprocity_index([a, b], DEFAULT)
    assert index == pytest.approx(1 / 6)
    assert index <= 0.2
    result = pair_assess(
        context=context(),
        figures=PairFigures(sessions_held=8, last_session_at=NOW),
        sides=[a, b],
        now=NOW,
    )
    assert result.lopsided
    assert result.reciprocity_index == pytest.approx(1 / 6)
    # Benefit scores show who got it: (1.5 + 1 + 4·5/8 + 0.5 + 0) / 12 against
    # (1.5 + 1 + 0 + 0.5 + 0) / 12.
    assert result.benefit_scores == {1: pytest.approx(5.5 / 12), 2: pytest.approx(3 / 12)}


def test_a_mildly_uneven_pair_is_in_between_and_not_flagged():
    a = side(1, learned_mean=4.0, goal_progress_mean=60, items_received=3, minutes_as_mentee=300)
    b = side(2, learned_mean=3.5, goal_progress_mean=50, items_received=2, minutes_as_mentee=240)
    # leans: learning 0.75 − 0.625 = 0.125 (× 2/4), goals 0.1 (× 2/4), ledger 1/6 (× 4/4),
    # mentee time 60/541 (× 1/4).
    net = 0.125 / 2 + 0.1 / 2 + 1 / 6 + (60 / 541) / 4
    index = reciprocity_index([a, b], DEFAULT)
    assert index == pytest.approx(1 - net)
    assert index == pytest.approx(0.6931, abs=1e-4)
    result = pair_assess(
        context=context(),
        figures=PairFigures(sessions_held=6, last_session_at=NOW),
        sides=[a, b],
        now=NOW,
    )
    assert not result.lopsided


def test_opposite_benefits_offset_each_other():
    # A receives 3 items (lean +3/4 at full weight); B learned far more (5 vs 3: 1.0 − 0.5
    # = 0.5, at half weight −0.25). An exchange, not a one-way street: index 1 − 0.5.
    a = side(1, items_received=3, learned_mean=3.0)
    b = side(2, items_received=0, learned_mean=5.0)
    assert reciprocity_index([a, b], DEFAULT) == pytest.approx(0.5)


def test_one_side_getting_everything_is_clipped_to_zero():
    a = side(1, items_received=10, learned_mean=5.0, goal_progress_mean=100)
    b = side(2, items_received=0, learned_mean=1.0, goal_progress_mean=0)
    assert reciprocity_index([a, b], DEFAULT) == 0.0


def test_a_side_that_has_not_reflected_is_not_compared_on_learning():
    a = side(1, learned_mean=5.0)
    b = side(2, learned_mean=None)
    assert reciprocity_index([a, b], DEFAULT) == 1.0
    # ... but scores 0 on learning in its own benefit score: (0 + 1 + 0 + 0.5 + 0) / 12.
    assert benefit_score(b, DEFAULT) == pytest.approx(1.5 / 12)


def test_weights_are_programme_settings():
    a, b = side(1, items_received=5), side(2, items_received=0)
    assert reciprocity_index([a, b], BenefitWeights(ledger=0)) == 1.0
    # Ledger at 3, level with outcomes: still the heaviest, same index.
    assert reciprocity_index([a, b], BenefitWeights(ledger=3)) == pytest.approx(1 / 6)
    # Ledger at 2 under outcomes at 3: it pulls with two thirds of its strength.
    assert reciprocity_index([a, b], BenefitWeights(ledger=2)) == pytest.approx(1 - 5 / 9)
    # Outcomes left out (weight 0): learning and goals at 2 are the heaviest again.
    no_outcomes = BenefitWeights(ledger=1, outcomes=0)
    assert reciprocity_index([a, b], no_outcomes) == pytest.approx(1 - 5 / 12)
    nothing = BenefitWeights(learning=0, goals=0, ledger=0, mentee_time=0, outcomes=0)
    assert reciprocity_index([a, b], nothing) is None
    assert benefit_score(a, nothing) == 0.0


def test_outcomes_take_part_by_default_and_not_when_switched_off():
    a = side(1, outcomes={"promotion": 1})
    b = side(2)
    # Outcome lean (1 − 0) / 2 = 0.5 at weight 3/4 → index 1 − 0.375.
    assert reciprocity_index([a, b], DEFAULT) == pytest.approx(0.625)
    # (1.5 + 1 + 0 + 0.5 + 3 · 1/2) / 12
    assert benefit_score(a, DEFAULT) == pytest.approx(4.5 / 12)
    untracked = BenefitWeights(outcomes_tracked=False)
    assert reciprocity_index([a, b], untracked) == 1.0
    assert benefit_score(a, untracked) == benefit_score(b, untracked)


def test_trio_index_is_its_most_lopsided_two_side_comparison():
    a, b, c = side(1, items_received=4), side(2, items_received=4), side(3, items_received=0)
    # A–B: 1.0; A–C and B–C: 1 − 4/5.
    assert reciprocity_index([a, b, c], DEFAULT) == pytest.approx(0.2)


def test_role_balance_is_min_over_max_of_mentor_minutes():
    assert role_balance(
        [side(1, minutes_as_mentor=300), side(2, minutes_as_mentor=200)]
    ) == pytest.approx(2 / 3)
    assert role_balance([side(1, minutes_as_mentor=120), side(2, minutes_as_mentor=120)]) == 1.0
    assert role_balance([side(1, minutes_as_mentor=0), side(2, minutes_as_mentor=0)]) is None
    trio = [
        side(1, minutes_as_mentor=300),
        side(2, minutes_as_mentor=150),
        side(3, minutes_as_mentor=0),
    ]
    assert role_balance(trio) == 0.0


def test_no_held_session_means_no_index_and_no_lopsided_flag():
    a, b = side(1, items_received=5), side(2)
    result = pair_assess(
        context=context(published_at=NOW - dt.timedelta(days=3)),
        figures=PairFigures(),
        sides=[a, b],
        now=NOW,
    )
    assert result.reciprocity_index is None
    assert result.role_balance is None
    assert not result.lopsided
    assert not result.stalled


@pytest.mark.parametrize(
    ("days_since", "live", "stalled"),
    [(20, True, False), (21, True, False), (22, True, True), (90, False, False)],
)
def test_stalled_after_cadence_plus_half(days_since, live, stalled):
    # cadence 14 days → stalled after 21 days without a held session (live pairs only)
    figures = PairFigures(sessions_held=2, last_session_at=NOW - dt.timedelta(days=days_since))
    result = pair_assess(
        context=context(live=live), figures=figures, sides=[side(1), side(2)], now=NOW
    )
    assert result.stalled is stalled


def test_stalled_counts_from_publication_when_no_session_was_held():
    result = pair_assess(
        context=context(published_at=NOW - dt.timedelta(days=22)),
        figures=PairFigures(),
        sides=[side(1), side(2)],
        now=NOW,
    )
    assert result.stalled


@pytest.mark.parametrize(("held", "one_way"), [(2, False), (3, True)])
def test_one_way_when_a_side_never_mentored_after_three_sessions(held, one_way):
    sides = [side(1, sessions_as_mentor=held), side(2, sessions_as_mentor=0)]
    result = pair_assess(
        context=context(),
        figures=PairFigures(sessions_held=held, last_session_at=NOW),
        sides=sides,
        now=NOW,
    )
    assert result.one_way is one_way
