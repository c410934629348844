"""A broker outage must not lose work: the write commits, the task waits in the outbox."""

import pytest

from mentoring.models import PendingTask, WorkerHeartbeat
from mentoring.outbox import enqueue, outbox_flush
from mentoring.tasks import worker_heartbeat_task
from tests.outage import broker_down

pytestmark = pytest.mark.django_db


def test_enqueue_keeps_the_task_when_the_broker_is_down(django_capture_on_commit_callbacks):
    with broker_down():
        with django_capture_on_commit_callbacks(execute=True):
            WorkerHeartbeat.objects.create(hostname="the-users-write", seen_at="2026-01-01T00:00Z")
            enqueue(worker_heartbeat_task, "from-outbox")
    # The user's write is there, and so is the task, waiting.
    assert WorkerHeartbeat.objects.filter(hostname="the-users-write").exists()
    pending = PendingTask.objects.get()
    assert pending.task_name == "mentoring.tasks.worker_heartbeat_task"
    assert pending.args == ["from-outbox"]
    assert pending.last_error


def test_flush_keeps_tasks_while_the_broker_is_still_down():
    PendingTask.objects.create(task_name="mentoring.tasks.worker_heartbeat_task", args=["x"])
    with broker_down():
        assert outbox_flush() == 0
    pending = PendingTask.objects.get()
    assert pending.attempts == 1


def test_flush_sends_pending_tasks_once_the_broker_is_back():
    PendingTask.objects.create(task_name="mentoring.tasks.worker_heartbeat_task", args=["x"])
    sent = outbox_flush()
    assert not PendingTask.objects.exists(), PendingTask.objects.get().last_error
    assert sent == 1


def test_enqueue_waits_for_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue(worker_heartbeat_task, "later")
    assert len(callbacks) == 1
    assert not PendingTask.objects.exists()
