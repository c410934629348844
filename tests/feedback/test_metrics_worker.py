"""The nightly recompute and the per-pair refresh, run by a real Celery worker."""

import pytest

from feedback.models import BenefitItem, PairMetric, SideMetric
from feedback.tasks import metrics_refresh_all_task, metrics_refresh_pair_task
from tests.conftest import wait_for
from tests.feedback.conftest import MetricsBuilder

pytestmark = [pytest.mark.worker]


def test_the_nightly_task_computes_every_pair_through_a_worker(celery_worker_process):
    build = MetricsBuilder()
    lopsided = build.programme_pair()
    a, b = build.sides(lopsided)
    build.alternating(lopsided, 4)
    for _ in range(5):
        build.item(lopsided, b, a)
    even = build.programme_pair()
    build.alternating(even, 4)

    metrics_refresh_all_task.delay()  # what beat sends at 02:15
    wait_for(
        lambda: PairMetric.objects.count() == 2,
        timeout=90,
        what="the worker to store both pairs' metrics",
    )
    assert PairMetric.objects.get(pair=lopsided).lopsided
    assert PairMetric.objects.get(pair=even).reciprocity_index == 1.0
    assert SideMetric.objects.get(pair=lopsided, participant=a).items_received == 5

    # The per-pair refresh (queued by the debounce) runs on the same worker.
    BenefitItem.objects.create(
        pair=lopsided,
        giver=a,
        receiver=b,
        kind=BenefitItem.Kind.ADVOCACY,
        description="advocated",
        occurred_on="2026-01-01",
        recorded_by=a,
        status=BenefitItem.Status.CONFIRMED,
    )
    metrics_refresh_pair_task.delay(lopsided.pk)
    wait_for(
        lambda: SideMetric.objects.get(pair=lopsided, participant=b).items_received == 1,
        timeout=90,
        what="the worker to refresh the pair",
    )
    assert celery_worker_process.poll() is None, "the worker died"
