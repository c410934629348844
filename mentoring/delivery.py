"""At-most-once email delivery per recipient, through a key in the shared cache.

A mail task can run twice (``acks_late`` redelivery, a retry after the mail server
refused one message). Keying the delivery per *recipient* (not per batch or per pair)
means a retry after a partial failure mails only the people who did not get it yet.

The key lives in the shared cache (Redis in production), remembered for
``DELIVERY_KEY_TTL``: durable as long as the cache is. A delivery table will replace it.
"""

from collections.abc import Callable

from django.core.cache import cache

#: How long a delivery key is remembered (seconds): far longer than any redelivery.
DELIVERY_KEY_TTL = 60 * 60 * 24 * 30


def deliver_once(key: str, send: Callable[[], object]) -> bool:
    """Run ``send()`` unless ``key`` was already delivered; True if it ran now.

    The key is claimed before sending (so two workers never both send), and released if
    ``send`` raises, so the retry that follows sends it.
    """
    if not cache.add(key, 1, timeout=DELIVERY_KEY_TTL):
        return False
    try:
        send()
    except Exception:
        cache.delete(key)
        raise
    return True
