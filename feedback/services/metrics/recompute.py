"""An admin's "Recompute now": one job per programme, with the progress the page shows.

:func:`metrics_recompute_request` records a ``MetricsRecompute`` row and queues
``feedback.tasks.metrics_refresh_all_task`` for it (by name, after commit); while one is
queued or running, pressing again shows that one instead of queueing another. The worker's
:func:`metrics_recompute_run` computes the programme's pairs in steps of
``metrics_compute`` and stores ``done``/``total`` after each, so the page's progress bar
moves; when the row says done, the page reloads the fresh figures.

A job whose worker was lost never blocks the programme: after ``RECOMPUTE_STALE_AFTER``
(``feedback.selectors.recompute``; longer than the task's 30-minute limit) it no longer
counts as running, and the next request marks it failed and queues a new one.
"""

from __future__ import annotations

import math

from django.db import OperationalError, transaction
from django.utils import timezone

from feedback.models import MetricsRecompute
from feedback.selectors.recompute import recompute_is_active
from mentoring.models import User
from mentoring.outbox import enqueue
from programmes.models import Programme

from .compute import CHUNK_PAIRS, metrics_compute, metrics_pair_ids_for_programme
from .scheduling import REFRESH_ALL_TASK

#: About this many progress steps per job, each at least ``RECOMPUTE_MIN_STEP`` pairs (a
#: step costs eight GROUP BY queries whatever its size) and at most one compute chunk.
RECOMPUTE_STEPS = 20
DASHBOARD_REFRESH_TASK = "insights.tasks.dashboard_refresh_task"
RECOMPUTE_MIN_STEP = 50


def metrics_recompute_request(
    *, programme: Programme, by: User | None
) -> tuple[MetricsRecompute, bool]:
    """Queue a recompute of ``programme``'s pairs; ``(job, queued_now)``.

    ``queued_now`` is False when one is already queued or running: it computes from the
    database when it runs, so a second one would add nothing. The programme row is locked
    while deciding, so two admins pressing at once queue one job.
    """
    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        now = timezone.now()
        active = MetricsRecompute.objects.filter(
            programme=programme, status__in=MetricsRecompute.ACTIVE_STATUSES
        ).first()
        if recompute_is_active(active, now=now):
            return active, False
        if active is not None:  # a lost worker's job: say so, and start again
            MetricsRecompute.objects.filter(pk=active.pk).update(
                status=MetricsRecompute.Status.FAILED,
                finished_at=now,
                error="The background worker did not finish it.",
            )
        job = MetricsRecompute.objects.create(
            programme=programme,
            requested_by=by,
            total=len(metrics_pair_ids_for_programme(programme_id=programme.pk)),
        )
        enqueue(REFRESH_ALL_TASK, programme.pk, job.pk)
    return job, True


def _step(total: int) -> int:
    return min(CHUNK_PAIRS, max(RECOMPUTE_MIN_STEP, math.ceil(total / RECOMPUTE_STEPS)))


def metrics_recompute_run(*, job_id: int) -> int:
    """The worker's side: compute the job's programme and report progress; pairs written.

    Idempotent: a job that is done, failed or gone computes nothing. A database error worth
    a retry (``OperationalError``) leaves the job running for the task's retry, which
    starts over; any other error marks it failed with its text, for the page to show.
    """
    claimed = MetricsRecompute.objects.filter(
        pk=job_id, status__in=MetricsRecompute.ACTIVE_STATUSES
    ).update(status=MetricsRecompute.Status.RUNNING, started_at=timezone.now(), done=0)
    job = MetricsRecompute.objects.filter(pk=job_id).first()
    if job is None or not claimed:
        return 0
    now = timezone.now()
    ids = metrics_pair_ids_for_programme(programme_id=job.programme_id)
    MetricsRecompute.objects.filter(pk=job_id).update(total=len(ids))
    written = 0
    step = _step(len(ids))
    try:
        for start in range(0, len(ids), step):
            written += metrics_compute(pair_ids=ids[start : start + step], now=now)
            MetricsRecompute.objects.filter(pk=job_id).update(done=min(len(ids), start + step))
    except OperationalError:
        raise
    except Exception as exc:
        MetricsRecompute.objects.filter(pk=job_id).update(
            status=MetricsRecompute.Status.FAILED,
            finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        raise
    MetricsRecompute.objects.filter(pk=job_id).update(
        status=MetricsRecompute.Status.DONE, done=len(ids), finished_at=timezone.now()
    )
    # The HR dashboard's summaries read these metrics: refresh them too (by task name,
    # the dashboard app sits above this one).
    enqueue(DASHBOARD_REFRESH_TASK, job.programme_id)
    return written
