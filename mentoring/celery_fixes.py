"""A worker must outlive a broker restart: a workaround for kombu 5.7 on Redis.

When Redis goes away while the worker waits on it, Celery's consumer first *collects* the
broken connection (``kombu.Connection.collect``: forget it without talking to the
server, which ends by dropping the transport's client) and then *closes* it. Closing
closes the connection's default channel a second time when the first attempt was cut
short by the dead socket (the channel was reading a BRPOP reply), and that second close
tries to hand the channel's unacknowledged messages back to Redis through a transport
whose client is gone: ``AttributeError: 'NoneType' object has no attribute 'hostname'``,
which is not a connection error, so the worker stops with "Unrecoverable error" instead of
reconnecting. (Reproduced by stopping Redis under a stream of tasks; see
``tests/mentoring/test_worker_broker_restart.py``.)

The fix: once a connection has been collected, it has no default channel left to close.
The messages that channel had taken but not acknowledged stay in Redis's unacked set and
come back after the visibility timeout (``CELERY_BROKER_TRANSPORT_OPTIONS``), as they
would after a crash; tasks are idempotent and mails are claimed in the database, so a
redelivered task does no harm.
"""

from __future__ import annotations

from functools import wraps

from kombu import Connection

_PATCHED = "_mentoring_collect_forgets_channel"


def apply() -> None:
    """Patch ``kombu.Connection.collect`` (once)."""
    original = Connection.collect
    if getattr(original, _PATCHED, False):
        return

    @wraps(original)
    def collect(self: Connection, socket_timeout: float | None = None) -> None:
        try:
            original(self, socket_timeout)
        finally:
            # Its transport is gone: a later close() must not close this channel again.
            self._default_channel = None

    setattr(collect, _PATCHED, True)
    Connection.collect = collect
