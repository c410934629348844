"""Debounced scheduling of metric refreshes: at most once per pair per minute, none lost.

An admin's "Recompute now" of a whole programme is a job with progress: ``recompute``.

The refresh tasks are named, not imported (``feedback.tasks`` imports this package):
``mentoring.outbox`` resolves the names in Celery's registry when it sends them.
"""

from __future__ import annotations

import logging
from functools import partial

from django.core.cache import cache
from django.db import transaction

from mentoring.outbox import publish

logger = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 60  # at most one recompute per pair per minute
# The pending marker outlives the countdown so a slow queue does not cause duplicates,
# but expires eventually in case the task was lost (the nightly run catches up anyway).
DEBOUNCE_MARKER_TTL = 15 * 60
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
    """
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
    """Called by the task as it starts: later changes must schedule a new run."""
    try:
        cache.delete(pending_marker_key(pair_id))
    except Exception:  # the marker expires on its own
        logger.warning("Cache unavailable; pending marker of pair %s left to expire", pair_id)
