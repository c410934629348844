"""``metrics_compute`` on real rows: figures, only confirmed items, flags, idempotence, set-based."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from feedback.models import BenefitItem, Goal, PairMetric, SideMetric
from feedback.services.metrics import metrics_compute
from pairing.models import MentoringSession, Pair, PairMember, SessionRole
from tests.factories import ParticipantFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

MENTOR, MENTEE, BOTH = SessionRole.MENTOR, SessionRole.MENTEE, SessionRole.BOTH


@pytest.fixture
def rich_pair(build):
    """A pair with every kind of figure; the expected values are worked out by hand below."""
    pair = build.programme_pair()
    a, b = build.sides(pair)
    base = timezone.now() - dt.timedelta(days=30)
    s1 = build.session(pair, {a: MENTOR, b: MENTEE}, minutes=60, start=base)
    s2 = build.session(pair, {b: MENTOR, a: MENTEE}, minutes=90, start=base + dt.timedelta(days=7))
    s3 = build.session(pair, {a: MENTOR, b: MENTEE}, minutes=60, start=base + dt.timedelta(days=14))
    build.session(pair, {b: MENTOR, a: MENTEE}, minutes=30, start=base + dt.timedelta(days=21))
    # Split mode: both roles, half the time each.
    last = build.session(pair, {a: BOTH, b: BOTH}, minutes=60, start=base + dt.timedelta(days=28))
    # Not held: never counted.
    build.session(
        pair,
        {},
        status=MentoringSession.Status.SCHEDULED,
        start=timezone.now() + dt.timedelta(days=3),
    )
    build.session(
        pair, {}, status=MentoringSession.Status.CANCELLED, start=base + dt.timedelta(days=3)
    )
    build.reflect(s1, a, learned=4, challenged=3, listened=5, power_shared=4)
    build.reflect(s3, a, learned=5, challenged=4, listened=4, power_shared=5)
    build.reflect(s2, b, learned=3, challenged=2, listened=4, power_shared=3)
    build.goal(pair, a, 40)
    build.goal(pair, a, 80, status=Goal.Status.ACHIEVED)  # counts as 100
    build.goal(pair, a, 0, status=Goal.Status.DROPPED)  # left out
    build.goal(pair, b, 20)
    build.item(pair, b, a, kind=BenefitItem.Kind.INTRODUCTION)
    build.item(pair, b, a, kind=BenefitItem.Kind.ADVOCACY)
    build.item(pair, b, a, status=BenefitItem.Status.PENDING)
    build.item(pair, b, a, status=BenefitItem.Status.DISPUTED)
    build.item(pair, a, b, kind=BenefitItem.Kind.FEEDBACK)
    return pair, a, b, last


def side_values(pair):
    fields = [f.name for f in SideMetric._meta.fields if f.name not in ("id", "computed_at")]
    return sorted(SideMetric.objects.filter(pair=pair).values("pk", *fields), key=lambda r: r["pk"])


def test_per_side_figures_are_aggregated_from_held_sessions_only(rich_pair):
    pair, a, b, last = rich_pair
    assert metrics_compute(pair_ids=[pair.pk]) == 1
    side_a = SideMetric.objects.get(pair=pair, participant=a)
    side_b = SideMetric.objects.get(pair=pair, participant=b)

    assert (side_a.sessions_as_mentor, side_a.minutes_as_mentor) == (3, 60 + 60 + 30)
    assert (side_a.sessions_as_mentee, side_a.minutes_as_mentee) == (3, 90 + 30 + 30)
    assert (side_b.sessions_as_mentor, side_b.minutes_as_mentor) == (3, 90 + 30 + 30)
    assert (side_b.sessions_as_mentee, side_b.minutes_as_mentee) == (3, 60 + 60 + 30)
    assert side_a.learned_mean == 4.5
    assert (side_a.challenged_mean, side_a.listened_mean, side_a.power_shared_mean) == (
        3.5,
        4.5,
        4.5,
    )
    assert side_b.learned_mean == 3.0
    assert side_a.goal_progress_mean == 70.0  # (40 + 100) / 2, the dropped goal left out
    assert side_a.goals_achieved == 1
    assert side_b.goal_progress_mean == 20.0


def test_only_confirmed_ledger_items_count(rich_pair):
    pair, a, b, _ = rich_pair
    metrics_compute(pair_ids=[pair.pk])
    side_a = SideMetric.objects.get(pair=pair, participant=a)
    side_b = SideMetric.objects.get(pair=pair, participant=b)
    assert side_a.items_received == 2  # the pending and disputed ones do not count
    assert side_a.items_received_by_kind == {"advocacy": 1, "introduction": 1}
    assert side_a.items_given == 1
    assert side_a.items_given_by_kind == {"feedback": 1}
    assert side_b.items_received == 1
    assert side_b.items_given == 2
    assert side_b.items_given_by_kind == {"advocacy": 1, "introduction": 1}


def test_pair_figures_scores_and_index(rich_pair):
    pair, a, b, last = rich_pair
    metrics_compute(pair_ids=[pair.pk])
    metric = PairMetric.objects.get(pair=pair)
    assert metric.sessions_held == 5
    assert metric.last_session_at == last.scheduled_start
    assert metric.role_balance == 1.0  # 150 mentor minutes each
    # A: L (4.5−1)/4 = .875, G .7, R 2/5, M 150/450, O 0 → (1.75 + 1.4 + 1.6 + 1/3) / 12
    # B: L .5, G .2, R 1/4, M 150/450, O 0 → (1 + .4 + 1 + 1/3) / 12 (outcome weight 3)
    assert SideMetric.objects.get(pair=pair, participant=a).benefit_score == pytest.approx(
        (1.75 + 1.4 + 1.6 + 1 / 3) / 12, abs=1e-4
    )
    assert SideMetric.objects.get(pair=pair, participant=b).benefit_score == pytest.approx(
        (1 + 0.4 + 1 + 1 / 3) / 12, abs=1e-4
    )
    # leans towards A: learning .375 × 1/2, goals .5 × 1/2, ledger (2 − 1)/4 × 1, mentee 0,
    # outcomes 0 (the ledger, weight 4, is still the heaviest)
    assert metric.reciprocity_index == pytest.approx(1 - (0.1875 + 0.25 + 0.25), abs=1e-4)
    assert metric.lopsided  # 0.3125 < 0.5
    assert not metric.one_way
    assert not metric.stalled
    assert metric.unconfirmed_items == 0


def test_the_five_against_none_pair_is_stored_as_lopsided(build):
    pair = build.programme_pair()
    a, b = build.sides(pair)
    build.alternating(pair, 4)
    for _ in range(5):
        build.item(pair, b, a)
    metrics_compute()
    metric = PairMetric.objects.get(pair=pair)
    assert metric.reciprocity_index <= 0.2
    assert metric.lopsided


def test_recomputing_twice_writes_the_same_rows(rich_pair):
    pair, *_ = rich_pair
    metrics_compute(pair_ids=[pair.pk])
    first_sides = side_values(pair)
    first_pair = PairMetric.objects.filter(pair=pair).values().get()
    first_computed = first_pair.pop("computed_at")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
        metrics_compute(pair_ids=[pair.pk])
    assert side_values(pair) == first_sides  # same primary keys too: updated in place
    second_pair = PairMetric.objects.filter(pair=pair).values().get()
    assert second_pair.pop("computed_at") > first_computed
    assert second_pair == first_pair
    assert SideMetric.objects.filter(pair=pair).count() == 2


def test_a_change_is_picked_up_on_the_next_run(rich_pair, build):
    pair, a, b, _ = rich_pair
    metrics_compute(pair_ids=[pair.pk])
    BenefitItem.objects.filter(pair=pair, status=BenefitItem.Status.PENDING).update(
        status=BenefitItem.Status.CONFIRMED
    )
    metrics_compute(pair_ids=[pair.pk])
    assert SideMetric.objects.get(pair=pair, participant=a).items_received == 3


def test_a_member_who_left_keeps_no_side_row(build):
    pair = build.programme_pair()
    a, b = build.sides(pair)
    build.alternating(pair, 2)
    metrics_compute()
    assert SideMetric.objects.filter(pair=pair).count() == 2
    newcomer = ParticipantFactory(cohort=pair.cohort)
    PairMember.objects.filter(pair=pair, participant=b).delete()
    PairMember.objects.create(pair=pair, participant=newcomer, position=1)
    metrics_compute()
    assert set(SideMetric.objects.filter(pair=pair).values_list("participant_id", flat=True)) == {
        a.pk,
        newcomer.pk,
    }


def test_proposed_pairs_and_vanished_ids_are_skipped(build):
    proposed = build.programme_pair(status=Pair.Status.PROPOSED)
    live = build.programme_pair()
    assert metrics_compute(pair_ids=[proposed.pk, live.pk, 987654]) == 1
    assert not PairMetric.objects.filter(pair=proposed).exists()
    assert PairMetric.objects.filter(pair=live).exists()


def test_a_pair_without_sessions_has_no_index_yet(build):
    pair = build.programme_pair()
    metrics_compute()
    metric = PairMetric.objects.get(pair=pair)
    assert (metric.sessions_held, metric.role_balance, metric.reciprocity_index) == (0, None, None)
    assert not metric.lopsided
    assert SideMetric.objects.filter(pair=pair).count() == 2


def test_stalled_flag_follows_the_clock(build):
    programme = ProgrammeFactory(cadence_days=14)
    start = timezone.now()
    pair = build.programme_pair(programme=programme, published_at=start)
    a, b = build.sides(pair)
    build.session(pair, {a: MENTOR, b: MENTEE}, start=start + dt.timedelta(days=1))
    with time_machine.travel(start + dt.timedelta(days=21), tick=False):
        metrics_compute()
        assert not PairMetric.objects.get(pair=pair).stalled  # 20 days ≤ 21
    with time_machine.travel(start + dt.timedelta(days=23), tick=False):
        metrics_compute()
        assert PairMetric.objects.get(pair=pair).stalled  # 22 days > 14 × 1.5
        build.session(pair, {b: MENTOR, a: MENTEE}, start=timezone.now() - dt.timedelta(hours=2))
        metrics_compute()
        assert not PairMetric.objects.get(pair=pair).stalled


def test_completed_pairs_do_not_stall(build):
    pair = build.programme_pair(
        status=Pair.Status.COMPLETED, published_at=timezone.now() - dt.timedelta(days=200)
    )
    metrics_compute()
    assert not PairMetric.objects.get(pair=pair).stalled


def test_unconfirmed_items_older_than_fourteen_days(build):
    pair = build.programme_pair()
    a, b = build.sides(pair)
    build.item(pair, a, b, status=BenefitItem.Status.PENDING, age_days=15)
    build.item(pair, a, b, status=BenefitItem.Status.PENDING, age_days=13)
    build.item(pair, a, b, status=BenefitItem.Status.DISPUTED, age_days=30)
    metrics_compute()
    assert PairMetric.objects.get(pair=pair).unconfirmed_items == 1
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        metrics_compute()
    assert PairMetric.objects.get(pair=pair).unconfirmed_items == 2


def test_one_way_when_one_side_always_mentors(build):
    pair = build.programme_pair()
    a, b = build.sides(pair)
    for _ in range(2):
        build.session(pair, {a: MENTOR, b: MENTEE})
    metrics_compute()
    assert not PairMetric.objects.get(pair=pair).one_way
    build.session(pair, {a: MENTOR, b: MENTEE})
    metrics_compute()
    metric = PairMetric.objects.get(pair=pair)
    assert metric.one_way
    assert metric.role_balance == 0.0


def test_trio_gets_three_side_rows(build):
    programme = ProgrammeFactory()
    pair = build.programme_pair(programme=programme)
    third = ParticipantFactory(cohort=pair.cohort)
    PairMember.objects.create(pair=pair, participant=third, position=2)
    a, b, c = build.sides(pair)
    build.session(pair, {a: MENTOR, b: MENTEE, c: MENTEE}, minutes=60)
    build.session(pair, {b: MENTOR, a: MENTEE, c: MENTEE}, minutes=60)
    build.session(pair, {c: MENTOR, a: MENTEE, b: MENTEE}, minutes=30)
    metrics_compute()
    assert SideMetric.objects.filter(pair=pair).count() == 3
    assert PairMetric.objects.get(pair=pair).role_balance == 0.5


def _queries_for(build, pairs: int) -> int:
    for _ in range(pairs):
        pair = build.programme_pair()
        a, b = build.sides(pair)
        build.alternating(pair, 3)
        build.item(pair, a, b)
        build.goal(pair, a, 50)
    with CaptureQueriesContext(connection) as queries:
        metrics_compute()
    return len(queries)


def test_the_computation_is_set_based(build):
    """The number of queries does not grow with the number of pairs or rows."""
    small = _queries_for(build, 3)
    PairMetric.objects.all().delete()
    SideMetric.objects.all().delete()
    large = _queries_for(build, 30)
    assert large == small
    assert PairMetric.objects.count() == 33
