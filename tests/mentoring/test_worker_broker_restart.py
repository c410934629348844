"""A real worker outlives Redis restarts while tasks stream in (``mentoring/celery_fixes.py``).

The test runs its own ``redis-server`` on a free port, so stopping it disturbs no other
test. Each round: tasks stream in, Redis stops, the worker notices (its log says so),
Redis comes back, and the worker must still be running and run a new task. Unpatched,
kombu 5.7 made the worker exit with "Unrecoverable error" within a few rounds.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from mentoring.models import WorkerHeartbeat
from mentoring.tasks import worker_heartbeat_task
from tests.conftest import ARTIFACTS, _missing, wait_for, worker_started
from tests.outage import broker_at

pytestmark = [pytest.mark.worker]

ROUNDS = 8
LOST = "Connection to broker lost"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5) as s:
        s.sendall(b"PING\r\n")
        return s.recv(16).startswith(b"+PONG")
    return False


class Redis:
    """A ``redis-server`` of this test's own, stopped and started at will (AOF on, as in
    production, so queued messages survive the restart)."""

    def __init__(self, binary: str, folder: Path) -> None:
        self.binary, self.folder, self.port = binary, folder, _free_port()
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--dir", str(self.folder), "--appendonly", "yes", "--save", ""],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: _answers(self.port), timeout=30, what="redis-server to answer")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # as systemd or docker stop it: a clean shutdown
            self.proc.wait(timeout=30)


@pytest.fixture
def own_redis(tmp_path) -> Iterator[Redis]:
    binary = shutil.which("redis-server")
    if binary is None:
        _missing("redis-server")
    redis = Redis(binary, tmp_path)
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


def _stream(stop: threading.Event) -> None:
    """Tasks keep arriving, as from a busy site: publishes fail fast while Redis is down."""
    while not stop.wait(0.05):
        with contextlib.suppress(Exception):
            worker_heartbeat_task.apply_async(args=["stream"])


def _ran(hostname: str):
    return lambda: WorkerHeartbeat.objects.filter(hostname=hostname).exists()


def test_the_worker_keeps_working_across_redis_restarts_under_a_stream_of_tasks(
    transactional_db, own_redis
):
    url = f"redis://127.0.0.1:{own_redis.port}/0"
    log_name = f"celery-worker-broker-restart-{own_redis.port}.log"
    log = ARTIFACTS / log_name
    with (
        broker_at(url),
        worker_started(
            "--loglevel=INFO",
            "--concurrency=2",  # prefork, as in production (remote control on)
            "--without-gossip",
            "--without-mingle",
            f"--hostname=restart-{own_redis.port}@%h",
            broker_url=url,
            log_name=log_name,
        ) as worker,
    ):
        worker_heartbeat_task.delay("before")
        wait_for(_ran("before"), timeout=90, what="the worker to run a first task")
        stop = threading.Event()
        streamer = threading.Thread(target=_stream, args=(stop,), daemon=True)
        streamer.start()
        try:
            for n in range(1, ROUNDS + 1):
                own_redis.stop()
                wait_for(
                    lambda n=n: log.read_text(errors="replace").count(LOST) >= n,
                    timeout=60,
                    what=f"the worker to notice the outage (round {n})",
                )
                own_redis.start()
                assert worker.poll() is None, f"the worker exited in round {n}: see {log}"
                worker_heartbeat_task.delay(f"after-{n}")
                wait_for(
                    _ran(f"after-{n}"),
                    timeout=90,
                    what=f"the worker to run a task after Redis came back (round {n})",
                )
        finally:
            stop.set()
            streamer.join(timeout=10)
        assert worker.poll() is None, f"the worker exited: see {log}"
        assert "Unrecoverable error" not in log.read_text(errors="replace")
