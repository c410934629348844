"""Each due reminder is mailed exactly once by real Celery worker processes on the real
broker (Redis in CI) and PostgreSQL: two workers racing over the same due reminders, and
a worker killed with SIGKILL in the middle of a batch, then restarted.

The workers run ``tests.mentoring.notify_worker_settings``: mail goes to one file per
message handed to the "server" (``notify_worker_mail.CountingFileBackend``), named by
delivery, so a mail sent twice would show as two files.
"""

import datetime as dt
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from celery import current_app
from django.conf import settings
from django.db import connection
from django.utils import timezone

from mentoring.notifications.models import Delivery
from mentoring.notifications.services import deliveries_plan
from mentoring.notifications.tasks import notifications_send_task
from pairing.models import MentoringSession
from tests.conftest import ARTIFACTS, ROOT, wait_for
from tests.factories import CohortFactory, ParticipantFactory, ProgrammeFactory, make_pair

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PAIRS = 15  # 30 reminders
KIND = "session_upcoming"
# Bounds, not expectations: a worker starts in ~3 s on an idle machine, but in ~40 s on a
# loaded one (2 cores, 8 test runs measured); sending the 30 mails takes ~2 s.
STARTUP = 100


def _worker_env(mail_dir: Path, **extra: str) -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.mentoring.notify_worker_settings",
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        DATABASE_URL=(
            f"postgres://{quote(db['USER'] or '')}:{quote(str(db['PASSWORD'] or ''))}"
            f"@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{connection.settings_dict['NAME']}"
        ),
        SITE_BASE_URL="https://mentoring.example",
        NOTIFY_MAIL_DIR=str(mail_dir),
        NOTIFY_MAIL_DELAY="0.05",
        **extra,
    )
    return env


class Workers:
    """Start and stop real worker processes; stop every one left at the end."""

    def __init__(self, mail_dir: Path, name: str) -> None:
        self.mail_dir = mail_dir
        self.name = name
        self.procs: list[subprocess.Popen] = []

    def start(self, label: str, **extra: str) -> subprocess.Popen:
        ARTIFACTS.mkdir(exist_ok=True)
        log = (ARTIFACTS / f"notify-worker-{self.name}-{label}.log").open("w")
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "mentoring",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                f"--hostname=notify-{label}-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=_worker_env(self.mail_dir, **extra),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.procs.append(proc)
        return proc

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)


@pytest.fixture
def workers(tmp_path, request):
    current_app.control.purge()  # nothing left over from an earlier run on this broker
    pool = Workers(tmp_path, request.node.name[:40])
    yield pool
    pool.stop_all()


@pytest.fixture
def due_reminders(settings) -> list[int]:
    """``PAIRS`` live pairs, each with a session in 30 minutes: the 1-hour reminder of both
    members is due (planned now, as beat's scan would). Returns the delivery ids."""
    settings.SITE_BASE_URL = "https://mentoring.example"
    programme = ProgrammeFactory()
    cohort = CohortFactory(programme=programme)
    start = timezone.now() + dt.timedelta(minutes=30)
    for _ in range(PAIRS):
        a, b = ParticipantFactory(cohort=cohort), ParticipantFactory(cohort=cohort)
        pair = make_pair(a, b)
        MentoringSession.objects.create(
            pair=pair,
            scheduled_start=start,
            planned_mentor=a,
            created_by=a,
            created_at=start - dt.timedelta(days=3),
        )
    MentoringSession.objects.update(created_at=start - dt.timedelta(days=3))
    deliveries_plan()
    ids = list(
        Delivery.objects.filter(kind=KIND, status=Delivery.Status.PENDING).values_list(
            "pk", flat=True
        )
    )
    assert len(ids) == 2 * PAIRS
    return ids


def _files_per_delivery(mail_dir: Path) -> Counter:
    return Counter(path.name.split(".")[0] for path in mail_dir.glob("*.eml"))


def _all_sent(ids: list[int]) -> bool:
    return Delivery.objects.filter(pk__in=ids, status=Delivery.Status.SENT).count() == len(ids)


def test_two_workers_racing_over_the_same_reminders_send_one_mail_each(workers, due_reminders):
    first = workers.start("a")
    second = workers.start("b")
    # Each worker gets a task that walks every due reminder (beat's minute tick, twice).
    notifications_send_task.delay(limit=1000)
    notifications_send_task.delay(limit=1000)
    wait_for(lambda: _all_sent(due_reminders), timeout=STARTUP, what="every reminder sent")
    assert first.poll() is None and second.poll() is None, "a worker died"

    per_delivery = _files_per_delivery(workers.mail_dir)
    assert set(per_delivery) == {str(pk) for pk in due_reminders}
    assert set(per_delivery.values()) == {1}, "a reminder was mailed twice"
    # Both really worked on the batch at the same time (one file name part is the pid).
    senders = {path.name.split(".")[1] for path in workers.mail_dir.glob("*.eml")}
    assert senders == {str(first.pid), str(second.pid)}


def test_a_worker_killed_mid_batch_then_restarted_sends_each_reminder_exactly_once(
    workers, due_reminders
):
    hang_at = 11  # the 11th message hangs in the "SMTP conversation"
    doomed = workers.start("doomed", NOTIFY_HANG_AT=str(hang_at))
    notifications_send_task.delay(limit=1000)
    marker = workers.mail_dir / f"hanging.{doomed.pid}"
    wait_for(marker.exists, timeout=STARTUP, what="the worker to be in the middle of the batch")
    doomed.send_signal(signal.SIGKILL)
    doomed.wait(timeout=10)

    # Killed mid-batch: 10 sent and marked, the 11th claimed but never accepted by the
    # server, the rest untouched. The claim died with the worker's connection.
    assert len(list(workers.mail_dir.glob("*.eml"))) == hang_at - 1
    wait_for(
        lambda: Delivery.objects.filter(pk__in=due_reminders, status="sent").count() == hang_at - 1,
        timeout=10,
        what="the killed worker's committed marks",
    )
    assert not Delivery.objects.filter(status=Delivery.Status.SENDING).exists()

    restarted = workers.start("restarted")
    notifications_send_task.delay(limit=1000)  # beat's next minute
    wait_for(lambda: _all_sent(due_reminders), timeout=STARTUP, what="the restarted worker")
    assert restarted.poll() is None

    per_delivery = _files_per_delivery(workers.mail_dir)
    assert set(per_delivery) == {str(pk) for pk in due_reminders}
    assert set(per_delivery.values()) == {1}, "a reminder was mailed twice"
