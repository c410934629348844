"""Platform tasks: re-queue what a broker outage held back, and a worker heartbeat."""

import socket

from celery import shared_task
from django.utils import timezone

from .models import WorkerHeartbeat
from .outbox import outbox_flush


@shared_task(time_limit=120, soft_time_limit=100)
def outbox_flush_task() -> int:
    return outbox_flush()


@shared_task(time_limit=30, soft_time_limit=20)
def worker_heartbeat_task(hostname: str | None = None) -> str:
    """Record that a worker is alive. Idempotent: one row per host, updated in place."""
    name = hostname or socket.gethostname()
    WorkerHeartbeat.objects.update_or_create(hostname=name, defaults={"seen_at": timezone.now()})
    return name


# Celery autodiscovers ``<app>.tasks`` only: the notification tasks register through here.
from .notifications.tasks import (  # noqa: E402, F401
    delivery_send_task,
    notifications_scan_task,
    notifications_send_task,
)
