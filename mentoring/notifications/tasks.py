"""Beat's notification tasks. Autodiscovered through ``mentoring/tasks.py``'s import.

Both are idempotent (the unique key, the row lock) and ``acks_late``: a worker killed
mid-batch has the message redelivered, and rolls back its one in-flight claim.
"""

import logging
import smtplib
import time

from celery import shared_task
from kombu.exceptions import OperationalError as BrokerError

from .services import SendError, deliveries_plan, deliveries_send_due_batch

logger = logging.getLogger(__name__)

RETRYABLE = (SendError, smtplib.SMTPException, ConnectionError, TimeoutError, BrokerError)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=240,
    soft_time_limit=200,
    autoretry_for=RETRYABLE,
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def notifications_scan_task(self) -> int:
    """Plan every registered kind's due notifications (beat: every 5 minutes)."""
    return deliveries_plan()


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=120,
    soft_time_limit=100,
    autoretry_for=RETRYABLE,
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def notifications_send_task(self, limit: int = 500, budget_seconds: float = 80.0) -> int:
    """Send due notifications (beat: every minute), batch after batch while a batch comes
    back full and ``budget_seconds`` (below the soft time limit) are not spent: 10,000
    reminders due at the same minute go out in one run, not at ``limit`` a minute."""
    started = time.monotonic()
    total = 0
    while True:
        sent, claimed = deliveries_send_due_batch(limit=limit)
        total += sent
        if claimed < limit or time.monotonic() - started > budget_seconds:
            return total


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=60,
    soft_time_limit=50,
    autoretry_for=RETRYABLE,
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def delivery_send_task(self, delivery_id: int) -> bool:
    """Send one existing delivery now (a retry of ``delivery_send_now``)."""
    from .services import _send_one

    return _send_one(delivery_id)
