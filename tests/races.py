"""Two requests at once, with a deterministic interleaving, on PostgreSQL.

``hold_then_run``: thread A does a write inside a transaction and keeps it open (its row
locks held) until thread B's request is seen *waiting for a lock* in ``pg_stat_activity``;
then A commits and B's request goes on. This is the worst interleaving: B read the rows
before A committed and writes after. Each thread has its own connection, closed at the end.
"""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

from tests.conftest import wait_for

TIMEOUT = 30.0


def _waiting_for_a_lock() -> int:
    # Run on the main thread's connection, outside the two transactions: every query is a
    # fresh snapshot of pg_stat_activity.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock' "
            "AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def hold_then_run(holder: Callable[[], Any], request: Callable[[], Any]) -> tuple[Any, Any]:
    """Run ``holder`` in thread A's open transaction, then ``request`` in thread B while A
    still holds its locks; A commits once B waits on one of them. Returns both results
    (an exception is returned, not raised, so the caller's assertion reports it)."""
    barrier = threading.Barrier(2, timeout=TIMEOUT)
    holding = threading.Event()
    release = threading.Event()
    results: dict[str, Any] = {}

    def thread_a() -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                results["a"] = holder()
                holding.set()
                release.wait(TIMEOUT)
        except Exception as exc:  # noqa: BLE001 - reported by the caller's assertion
            results["a"] = exc
        finally:
            holding.set()
            connection.close()

    def thread_b() -> None:
        try:
            barrier.wait()
            holding.wait(TIMEOUT)
            results["b"] = request()
        except Exception as exc:  # noqa: BLE001
            results["b"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=thread_a), threading.Thread(target=thread_b)]
    for thread in threads:
        thread.start()
    try:
        holding.wait(TIMEOUT)
        wait_for(_waiting_for_a_lock, timeout=TIMEOUT, interval=0.02, what="B waiting on A's lock")
    finally:
        release.set()
        for thread in threads:
            thread.join(TIMEOUT)
    return results.get("a"), results.get("b")


def at_once(*requests: Callable[[], Any]) -> list[Any]:
    """Start every request at the same instant (a barrier), each in its own thread and
    connection; returns their results (or exceptions) in order."""
    barrier = threading.Barrier(len(requests), timeout=TIMEOUT)
    results: list[Any] = [None] * len(requests)

    def run(index: int, request: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = request()
        except Exception as exc:  # noqa: BLE001
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    return results
