"""Rewrite a programme's dashboard summaries (``PairFact``, ``CohortMonth``, snapshots).

Runs in Celery (``insights.tasks.dashboard_refresh_task``), nightly and after a metrics
recompute; a few set-based queries and bulk writes, so 2,500 pairs take about a second.
Then the charts of every cohort and breakdown are built from those and feedback's stored
metrics and kept as ``DashboardSnapshot`` rows, so the page reads one row.
Idempotent: each run replaces the programme's rows in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from insights.models import (
    DASHBOARD_PAIR_STATUSES,
    CohortMonth,
    DashboardRefresh,
    DashboardSnapshot,
    PairFact,
)
from insights.selectors.dashboard import dashboard_snapshots_build
from pairing.models import MentoringSession, Pair
from programmes.models import Programme

BATCH = 2000


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def dashboard_refresh(*, programme_id: int) -> int:
    """Recompute one programme's summaries; the number of pairs, 0 if it has vanished."""
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None:
        return 0
    now = timezone.now()
    today = timezone.localdate()
    cadence = max(1, programme.cadence_days)
    pairs = list(
        Pair.objects.filter(
            cohort__programme=programme,
            status__in=DASHBOARD_PAIR_STATUSES,
            published_at__isnull=False,
        )
        .annotate(member_count=Count("members"))
        .values("id", "cohort_id", "status", "published_at", "ended_at", "member_count")
    )
    held: dict[int, list[dt.date]] = defaultdict(list)
    sessions = MentoringSession.objects.filter(
        pair__cohort__programme=programme,
        pair__status__in=DASHBOARD_PAIR_STATUSES,
        status=MentoringSession.Status.HELD,
    ).values_list("pair_id", "scheduled_start")
    for pair_id, start in sessions.iterator(chunk_size=BATCH):
        held[pair_id].append(timezone.localdate(start))

    facts = []
    months: dict[tuple[int, dt.date], dict[str, int]] = defaultdict(
        lambda: {"pairs_live": 0, "people_live": 0, "sessions_held": 0, "pairs_met": 0}
    )
    for pair in pairs:
        published = timezone.localdate(pair["published_at"])
        ended = timezone.localdate(pair["ended_at"]) if pair["ended_at"] else None
        until = min(ended or today, today)
        days = sorted(held.get(pair["id"], []))
        windows = max(0, (until - published).days) // cadence
        with_session = {(day - published).days // cadence for day in days if day >= published}
        live = pair["status"] in Pair.LIVE_STATUSES
        facts.append(
            PairFact(
                pair_id=pair["id"],
                programme=programme,
                cohort_id=pair["cohort_id"],
                members=pair["member_count"] or 2,
                published_on=published,
                first_session_on=days[0] if days else None,
                days_to_first_session=max(0, (days[0] - published).days) if days else None,
                sessions_held=len(days),
                cadence_windows=windows,
                windows_with_session=len({k for k in with_session if k < windows}),
                active=live and bool(days) and (today - days[-1]).days <= cadence,
                computed_at=now,
            )
        )
        met_months: dict[dt.date, int] = defaultdict(int)
        for day in days:
            met_months[_month_start(day)] += 1
        month = _month_start(published)
        while month <= until:
            cell = months[(pair["cohort_id"], month)]
            cell["pairs_live"] += 1
            cell["people_live"] += pair["member_count"] or 2
            cell["sessions_held"] += met_months.get(month, 0)
            cell["pairs_met"] += 1 if met_months.get(month) else 0
            month = _next_month(month)

    with transaction.atomic():
        PairFact.objects.filter(programme=programme).delete()
        PairFact.objects.bulk_create(facts, batch_size=BATCH)
        CohortMonth.objects.filter(programme=programme).delete()
        CohortMonth.objects.bulk_create(
            [
                CohortMonth(
                    programme=programme, cohort_id=cohort_id, month=month, computed_at=now, **cell
                )
                for (cohort_id, month), cell in sorted(months.items())
            ],
            batch_size=BATCH,
        )
        DashboardSnapshot.objects.filter(programme=programme).delete()
        DashboardSnapshot.objects.bulk_create(
            dashboard_snapshots_build(programme=programme, now=now), batch_size=100
        )
        DashboardRefresh.objects.update_or_create(
            programme=programme, defaults={"computed_at": now, "pairs": len(facts)}
        )
    return len(facts)


def dashboard_refresh_all() -> int:
    """Every programme that has pairs; the number of programmes refreshed."""
    ids = list(
        Programme.objects.filter(cohorts__pairs__status__in=DASHBOARD_PAIR_STATUSES)
        .distinct()
        .values_list("pk", flat=True)
    )
    for programme_id in ids:
        dashboard_refresh(programme_id=programme_id)
    return len(ids)
