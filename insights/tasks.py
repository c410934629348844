"""Dashboard tasks: ids in, call ``insights.services``; idempotent (they rewrite rows)."""

from celery import shared_task
from django.db import OperationalError

from insights.services import dashboard_refresh, dashboard_refresh_all

RETRY = {"autoretry_for": (OperationalError,), "max_retries": 3, "retry_backoff": 5}


@shared_task(time_limit=600, soft_time_limit=540, **RETRY)
def dashboard_refresh_task(programme_id: int) -> int:
    """One programme's summaries (queued after its metrics recompute)."""
    return dashboard_refresh(programme_id=programme_id)


@shared_task(time_limit=1800, soft_time_limit=1500, **RETRY)
def dashboard_refresh_all_task() -> int:
    """Nightly, after the metrics refresh (beat)."""
    return dashboard_refresh_all()
