"""Pairing tasks: thin wrappers that take ids, tolerate vanished rows and call a service.

Mail tasks are idempotent per recipient: the services key each email by pair and
recipient (a row of ``mentoring.notifications``' delivery table), so a task that is delivered twice
(acks_late) or retried after the mail server refused one message sends each person's
email once.
"""

import logging
from smtplib import SMTPException

from celery import shared_task

from mentoring.notifications.services import SendError
from pairing.models import Pair
from pairing.services.matching import match_run_execute
from pairing.services.pair_emails import pair_ended_email, pair_published_email
from pairing.services.quality import proposal_quality_recompute

logger = logging.getLogger(__name__)

# A refused or unreachable mail server: retry later; people already mailed are skipped.
MAIL_RETRY = {
    "autoretry_for": (SMTPException, OSError, SendError),
    "retry_backoff": 30,
    "max_retries": 8,
}


@shared_task(time_limit=1800, soft_time_limit=1700)
def match_run_execute_task(run_id: int) -> str | None:
    run = match_run_execute(run_id=run_id)
    return None if run is None else run.status


@shared_task(time_limit=300, soft_time_limit=270, **MAIL_RETRY)
def pair_published_notify_task(pair_ids: list[int], base_url: str = "") -> int:
    """Tell the members of each newly published pair who their partner is. Returns mails sent."""
    existing = Pair.objects.filter(pk__in=pair_ids).values_list("pk", flat=True)
    return sum(pair_published_email(pair_id=pair_id, base_url=base_url) for pair_id in existing)


@shared_task(time_limit=120, soft_time_limit=100, **MAIL_RETRY)
def pair_ended_notify_task(pair_id: int, base_url: str = "") -> bool:
    """Tell the partner and the programme admins that a pair ended early; True if any
    email went out now (False when everyone had theirs already)."""
    return pair_ended_email(pair_id=pair_id, base_url=base_url) > 0


@shared_task(time_limit=300, soft_time_limit=270)
def proposal_quality_refresh_task(cohort_id: int, revision: int) -> bool:
    """The quality figure of a large cohort's proposal after an admin's change (5,000 people:
    6.4 s measured). Stores nothing when the proposal changed again meanwhile (a newer task
    for the newer revision is queued)."""
    return proposal_quality_recompute(cohort_id=cohort_id, revision=revision)
