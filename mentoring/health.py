"""Checks behind /healthz: can we reach the database and the broker right now?"""

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from kombu import Connection


def database_status() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure is "unhealthy", reported as text
        return False, f"error: {exc.__class__.__name__}"
    return True, "ok"


def broker_status() -> tuple[bool, str]:
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return False, f"error: {exc.__class__.__name__}"
    return True, "ok"


def worker_status() -> dict[str, object]:
    """Informational: when a worker last ran the heartbeat task (beat sends it each minute)."""
    from .models import WorkerHeartbeat

    last = WorkerHeartbeat.objects.order_by("-seen_at").first()
    if last is None:
        return {"last_seen": None, "recent": False}
    return {
        "last_seen": last.seen_at.isoformat(),
        "recent": timezone.now() - last.seen_at < timedelta(minutes=5),
    }
