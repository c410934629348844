"""The dashboard's summaries are refreshed nightly (beat) and after a metrics recompute."""

import pytest
from django.conf import settings
from django.urls import reverse

from feedback.services.metrics.recompute import metrics_recompute_request, metrics_recompute_run
from insights.models import DashboardSnapshot
from mentoring import outbox
from mentoring.outbox import task_resolve

pytestmark = pytest.mark.django_db


def test_beat_refreshes_every_dashboard_after_the_nightly_metrics():
    schedule = settings.CELERY_BEAT_SCHEDULE
    nightly = schedule["nightly-dashboard-refresh"]
    assert nightly["task"] == "insights.tasks.dashboard_refresh_all_task"
    metrics = schedule["nightly-metrics-refresh"]["schedule"]
    assert (nightly["schedule"].hour, metrics.hour) == ({2}, {2})
    assert min(nightly["schedule"].minute) > min(metrics.minute)
    task_resolve(nightly["task"])  # a registered task, not a typo


def test_a_metrics_recompute_queues_the_dashboard_refresh(
    client, hr_programme, monkeypatch, django_capture_on_commit_callbacks
):
    programme = hr_programme.programme
    DashboardSnapshot.objects.filter(programme=programme).delete()
    sent = []
    monkeypatch.setattr(
        outbox, "publish", lambda task, args=(), kwargs=None: sent.append((task, list(args)))
    )
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = metrics_recompute_request(programme=programme, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        metrics_recompute_run(job_id=job.pk)
    assert ("insights.tasks.dashboard_refresh_task", [programme.pk]) in sent
    # What the worker then runs: the snapshots are back, the page reads them.
    task_resolve("insights.tasks.dashboard_refresh_task")(programme.pk)
    assert DashboardSnapshot.objects.filter(programme=programme).count() == 2 * 5
    client.force_login(hr_programme.hr)
    page = client.get(reverse("insights:dashboard", args=[programme.slug])).content.decode()
    assert "Figures as of" in page
