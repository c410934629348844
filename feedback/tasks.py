"""Metrics tasks: thin wrappers that take ids and call ``feedback.services.metrics``.

Both are idempotent (they recompute from the database and upsert) and tolerate
vanished rows (a deleted pair or programme simply computes nothing).
"""

from celery import shared_task
from django.db import OperationalError

from feedback.services.metrics import (
    metrics_compute,
    metrics_pair_ids_for_programme,
    metrics_recompute_run,
    metrics_refresh_owed,
    pending_marker_clear,
)

# A lock timeout or deadlock with a concurrent run is retried: the tasks are idempotent.
RETRY = {"autoretry_for": (OperationalError,), "max_retries": 3, "retry_backoff": 5}


@shared_task(time_limit=90, soft_time_limit=60, **RETRY)
def metrics_refresh_pair_task(pair_id: int) -> int:
    """Debounced refresh of one pair (queued by ``pair_metrics_changed``)."""
    # Clear the pending marker before reading: a change committed from now on queues
    # another run, so nothing written during this computation is lost.
    pending_marker_clear(pair_id=pair_id)
    return metrics_compute(pair_ids=[pair_id])


@shared_task(time_limit=120, soft_time_limit=90, **RETRY)
def metrics_refresh_owed_task() -> int:
    """Every minute (beat): re-queue the pair refreshes whose tasks were lost."""
    return metrics_refresh_owed()


@shared_task(time_limit=1800, soft_time_limit=1500, **RETRY)
def metrics_refresh_all_task(programme_id: int | None = None, job_id: int | None = None) -> int:
    """Nightly full recompute (beat, no argument) or one programme's: an admin's "Recompute
    now" (``job_id``: the ``MetricsRecompute`` row it reports its progress on)."""
    if job_id is not None:
        return metrics_recompute_run(job_id=job_id)
    if programme_id is None:
        return metrics_compute()
    return metrics_compute(pair_ids=metrics_pair_ids_for_programme(programme_id=programme_id))


@shared_task(time_limit=120, soft_time_limit=90, **RETRY)
def surveys_schedule_task() -> int:
    """Hourly (beat): create the survey waves of running programmes that are due (the survey
    reminder scan does it too; both are idempotent)."""
    from django.utils import timezone

    from feedback.services.outcomes import surveys_schedule

    return surveys_schedule(now=timezone.now())
