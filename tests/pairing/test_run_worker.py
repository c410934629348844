"""A pairing run end to end through a real Celery worker (Redis in CI, embedded locally)."""

import pytest

from pairing.models import MatchRun, Pair, PairMember
from pairing.services.matching import match_run_start
from tests.conftest import wait_for
from tests.pairing.test_matching_service import make_cohort, person

pytestmark = [pytest.mark.worker]


def test_a_run_queued_from_the_page_is_executed_by_the_worker(celery_worker_process):
    cohort = make_cohort(allow_trio=True, cross_department_weight=2)
    topics = ["Python", "Sales", "Design", "Law", "Finance"]
    for i in range(25):
        person(
            cohort,
            f"W{i}",
            offers=[topics[i % 5]],
            wants=[topics[(i + 1) % 5]],
            department=["Data", "Sales", "Legal"][i % 3],
        )

    run = match_run_start(cohort=cohort, by=cohort.admin)  # enqueued on commit
    assert run.status == MatchRun.Status.QUEUED

    finished = wait_for(
        lambda: MatchRun.objects.filter(
            pk=run.pk, status__in=[MatchRun.Status.SUCCEEDED, MatchRun.Status.FAILED]
        ).first(),
        timeout=120,
        what="the worker to finish the pairing run",
    )
    assert finished.status == MatchRun.Status.SUCCEEDED, finished.error
    assert finished.progress == 1.0
    assert finished.started_at is not None and finished.finished_at >= finished.started_at
    pairs = Pair.objects.filter(cohort=cohort, status=Pair.Status.PROPOSED, match_run=run)
    assert pairs.count() == 12  # 25 people: 11 pairs and one trio
    assert PairMember.objects.filter(pair__in=pairs, current=True).count() == 25
    assert finished.summary["pair_count"] == 12 and finished.summary["unmatched"] == []
    assert 0 < finished.summary["quality"] <= 1
    assert celery_worker_process.poll() is None, "the worker died"
