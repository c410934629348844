"""A broker outage must not lose work: the write commits, the task waits in the outbox."""

import contextlib

import pytest
from celery import current_app

from mentoring.models import PendingTask, WorkerHeartbeat
from mentoring.outbox import enqueue, outbox_flush
from mentoring.tasks import worker_heartbeat_task

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def broker_down():
    """Point the Celery app at a closed port, as when Redis is down, then restore it."""
    conf = current_app.conf
    original = conf.broker_url

    def reset_pools() -> None:
        # kombu keeps one connection pool per broker URL; dropping the app's references
        # makes the next publish pick the pool of whatever URL is configured now.
        current_app._pool = None
        current_app.amqp._producer_pool = None

    reset_pools()
    conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        yield
    finally:
        reset_pools()
        conf.broker_url = original


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
