"""'Recompute now' with progress (Step 8, item 9): a job the worker reports on, chunk by chunk.

The page shows the job while it is queued or running, polls its progress fragment, and
reloads the fresh figures when it is done; without JavaScript a link reloads the page.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import MetricsRecompute, PairMetric
from feedback.services.metrics import recompute as recompute_service
from feedback.services.metrics.recompute import metrics_recompute_request, metrics_recompute_run
from feedback.tasks import metrics_refresh_all_task
from programmes.models import ProgrammeRole
from tests.factories import ProgrammeFactory, ProgrammeRoleFactory, UserFactory
from tests.feedback.test_health_page import even_pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(db):
    admin = UserFactory(email="recompute-admin@example.com")
    programme = ProgrammeFactory(slug="recompute", name="Recompute programme", created_by=admin)
    ProgrammeRoleFactory(programme=programme, user=admin, role=ProgrammeRole.Role.ADMIN)
    return programme


@pytest.fixture
def admin_client(client, programme):
    client.force_login(programme.created_by)
    return client


def progress_url(programme) -> str:
    return reverse("feedback:pair_health_recompute_progress", kwargs={"slug": programme.slug})


def page_url(programme) -> str:
    return reverse("feedback:pair_health", kwargs={"slug": programme.slug})


def test_the_fragment_polls_while_the_job_runs_then_reloads_the_page(
    build, programme, admin_client
):
    for _ in range(3):
        even_pair(build, programme)
    job, queued = metrics_recompute_request(programme=programme, by=programme.created_by)
    assert queued and job.total == 3
    polling = admin_client.get(progress_url(programme), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in polling.content.decode()
    assert "HX-Refresh" not in polling.headers

    MetricsRecompute.objects.filter(pk=job.pk).update(status="running", done=1)
    running = admin_client.get(progress_url(programme), HTTP_HX_REQUEST="true").content.decode()
    assert "1 of 3 pairs done" in running and 'aria-valuenow="33"' in running

    metrics_refresh_all_task(programme.pk, job.pk)  # what the worker runs
    done = admin_client.get(progress_url(programme), HTTP_HX_REQUEST="true")
    assert done.headers["HX-Refresh"] == "true"
    page = admin_client.get(page_url(programme)).content.decode()
    assert "Recomputed the metrics of 3 pairs at" in page
    assert 'data-testid="summary-computed">3<' in page
    assert 'hx-trigger="every 1s"' not in page


def test_the_worker_reports_progress_after_each_step(build, programme, monkeypatch):
    pairs = [even_pair(build, programme, sessions=1) for _ in range(3)]
    monkeypatch.setattr(recompute_service, "RECOMPUTE_MIN_STEP", 1)
    job, _ = metrics_recompute_request(programme=programme, by=None)
    seen = []
    real = recompute_service.metrics_compute

    def watched(**kwargs):
        seen.append(MetricsRecompute.objects.values_list("status", "done").get(pk=job.pk))
        return real(**kwargs)

    monkeypatch.setattr(recompute_service, "metrics_compute", watched)
    assert metrics_recompute_run(job_id=job.pk) == 3
    assert seen == [("running", 0), ("running", 1), ("running", 2)]
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == ("done", 3, 3, 100)
    assert set(PairMetric.objects.values_list("pair_id", flat=True)) == {p.pk for p in pairs}
    # Run twice (a redelivered task): nothing more is done.
    assert metrics_recompute_run(job_id=job.pk) == 0


def test_a_job_whose_worker_was_lost_is_failed_and_replaced(programme):
    old, _ = metrics_recompute_request(programme=programme, by=None)
    MetricsRecompute.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=1)
    )
    new, queued = metrics_recompute_request(programme=programme, by=None)
    old.refresh_from_db()
    assert queued and new.pk != old.pk
    assert old.status == "failed" and "did not finish" in old.error


def test_a_failed_recompute_says_so_and_offers_to_try_again(
    build, programme, admin_client, monkeypatch
):
    even_pair(build, programme)
    job, _ = metrics_recompute_request(programme=programme, by=None)

    def broken(**kwargs):
        raise ValueError("disk full")

    monkeypatch.setattr(recompute_service, "metrics_compute", broken)
    with pytest.raises(ValueError):
        metrics_recompute_run(job_id=job.pk)
    page = admin_client.get(page_url(programme)).content.decode()
    assert "The last recompute did not finish." in page and "disk full" in page
