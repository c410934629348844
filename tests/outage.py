"""Simulate a broker outage for tests: the write must commit, the task must wait."""

import contextlib

from celery import current_app


@contextlib.contextmanager
def broker_down():
    """Point the Celery app at a closed port, as when Redis is down, then restore it."""
    with broker_at("redis://127.0.0.1:1/0"):
        yield


@contextlib.contextmanager
def broker_at(url: str):
    """Publish to the broker at ``url`` for a while, then to the configured one again."""
    conf = current_app.conf
    original = conf.broker_url

    def reset_pools() -> None:
        # kombu keeps one connection pool per broker URL; dropping the app's references
        # makes the next publish pick the pool of whatever URL is configured now.
        current_app._pool = None
        current_app.amqp._producer_pool = None

    reset_pools()
    conf.broker_url = url
    try:
        yield
    finally:
        reset_pools()
        conf.broker_url = original
