"""Benchmark the HR dashboard against ``/healthz`` on the bench programme.

    python manage.py bench_dashboard --participants 5000

Seeds the bench programme if it is missing (``seed_bench``), computes its per-side
metrics if they are missing and refreshes its dashboard summaries (what Celery does
nightly), then requests the dashboard page and ``/healthz`` in turns through Django's
test client as an HR viewer, and prints both medians, their ratio and the number of
queries the dashboard costs. Target (README "HR dashboard"): a median of at most 300 ms
for 5,000 participants on PostgreSQL, with at most 20 queries.
"""

from __future__ import annotations

import statistics
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.urls import reverse

from feedback.management.commands.seed_bench import bench_seed, bench_slug
from feedback.models import SideMetric
from feedback.services.metrics import metrics_compute, metrics_pair_ids_for_programme
from insights.services import dashboard_refresh
from mentoring.models import User
from programmes.models import Programme, ProgrammeRole

BENCH_HR = "bench-hr@bench.example"
TARGET_MS = 300


def _median_ms(client: Client, url: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
    return statistics.median(times)


class Command(BaseCommand):
    help = "Median server time of the HR dashboard next to /healthz's, and their ratio."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--participants", type=int, default=5000)
        parser.add_argument("--runs", type=int, default=15, help="Requests per URL.")

    def handle(self, *args, **options) -> None:
        participants, runs = options["participants"], options["runs"]
        out = self.stdout
        programme = Programme.objects.filter(slug=bench_slug(participants)).first()
        if programme is None:
            out.write(f"Seeding {participants} participants (seed_bench)…")
            programme, _ = bench_seed(participants=participants)
        if not SideMetric.objects.filter(pair__cohort__programme=programme).exists():
            out.write("Computing the per-side metrics…")
            metrics_compute(pair_ids=metrics_pair_ids_for_programme(programme_id=programme.pk))
        started = time.perf_counter()
        pairs = dashboard_refresh(programme_id=programme.pk)
        refresh_s = time.perf_counter() - started
        out.write(f"Dashboard summaries refreshed: {pairs} pairs in {refresh_s:.1f} s.")

        hr, _ = User.objects.get_or_create(email=BENCH_HR, defaults={"first_name": "Bench"})
        if hr.has_usable_password():
            hr.set_unusable_password()
            hr.save(update_fields=["password"])
        ProgrammeRole.objects.get_or_create(
            programme=programme, user=hr, role=ProgrammeRole.Role.HR
        )
        client = Client(HTTP_HOST="localhost")
        client.force_login(hr)
        dashboard_url = reverse("insights:dashboard", args=[programme.slug])
        health_url = reverse("healthz")
        # Warm up (templates, first connections), and count the dashboard's queries.
        client.get(health_url)
        # Counted with an execute wrapper: the test client's request_started signal resets
        # connection.queries, so CaptureQueriesContext would see none.
        queries: list[str] = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(dashboard_url)
        dashboard_ms = _median_ms(client, dashboard_url, runs)
        health_ms = _median_ms(client, health_url, runs)
        ratio = dashboard_ms / health_ms if health_ms else float("inf")
        verdict = "within" if dashboard_ms <= TARGET_MS else "OVER"
        out.write(f"Dashboard ({participants} participants): median {dashboard_ms:.0f} ms")
        out.write(f"/healthz:                          median {health_ms:.1f} ms")
        out.write(f"Ratio dashboard / healthz: {ratio:.1f}×")
        out.write(f"Dashboard queries: {len(queries)} (target ≤ 20)")
        out.write(f"Absolute median {dashboard_ms:.0f} ms: {verdict} the {TARGET_MS} ms target.")
        # A date range is computed live from the stored metrics (not from a snapshot).
        start = programme.starts_on.isoformat()
        ranged_ms = _median_ms(client, f"{dashboard_url}?date_from={start}", max(3, runs // 5))
        out.write(f"With a date range (computed live): median {ranged_ms:.0f} ms")
