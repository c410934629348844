"""The latest "Recompute now" of a programme, as the pair-health page shows it."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from feedback.models import MetricsRecompute
from programmes.models import Programme

#: Longer than the task's 30-minute limit: a job still "running" after this lost its worker.
RECOMPUTE_STALE_AFTER = dt.timedelta(minutes=35)
#: A finished recompute is reported on the page for this long (the reload it triggers).
RECOMPUTE_SHOWN_FOR = dt.timedelta(minutes=5)


def recompute_is_active(job: MetricsRecompute | None, *, now: dt.datetime | None = None) -> bool:
    """Queued or running, and not stale."""
    now = now or timezone.now()
    return (
        job is not None
        and job.status in MetricsRecompute.ACTIVE_STATUSES
        and job.created_at > now - RECOMPUTE_STALE_AFTER
    )


@dataclass(frozen=True)
class RecomputeState:
    """``job`` is the latest recompute, or ``None`` when there is nothing worth showing."""

    job: MetricsRecompute | None
    active: bool

    @property
    def queued(self) -> bool:
        return self.job is not None and self.job.status == MetricsRecompute.Status.QUEUED


def recompute_state(*, programme: Programme) -> RecomputeState:
    """One query: the latest recompute, shown while it runs and for a while after."""
    job = (
        MetricsRecompute.objects.filter(programme=programme).select_related("requested_by").first()
    )
    now = timezone.now()
    if recompute_is_active(job, now=now):
        return RecomputeState(job=job, active=True)
    if job is not None and job.status in MetricsRecompute.ACTIVE_STATUSES:
        return RecomputeState(job=None, active=False)  # stale: a new request replaces it
    recent = job is not None and job.finished_at and job.finished_at > now - RECOMPUTE_SHOWN_FOR
    return RecomputeState(job=job if recent else None, active=False)
