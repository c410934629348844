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


def test_recompute_now_runs_on_the_worker_and_the_page_then_reloads(celery_worker_process):
    from django.test import Client
    from django.urls import reverse

    from feedback.models import MetricsRecompute
    from programmes.models import ProgrammeRole
    from tests.factories import ProgrammeFactory, ProgrammeRoleFactory, UserFactory

    admin = UserFactory(email="recompute-admin@example.com")
    programme = ProgrammeFactory(slug="recompute", created_by=admin)
    ProgrammeRoleFactory(programme=programme, user=admin, role=ProgrammeRole.Role.ADMIN)
    build = MetricsBuilder()
    pairs = [build.programme_pair(programme=programme) for _ in range(3)]
    for pair in pairs:
        build.alternating(pair, 2)
    client = Client()
    client.force_login(admin)

    response = client.post(reverse("feedback:pair_health_recompute", kwargs={"slug": "recompute"}))
    assert response.status_code == 302
    job = MetricsRecompute.objects.get(programme=programme)
    wait_for(
        lambda: MetricsRecompute.objects.get(pk=job.pk).status == "done",
        timeout=90,
        what="the worker to finish the recompute",
    )
    job.refresh_from_db()
    assert (job.done, job.total) == (3, 3)
    assert PairMetric.objects.filter(pair__in=pairs).count() == 3
    progress = reverse("feedback:pair_health_recompute_progress", kwargs={"slug": "recompute"})
    assert client.get(progress, HTTP_HX_REQUEST="true").headers["HX-Refresh"] == "true"
    page = client.get(reverse("feedback:pair_health", kwargs={"slug": "recompute"}))
    assert "Recomputed the metrics of 3 pairs" in page.content.decode()
    assert celery_worker_process.poll() is None, "the worker died"
