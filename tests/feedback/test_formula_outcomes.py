"""Outcome events in the benefit score and the reciprocity index, computed by hand.

README.md ("Per-side benefit"): O = o / (o + 1), o = positive outcomes (promotion, role
change, pay rise) since the side's cohort started; weight 3 of Σ 12 by default. In the
index the outcomes lean (a − b) / (a + b + 1) at weight 3 / 4 (the ledger is heaviest).
"""

import datetime as dt
from decimal import Decimal

import pytest

from feedback.models import OutcomeEvent, PairMetric, SideMetric
from feedback.services.metrics import metrics_compute
from programmes.models import Programme

pytestmark = pytest.mark.django_db


def event(participant, kind, days_after_start, pct=None):
    return OutcomeEvent.objects.create(
        participant=participant,
        kind=kind,
        occurred_on=participant.cohort.starts_on + dt.timedelta(days=days_after_start),
        pay_change_pct=pct,
    )


@pytest.fixture
def pair_with_outcomes(build):
    pair = build.programme_pair()
    a, b = build.sides(pair)
    build.alternating(pair, 2)  # 60 minutes as mentor and 60 as mentee each
    event(a, "promotion", 10)
    event(a, "pay_change", 12, Decimal("5.00"))  # a rise: positive
    event(b, "pay_change", 12, Decimal("-3.00"))  # a cut: not a benefit
    event(b, "left", 20)  # leaving is not a benefit (the dashboard compares retention)
    event(b, "promotion", -5)  # before the cohort started: not the programme's
    return pair, a, b


def test_positive_outcomes_are_stored_by_kind(pair_with_outcomes):
    pair, a, b = pair_with_outcomes
    metrics_compute(pair_ids=[pair.pk])
    assert SideMetric.objects.get(pair=pair, participant=a).outcomes == {
        "promotion": 1,
        "pay_change": 1,
    }
    assert SideMetric.objects.get(pair=pair, participant=b).outcomes == {}


def test_benefit_scores_and_index_with_outcomes(pair_with_outcomes):
    pair, a, b = pair_with_outcomes
    metrics_compute(pair_ids=[pair.pk])
    # Both: learning 0, goals 0, ledger 0, mentee time 60 / (60 + 300) = 1/6.
    # A: outcomes 2 / (2 + 1) = 2/3 → (1 · 1/6 + 3 · 2/3) / 12 = 13/72
    # B: outcomes 0 → (1 · 1/6) / 12 = 1/72
    assert SideMetric.objects.get(pair=pair, participant=a).benefit_score == pytest.approx(
        13 / 72, abs=1e-4
    )
    assert SideMetric.objects.get(pair=pair, participant=b).benefit_score == pytest.approx(
        1 / 72, abs=1e-4
    )
    # Outcomes lean (2 − 0) / (2 + 0 + 1) = 2/3 at weight 3/4 → net 0.5, index 0.5: not
    # below the threshold 0.5, so not lopsided.
    metric = PairMetric.objects.get(pair=pair)
    assert metric.reciprocity_index == pytest.approx(0.5, abs=1e-4)
    assert not metric.lopsided


def test_a_third_outcome_makes_the_pair_lopsided(pair_with_outcomes):
    pair, a, _ = pair_with_outcomes
    event(a, "role_change", 15)
    metrics_compute(pair_ids=[pair.pk])
    # lean 3/4 at weight 3/4 → net 9/16 → index 7/16 < 0.5
    metric = PairMetric.objects.get(pair=pair)
    assert metric.reciprocity_index == pytest.approx(7 / 16, abs=1e-4)
    assert metric.lopsided
    # A: O = 3/4 → (1/6 + 9/4) / 12
    assert SideMetric.objects.get(pair=pair, participant=a).benefit_score == pytest.approx(
        (1 / 6 + 9 / 4) / 12, abs=1e-4
    )


def test_an_outcome_weight_of_zero_leaves_outcomes_out(pair_with_outcomes):
    pair, a, b = pair_with_outcomes
    Programme.objects.filter(pk=pair.cohort.programme_id).update(benefit_weight_outcomes=0)
    metrics_compute(pair_ids=[pair.pk])
    assert PairMetric.objects.get(pair=pair).reciprocity_index == pytest.approx(1.0)
    # (1 · 1/6) / 9 for both
    for side in (a, b):
        assert SideMetric.objects.get(pair=pair, participant=side).benefit_score == pytest.approx(
            1 / 54, abs=1e-4
        )


def test_importing_events_recomputes_the_programme(world, django_capture_on_commit_callbacks):
    from unittest import mock

    from feedback.imports.events import events_apply

    with (
        mock.patch("mentoring.outbox.publish") as publish,
        django_capture_on_commit_callbacks(execute=True),
    ):
        events_apply(
            programme=world.programme,
            text=f"email,kind,occurred_on\n{world.member.email},promotion,"
            f"{world.cohort.starts_on + dt.timedelta(days=1)}\n",
            by=world.admin,
        )
    publish.assert_called_once_with(
        "feedback.tasks.metrics_refresh_all_task", args=(world.programme.pk,), kwargs={}
    )
