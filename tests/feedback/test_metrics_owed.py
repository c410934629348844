"""A refresh owed is a database row: a task lost with the broker is caught up by the sweep.

A worker holds the debounced (delayed) refreshes in memory; when its broker connection
drops they are discarded and Redis gives them back only after the visibility timeout
(15 minutes), while the debounce marker keeps later writes from queueing another. The
sweep (beat, every minute) re-queues what has been owed for longer than the debounce.
Publishing is recorded instead of sent, as in ``test_metrics_debounce``.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from feedback.models import PairMetric, PairMetricsOwed
from feedback.services.metrics import metrics_refresh_owed, pair_metrics_changed
from feedback.services.metrics.scheduling import OWED_GRACE
from feedback.tasks import metrics_refresh_owed_task, metrics_refresh_pair_task
from mentoring.settings.base import CELERY_BEAT_SCHEDULE

pytestmark = pytest.mark.django_db


def _age(pair_id: int, by: timedelta) -> None:
    PairMetricsOwed.objects.filter(pair_id=pair_id).update(since=timezone.now() - by)


def test_a_change_owes_its_pair_a_refresh_in_the_same_transaction(build, published, change):
    pair = build.programme_pair()
    change(pair.pk)
    change(pair.pk)  # still one debt, from the first change
    owed = PairMetricsOwed.objects.get()
    assert owed.pair_id == pair.pk
    with pytest.raises(RuntimeError), transaction.atomic():
        other = build.programme_pair()
        pair_metrics_changed(pair_id=other.pk)
        raise RuntimeError("the write failed")
    assert list(PairMetricsOwed.objects.values_list("pair_id", flat=True)) == [pair.pk]


def test_the_refresh_pays_the_debt_as_it_starts(build, published, change):
    pair = build.programme_pair()
    build.alternating(pair, 2)
    change(pair.pk)
    metrics_refresh_pair_task(pair.pk)
    assert not PairMetricsOwed.objects.exists()
    assert PairMetric.objects.get(pair=pair).sessions_held == 2


def test_the_sweep_requeues_a_refresh_whose_task_was_lost(build, published, change):
    lost, recent = build.programme_pair(), build.programme_pair()
    build.alternating(lost, 2)
    change(lost.pk)
    change(recent.pk)
    assert len(published) == 2  # the debounced tasks, then lost with the broker
    _age(lost.pk, OWED_GRACE + timedelta(seconds=1))
    # A later write sees the debounce marker and queues nothing: only the sweep helps.
    change(lost.pk)
    assert len(published) == 2
    assert metrics_refresh_owed_task() == 1
    assert published[-1] == ([lost.pk], None)  # now, not after another minute
    # Not queued again at once while that refresh is on its way...
    assert metrics_refresh_owed() == 0
    metrics_refresh_pair_task(lost.pk)
    assert PairMetric.objects.get(pair=lost).sessions_held == 2
    assert list(PairMetricsOwed.objects.values_list("pair_id", flat=True)) == [recent.pk]


def test_a_refresh_that_is_only_slow_is_queued_again_after_another_grace(build, published):
    pair = build.programme_pair()
    pair_metrics_changed(pair_id=pair.pk)
    _age(pair.pk, OWED_GRACE * 2)
    assert metrics_refresh_owed() == 1
    now = timezone.now()
    assert metrics_refresh_owed(now=now + OWED_GRACE / 2) == 0
    assert metrics_refresh_owed(now=now + OWED_GRACE * 2) == 1


def test_the_sweep_takes_the_oldest_first_in_bounded_batches(build, published):
    pairs = [build.programme_pair() for _ in range(3)]
    for age, pair in zip((3, 5, 4), pairs, strict=True):
        pair_metrics_changed(pair_id=pair.pk)
        _age(pair.pk, OWED_GRACE * age)
    assert metrics_refresh_owed(limit=2) == 2
    assert [args for args, _ in published[-2:]] == [[pairs[1].pk], [pairs[2].pk]]
    # The next run takes the rest; the two just queued wait for another grace.
    assert metrics_refresh_owed(limit=2) == 1
    assert published[-1] == ([pairs[0].pk], None)


def test_beat_runs_the_sweep_every_minute():
    entry = CELERY_BEAT_SCHEDULE["metrics-refresh-owed"]
    assert entry["task"] == metrics_refresh_owed_task.name
    assert entry["schedule"] == 60.0
