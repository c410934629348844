"""Benchmark the full metrics recompute against one hand-written SQL aggregate.

    python manage.py bench_metrics --participants 5000

Seeds the bench programme if it is missing (``seed_bench``), then times
``metrics_compute`` over all its pairs (aggregation, scoring and the bulk upsert of
every ``SideMetric`` and ``PairMetric`` row) and one raw SQL statement that computes
the same per-side sums and means with GROUP BYs (read only, no scoring, no writes),
and prints both times and their ratio. Targets (README.md ("Per-side benefit")): the recompute of
5,000 participants within 20 s on PostgreSQL on 2 cores, and within 3× of the SQL.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.utils import timezone

from feedback.models import BenefitItem, Goal, PairMetric, Reflection, SideMetric
from feedback.services.metrics import (
    COMPUTED_STATUSES,
    metrics_compute,
    metrics_pair_ids_for_programme,
)
from feedback.services.metrics.formula import UNCONFIRMED_AFTER
from pairing.models import MentoringSession, Pair, PairMember, SessionParticipation
from programmes.models import Cohort, Programme

from .seed_bench import bench_seed, bench_slug


def hand_written_sql() -> str:
    """The per-side figures of every pair of one programme, in one statement.

    Parameters: programme id, then the overdue cut-off for pending ledger items.
    Table names come from the models; nothing user-supplied is formatted in.
    """
    t = {
        "pair": Pair._meta.db_table,
        "cohort": Cohort._meta.db_table,
        "member": PairMember._meta.db_table,
        "session": MentoringSession._meta.db_table,
        "part": SessionParticipation._meta.db_table,
        "refl": Reflection._meta.db_table,
        "goal": Goal._meta.db_table,
        "item": BenefitItem._meta.db_table,
    }
    statuses = ", ".join(f"'{status}'" for status in COMPUTED_STATUSES)
    minutes = "COALESCE(s.actual_minutes, s.planned_minutes)"
    kinds = [kind for kind, _ in BenefitItem.Kind.choices]
    received_by_kind = ", ".join(
        f"SUM(CASE WHEN b.kind = '{kind}' THEN 1 ELSE 0 END) AS r_{kind}" for kind in kinds
    )
    given_by_kind = ", ".join(
        f"SUM(CASE WHEN b.kind = '{kind}' THEN 1 ELSE 0 END) AS g_{kind}" for kind in kinds
    )
    return f"""
WITH pairs AS (
    SELECT p.id FROM {t["pair"]} p JOIN {t["cohort"]} c ON c.id = p.cohort_id
    WHERE c.programme_id = %s AND p.status IN ({statuses})
), roles AS (
    SELECT s.pair_id, sp.participant_id,
        SUM(CASE WHEN sp.role IN ('mentor', 'both') THEN 1 ELSE 0 END) AS as_mentor,
        SUM(CASE WHEN sp.role IN ('mentee', 'both') THEN 1 ELSE 0 END) AS as_mentee,
        SUM(CASE WHEN sp.role = 'mentor' THEN {minutes} ELSE 0 END) AS mentor_minutes,
        SUM(CASE WHEN sp.role = 'mentee' THEN {minutes} ELSE 0 END) AS mentee_minutes,
        SUM(CASE WHEN sp.role = 'both' THEN {minutes} ELSE 0 END) AS both_minutes
    FROM {t["part"]} sp JOIN {t["session"]} s ON s.id = sp.session_id
    JOIN pairs ON pairs.id = s.pair_id
    WHERE s.status = 'held'
    GROUP BY s.pair_id, sp.participant_id
), held AS (
    SELECT s.pair_id, COUNT(*) AS sessions_held, MAX(s.scheduled_start) AS last_session_at
    FROM {t["session"]} s JOIN pairs ON pairs.id = s.pair_id
    WHERE s.status = 'held' GROUP BY s.pair_id
), refl AS (
    SELECT s.pair_id, r.author_id AS participant_id,
        AVG(r.learned) AS learned, AVG(r.challenged) AS challenged,
        AVG(r.listened) AS listened, AVG(r.power_shared) AS power_shared
    FROM {t["refl"]} r JOIN {t["session"]} s ON s.id = r.session_id
    JOIN pairs ON pairs.id = s.pair_id
    WHERE s.status = 'held'
    GROUP BY s.pair_id, r.author_id
), goals AS (
    SELECT g.pair_id, g.owner_id AS participant_id,
        AVG(CASE WHEN g.status = 'achieved' THEN 100 ELSE g.progress END) AS progress,
        SUM(CASE WHEN g.status = 'achieved' THEN 1 ELSE 0 END) AS achieved
    FROM {t["goal"]} g JOIN pairs ON pairs.id = g.pair_id
    WHERE g.status <> 'dropped'
    GROUP BY g.pair_id, g.owner_id
), received AS (
    SELECT b.pair_id, b.receiver_id AS participant_id, COUNT(*) AS n, {received_by_kind}
    FROM {t["item"]} b JOIN pairs ON pairs.id = b.pair_id
    WHERE b.status = 'confirmed'
    GROUP BY b.pair_id, b.receiver_id
), given AS (
    SELECT b.pair_id, b.giver_id AS participant_id, COUNT(*) AS n, {given_by_kind}
    FROM {t["item"]} b JOIN pairs ON pairs.id = b.pair_id
    WHERE b.status = 'confirmed'
    GROUP BY b.pair_id, b.giver_id
), overdue AS (
    SELECT b.pair_id, COUNT(*) AS n
    FROM {t["item"]} b JOIN pairs ON pairs.id = b.pair_id
    WHERE b.status = 'pending' AND b.created_at < %s
    GROUP BY b.pair_id
)
SELECT m.pair_id, m.participant_id, m.position,
    roles.as_mentor, roles.as_mentee, roles.mentor_minutes, roles.mentee_minutes,
    roles.both_minutes, refl.learned, refl.challenged, refl.listened, refl.power_shared,
    goals.progress, goals.achieved, received.*, given.*,
    held.sessions_held, held.last_session_at, overdue.n
FROM {t["member"]} m
JOIN pairs ON pairs.id = m.pair_id
LEFT JOIN roles ON roles.pair_id = m.pair_id AND roles.participant_id = m.participant_id
LEFT JOIN refl ON refl.pair_id = m.pair_id AND refl.participant_id = m.participant_id
LEFT JOIN goals ON goals.pair_id = m.pair_id AND goals.participant_id = m.participant_id
LEFT JOIN received ON received.pair_id = m.pair_id AND received.participant_id = m.participant_id
LEFT JOIN given ON given.pair_id = m.pair_id AND given.participant_id = m.participant_id
LEFT JOIN held ON held.pair_id = m.pair_id
LEFT JOIN overdue ON overdue.pair_id = m.pair_id
"""  # noqa: S608 - table names and choice values from the models, values as parameters


def _timed(run: Callable[[], object], repeat: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return times, result


class Command(BaseCommand):
    help = "Time the full metrics recompute against one hand-written SQL aggregate."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--participants", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--repeat", type=int, default=3, help="Timed runs of each (median).")

    def handle(self, *args, participants: int, seed: int, repeat: int, **options) -> None:
        out = self.stdout
        vendor = connection.vendor
        programme = Programme.objects.filter(slug=bench_slug(participants)).first()
        if programme is None:
            out.write(f"Seeding {participants} participants (seed_bench)…")
            programme, report = bench_seed(participants=participants, seed=seed)
            out.write(f"  seeded {sum(report.rows.values()):,} rows in {report.seconds:.1f} s")
        pair_ids = metrics_pair_ids_for_programme(programme_id=programme.pk)
        counts = {
            "pairs": len(pair_ids),
            "held sessions": MentoringSession.objects.filter(
                pair__cohort__programme=programme, status=MentoringSession.Status.HELD
            ).count(),
            "session participations": SessionParticipation.objects.filter(
                session__pair__cohort__programme=programme
            ).count(),
            "reflections": Reflection.objects.filter(
                session__pair__cohort__programme=programme
            ).count(),
            "goals": Goal.objects.filter(pair__cohort__programme=programme).count(),
            "ledger items": BenefitItem.objects.filter(pair__cohort__programme=programme).count(),
        }

        # The first recompute inserts the rows; the timed ones update them in place,
        # which is what the nightly run does.
        cold_times, _ = _timed(lambda: metrics_compute(pair_ids=pair_ids), 1)
        orm_times, written = _timed(lambda: metrics_compute(pair_ids=pair_ids), repeat)

        sql = hand_written_sql()
        cutoff = timezone.now() - UNCONFIRMED_AFTER

        def run_sql() -> int:
            with connection.cursor() as cursor:
                cursor.execute(sql, [programme.pk, cutoff])
                return len(cursor.fetchall())

        sql_times, sql_rows = _timed(run_sql, repeat)
        orm, raw = statistics.median(orm_times), statistics.median(sql_times)

        out.write(f"Metrics benchmark on {vendor}, programme {programme.slug!r}")
        for name, count in counts.items():
            out.write(f"  {name:<24} {count:>9,}")
        out.write(
            f"  rows written             {written:>9,} pair + "
            f"{SideMetric.objects.filter(pair_id__in=pair_ids).count():,} side"
        )
        out.write(f"  hand-written SQL rows    {sql_rows:>9,}")
        out.write(f"Full recompute (first run, inserting): {cold_times[0]:.2f} s")
        out.write(
            f"Full recompute (median of {repeat}):      {orm:.2f} s  "
            f"({', '.join(f'{t:.2f}' for t in orm_times)})"
        )
        out.write(
            f"Hand-written SQL (median of {repeat}):    {raw:.2f} s  "
            f"({', '.join(f'{t:.2f}' for t in sql_times)})"
        )
        out.write(f"Ratio recompute / SQL:                 {orm / raw:.2f}x  (target ≤ 3x)")
        out.write(
            f"Pairs flagged lopsided: {PairMetric.objects.filter(pair_id__in=pair_ids, lopsided=True).count():,}"
        )
