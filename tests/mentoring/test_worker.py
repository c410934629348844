"""A real Celery worker, on the real broker (Redis in CI, the embedded one locally)."""

import pytest

from mentoring.models import WorkerHeartbeat
from mentoring.tasks import worker_heartbeat_task
from tests.conftest import wait_for

pytestmark = [pytest.mark.worker]


def test_a_real_worker_runs_a_task_and_its_effect_is_in_the_database(celery_worker_process):
    worker_heartbeat_task.delay("integration-test-host")
    beat = wait_for(
        lambda: WorkerHeartbeat.objects.filter(hostname="integration-test-host").first(),
        timeout=90,
        what="the worker to record its heartbeat",
    )
    assert beat.seen_at is not None
    assert celery_worker_process.poll() is None, "the worker died"
