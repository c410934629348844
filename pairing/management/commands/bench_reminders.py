"""Benchmark the reminder pipeline: plan and send N due "upcoming session" reminders.

    python manage.py bench_reminders --due 10000 [--batch 1000] [--keep]

Builds, in bulk, N/2 live pairs of a fresh programme, each with a session starting in 12
hours (so both members' 24-hour reminder is due), then times

- ``deliveries_plan``: the scans, streamed in batches (``--batch``), bulk inserts;
- sending: ``deliveries_send_due_batch`` batch after batch, as ``notifications_send_task``
  does, with Django's in-memory mail backend (emptied after each batch, as a real mail
  server takes the messages away),

and prints wall time and the peak of Python allocations (``tracemalloc``, which itself
slows Python down: the times are upper bounds) of each phase. The bench programme is
deleted afterwards unless ``--keep``.
"""

from __future__ import annotations

import datetime as dt
import time
import tracemalloc
import uuid

from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from mentoring.models import User
from mentoring.notifications.models import Delivery
from mentoring.notifications.services import deliveries_plan, deliveries_send_due_batch
from pairing.models import MentoringSession, Pair, PairMember
from programmes.models import Cohort, Participant, Programme


def bench_build(*, due: int) -> Programme:
    """A running programme with ``due // 2`` live pairs, each with a session in 12 hours."""
    tag = uuid.uuid4().hex[:8]
    unusable = make_password(None)
    today = timezone.localdate()
    with transaction.atomic():
        owner = User.objects.create(email=f"bench-{tag}-admin@example.com", password=unusable)
        programme = Programme.objects.create(
            created_by=owner,
            name=f"Reminder bench {tag}",
            slug=f"reminder-bench-{tag}",
            status=Programme.Status.RUNNING,
            starts_on=today - dt.timedelta(days=30),
            ends_on=today + dt.timedelta(days=300),
        )
        cohort = Cohort.objects.create(
            programme=programme,
            name="Bench",
            starts_on=programme.starts_on,
            ends_on=programme.ends_on,
        )
        users = User.objects.bulk_create(
            [
                User(email=f"bench-{tag}-{i}@example.com", first_name=f"P{i}", password=unusable)
                for i in range(due)
            ],
            batch_size=2000,
        )
        people = Participant.objects.bulk_create(
            [
                Participant(
                    cohort=cohort,
                    user=user,
                    email=user.email,
                    first_name=user.first_name,
                    status=Participant.Status.PAIRED,
                )
                for user in users
            ],
            batch_size=2000,
        )
        now = timezone.now()
        pairs = Pair.objects.bulk_create(
            [
                Pair(
                    cohort=cohort,
                    status=Pair.Status.ACTIVE,
                    first_mentor=people[2 * i],
                    published_at=now,
                )
                for i in range(due // 2)
            ],
            batch_size=2000,
        )
        PairMember.objects.bulk_create(
            [
                PairMember(pair=pair, participant=people[2 * i + side], position=side)
                for i, pair in enumerate(pairs)
                for side in (0, 1)
            ],
            batch_size=4000,
        )
        # 12 hours ahead: the 24-hour reminder is due, and stays relevant however long a
        # loaded machine takes to send 10,000 mails (a started session is not reminded).
        start = now + dt.timedelta(hours=12)
        MentoringSession.objects.bulk_create(
            [
                MentoringSession(pair=pair, scheduled_start=start, planned_mentor=people[2 * i])
                for i, pair in enumerate(pairs)
            ],
            batch_size=2000,
        )
        # Booked days ago (a session booked after its reminder's time gets none).
        MentoringSession.objects.filter(pair__cohort=cohort).update(
            created_at=now - dt.timedelta(days=3)
        )
    return programme


def _measure(fn):
    """``(result, seconds, peak MiB, queries)`` of ``fn()``."""
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    tracemalloc.start()
    started = time.perf_counter()
    with connection.execute_wrapper(count):
        result = fn()
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, seconds, peak / 2**20, queries


class Command(BaseCommand):
    help = "Time planning and sending N due reminders (batched), with peak memory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--due", type=int, default=10_000)
        parser.add_argument("--batch", type=int, default=1000)
        parser.add_argument("--keep", action="store_true")

    def handle(self, *args, due: int, batch: int, keep: bool, **options) -> None:
        due -= due % 2
        started = time.perf_counter()
        programme = bench_build(due=due)
        self.stdout.write(f"built {due // 2} pairs in {time.perf_counter() - started:.1f} s")

        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            SITE_BASE_URL="https://bench.example",
        ):
            mail.outbox = []
            planned, plan_s, plan_mb, plan_q = _measure(lambda: deliveries_plan(batch_size=batch))
            ours = Delivery.objects.filter(programme_id=programme.pk, kind="session_upcoming")
            self.stdout.write(
                f"deliveries_plan: {planned} rows ({ours.count()} of the bench) in "
                f"{plan_s:.1f} s, peak {plan_mb:.1f} MiB, {plan_q} queries"
            )

            def send_all() -> int:
                total = 0
                while True:
                    sent, claimed = deliveries_send_due_batch(limit=batch)
                    total += sent
                    mail.outbox = []  # the "server" took them
                    if claimed < batch:
                        return total

            sent, send_s, send_mb, send_q = _measure(send_all)
            self.stdout.write(
                f"sending: {sent} mails in {send_s:.1f} s ({sent / max(send_s, 1e-9):.0f}/s), "
                f"peak {send_mb:.1f} MiB, {send_q} queries ({send_q / max(sent, 1):.1f} per mail)"
            )
            left = ours.filter(status=Delivery.Status.PENDING).count()
            self.stdout.write(f"left pending: {left}")
        if not keep:
            Delivery.objects.filter(programme_id=programme.pk).delete()
            owner = programme.created_by
            User.objects.filter(participations__cohort__programme=programme).delete()
            programme.delete()
            owner.delete()
