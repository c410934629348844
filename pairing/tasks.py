"""Pairing tasks: thin wrappers that take ids, tolerate vanished rows and call a service.

Mail tasks are idempotent per pair through a delivery key in the shared cache: a task
that is delivered twice (acks_late, a retry) sends each email once.
"""

import logging

from celery import shared_task
from django.core.cache import cache

logger = logging.getLogger(__name__)

#: How long a delivery key is remembered (seconds): far longer than any redelivery.
DELIVERY_KEY_TTL = 60 * 60 * 24 * 30


@shared_task(time_limit=1800, soft_time_limit=1700)
def match_run_execute_task(run_id: int) -> str | None:
    from pairing.services.matching import match_run_execute

    run = match_run_execute(run_id=run_id)
    return None if run is None else run.status


def _deliver_once(key: str, send) -> bool:
    """Run ``send()`` unless ``key`` was already delivered; forget the key if it fails."""
    if not cache.add(key, 1, timeout=DELIVERY_KEY_TTL):
        return False
    try:
        send()
    except Exception:
        cache.delete(key)
        raise
    return True


@shared_task(time_limit=300, soft_time_limit=270)
def pair_published_notify_task(pair_ids: list[int], base_url: str = "") -> int:
    """Tell the members of each newly published pair who their partner is. Returns mails sent."""
    from pairing.models import Pair
    from pairing.services.pairs import pair_published_email

    sent = 0
    existing = Pair.objects.filter(pk__in=pair_ids).values_list("pk", flat=True)
    for pair_id in existing:
        if _deliver_once(
            f"mail:pair-published:{pair_id}",
            lambda pid=pair_id: pair_published_email(pair_id=pid, base_url=base_url),
        ):
            sent += 1
    return sent


@shared_task(time_limit=120, soft_time_limit=100)
def pair_ended_notify_task(pair_id: int, base_url: str = "") -> bool:
    """Tell the partner and the programme admins that a pair ended early."""
    from pairing.services.pairs import pair_ended_email

    return _deliver_once(
        f"mail:pair-ended:{pair_id}", lambda: pair_ended_email(pair_id=pair_id, base_url=base_url)
    )
