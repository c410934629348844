"""Debounced scheduling of metric refreshes: at most once per pair per minute, none lost.

An admin's "Recompute now" of a whole programme is a job with progress: ``recompute``.

The refresh tasks are named, not imported (``feedback.tasks`` imports this package):
``mentoring.outbox`` resolves the names in Celery's registry when it sends them.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from feedback.models import PairMetricsOwed
from mentoring.outbox import publish

logger = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 60  # at most one recompute per pair per minute
# The pending marker outlives the countdown so a slow queue does not cause duplicates,
# but expires eventually in case the task was lost (the nightly run catches up anyway).
DEBOUNCE_MARKER_TTL = 15 * 60
#: A refresh owed for longer than this has lost its task: the sweep queues another.
OWED_GRACE = timedelta(seconds=DEBOUNCE_SECONDS + 30)
OWED_SWEEP_BATCH = 500
REFRESH_PAIR_TASK = "feedback.tasks.metrics_refresh_pair_task"
REFRESH_ALL_TASK = "feedback.tasks.metrics_refresh_all_task"


def pending_marker_key(pair_id: int) -> str:
    return f"metrics:pair:{pair_id}"


def pair_metrics_changed(*, pair_id: int) -> None:
    """Call after any write that affects a pair's metrics; schedules a debounced recompute.

    After the write commits, the first change in a quiet minute queues
    ``metrics_refresh_pair_task`` 60 s later and leaves a "pending" marker in the cache;
    further changes see the marker and queue nothing, because the pending task reads
    the database when it runs and so includes them. The task removes the marker
    *before* it reads, so a change committed during the computation queues a fresh run:
    no update is lost. Nothing is scheduled if the transaction rolls back.

    The debt itself is a row (``PairMetricsOwed``) written in the caller's transaction,
    so a task lost with the broker is caught up by ``metrics_refresh_owed``.
    """
    PairMetricsOwed.objects.bulk_create(
        [PairMetricsOwed(pair_id=pair_id, since=timezone.now())], ignore_conflicts=True
    )
    transaction.on_commit(partial(_schedule_refresh, pair_id), robust=True)


def _schedule_refresh(pair_id: int) -> None:
    try:
        first = cache.add(pending_marker_key(pair_id), 1, timeout=DEBOUNCE_MARKER_TTL)
    except Exception:  # a cache outage must not stop the refresh: schedule without debounce
        logger.warning("Cache unavailable; scheduling metrics of pair %s anyway", pair_id)
        first = True
    if first:
        # Already after commit: publish now (outbox fallback), delayed by the debounce window.
        publish(REFRESH_PAIR_TASK, args=[pair_id], countdown=DEBOUNCE_SECONDS)


def pending_marker_clear(*, pair_id: int) -> None:
    """Called by the task as it starts, before it reads: later changes must schedule (and
    owe) a new run."""
    PairMetricsOwed.objects.filter(pair_id=pair_id).delete()
    try:
        cache.delete(pending_marker_key(pair_id))
    except Exception:  # the marker expires on its own
        logger.warning("Cache unavailable; pending marker of pair %s left to expire", pair_id)


def metrics_refresh_owed(*, now: datetime | None = None, limit: int = OWED_SWEEP_BATCH) -> int:
    """Queue a refresh for each pair owed one for longer than ``OWED_GRACE`` (its task was
    lost: a broker outage, a worker that died holding it); returns how many.

    The oldest first, at most ``limit`` per run (beat runs it every minute). Each row's
    ``since`` moves to now, so a refresh that is only slow is not queued again at once;
    the refresh removes the row when it starts. Rows another sweep is handling are skipped.
    """
    now = now or timezone.now()
    with transaction.atomic():
        owed = list(
            PairMetricsOwed.objects.select_for_update(skip_locked=True)
            .filter(since__lt=now - OWED_GRACE)
            .order_by("since")
            .values_list("pair_id", flat=True)[:limit]
        )
        PairMetricsOwed.objects.filter(pair_id__in=owed).update(since=now)
    for pair_id in owed:
        publish(REFRESH_PAIR_TASK, args=[pair_id])
    if owed:
        logger.info("Re-queued %s metric refreshes whose tasks were lost", len(owed))
    return len(owed)
