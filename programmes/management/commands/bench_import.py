"""Benchmark the CSV import: generate N rows, validate and apply them in one transaction.

Runs on the configured database (SQLite locally, PostgreSQL when DATABASE_URL says so)
inside a transaction that is rolled back at the end, so nothing is left behind. Prints
rows per second for the preview (validation) and for the apply step (which validates
again under the cohort lock, then writes participants, invitations, skills and
reporting lines). Target: at least 2,000 rows/s end to end on PostgreSQL.

``--update`` then imports the same people again with "update existing people" ticked and
every job title changed, and prints that pass too.
"""

import csv
import io
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from mentoring.models import User
from programmes.models import Cohort, Programme, Skill
from programmes.services.imports import COLUMNS, import_apply, import_preview

DEPARTMENTS = ["Engineering", "Finance", "Sales", "Marketing", "Operations", "Legal", "Product"]
LOCATIONS = {
    "London": "Europe/London",
    "Lisbon": "Europe/Lisbon",
    "Berlin": "Europe/Berlin",
    "New York": "America/New_York",
    "Bangalore": "Asia/Kolkata",
    "Singapore": "Asia/Singapore",
}
SKILLS = [
    "Python",
    "Negotiation",
    "Public speaking",
    "Data analysis",
    "Budgeting",
    "Coaching",
    "Product discovery",
    "Stakeholder management",
    "People management",
    "Strategic planning",
]


def generate_csv(
    *, rows: int, skills: list[str] | None = None, seed: int = 7, job_suffix: str = ""
) -> str:
    """A realistic import file: an org chart (one manager per ~8 people, managers listed
    after some of their reports), skills from ``skills``, a few managers outside the file."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    skills = skills or SKILLS
    managers = max(1, rows // 8)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for i in range(rows):
        location = rng.choice(list(LOCATIONS))
        if i < managers:
            manager = f"person{rng.randrange(0, max(1, i))}@bench.example" if i else ""
            seniority = rng.randint(6, 10)
        elif rng.random() < 0.02:
            manager = f"outside{rng.randrange(100)}@bench.example"  # a warning, not an error
            seniority = rng.randint(1, 6)
        else:
            manager = f"person{rng.randrange(managers)}@bench.example"
            seniority = rng.randint(1, 6)
        writer.writerow(
            [
                f"person{i}@bench.example",
                f"First{i}",
                f"Last{i}",
                rng.choice(DEPARTMENTS),
                location,
                ("Manager" if i < managers else "Specialist") + job_suffix,
                seniority,
                manager,
                LOCATIONS[location],
                ";".join(rng.sample(skills, 2)),
                ";".join(rng.sample(skills, 2)),
            ]
        )
    return out.getvalue()


class Command(BaseCommand):
    help = "Benchmark the participant CSV import (validate + apply, rolled back afterwards)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--rows", type=int, default=10_000)
        parser.add_argument(
            "--update", action="store_true", help="also time re-importing them as updates"
        )

    def handle(self, *args, rows: int, update: bool, **options) -> None:
        text = generate_csv(rows=rows)
        size = len(text.encode("utf-8")) / 1024 / 1024
        with transaction.atomic():
            admin = User.objects.create_user(email="bench-import-admin@bench.example")
            today = timezone.localdate()
            programme = Programme.objects.create(
                name="Import benchmark",
                slug="import-benchmark-tmp",
                starts_on=today,
                ends_on=today.replace(year=today.year + 1),
                status=Programme.Status.ENROLLING,
                created_by=admin,
            )
            Skill.objects.bulk_create([Skill(programme=programme, name=n) for n in SKILLS])
            cohort = Cohort.objects.create(
                programme=programme,
                name="Benchmark",
                starts_on=programme.starts_on,
                ends_on=programme.ends_on,
            )
            started = time.perf_counter()
            preview = import_preview(cohort=cohort, text=text)
            validated = time.perf_counter()
            if not preview.can_apply():
                raise CommandError("The generated file has errors; the benchmark is broken.")
            result = import_apply(
                cohort=cohort,
                text=text,
                add_unknown_skills=False,
                by=admin,
                base_url="http://bench.invalid",
            )
            applied = time.perf_counter()
            if update:
                again = generate_csv(rows=rows, job_suffix=" II")
                updated = import_apply(
                    cohort=cohort,
                    text=again,
                    add_unknown_skills=False,
                    by=admin,
                    base_url="http://bench.invalid",
                    update_existing=True,
                )
                update_s = time.perf_counter() - applied
                if updated.updated != rows:
                    raise CommandError("The update pass did not update every row.")
            transaction.set_rollback(True)  # leave the database as it was
        validate_s = validated - started
        apply_s = applied - validated
        total_s = applied - started
        self.stdout.write(
            f"bench_import on {connection.vendor}: {result.created} rows ({size:.1f} MB CSV)\n"
            f"  preview (validate):        {validate_s:6.2f} s  {rows / validate_s:8.0f} rows/s\n"
            f"  apply (re-validate+write): {apply_s:6.2f} s  {rows / apply_s:8.0f} rows/s\n"
            f"  preview + apply:           {total_s:6.2f} s  {rows / total_s:8.0f} rows/s"
        )
        if update:
            self.stdout.write(
                f"  update existing (all rows): {update_s:5.2f} s  {rows / update_s:8.0f} rows/s"
            )
