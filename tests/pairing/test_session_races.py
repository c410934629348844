"""A session written while the pair is being ended never brings the pair back to life.

Thread A ends the pair (early, or by completing it) and keeps its transaction open; the
member's log or schedule request runs meanwhile, having read the pair while it was still
published. PostgreSQL only: the proof needs two real concurrent transactions.
"""

import datetime as dt

import pytest
from celery import current_app
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.services.closing import pair_complete
from pairing.models import MentoringSession, Pair
from pairing.services.pairs import pair_request_end
from pairing.services.sessions import session_schedule
from tests.races import hold_then_run

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def eager_tasks():
    """Tasks enqueued after commit (the ended-pair emails, metrics) run in-process."""
    conf = current_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager = conf.task_eager_propagates = True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


@pytest.fixture
def published(world):
    """A freshly published pair (its first held session would make it active)."""
    Pair.objects.filter(pk=world.pair.pk).update(status=Pair.Status.PUBLISHED)
    world.pair.refresh_from_db()
    world.held = session_schedule(
        pair=world.pair,
        by=world.member,
        scheduled_start=timezone.now() - dt.timedelta(hours=2),
        now=timezone.now() - dt.timedelta(days=1),
    )
    return world


def _member_client(world) -> Client:
    client = Client()
    client.force_login(world.member.user)
    return client


def _log_request(world):
    def post():
        return _member_client(world).post(
            reverse("pairing:session_log", args=[world.held.pk]),
            {
                "status": "held",
                "actual_minutes": "45",
                f"role_{world.member.pk}": "mentor",
                f"role_{world.partner.pk}": "mentee",
                "shared_notes": "We met.",
            },
        )

    return post


def _end_early(world):
    def end():
        pair = Pair.objects.get(pk=world.pair.pk)
        return pair_request_end(pair=pair, by_participant=world.partner, reason="Moving teams")

    return end


def test_logging_while_the_pair_is_ended_early_does_not_revive_it(published):
    w = published
    ended, response = hold_then_run(_end_early(w), _log_request(w))

    assert isinstance(ended, Pair), ended
    assert not isinstance(response, Exception), response
    assert response.status_code == 200  # the form again, saying why, not a 500
    assert "This pair has ended" in response.content.decode()
    w.pair.refresh_from_db()
    assert w.pair.status == Pair.Status.ENDED_EARLY
    w.held.refresh_from_db()
    assert w.held.status == MentoringSession.Status.SCHEDULED and w.held.logged_at is None


def test_logging_while_the_pair_completes_does_not_revive_it(published):
    w = published
    pair_complete(pair=w.pair, by=w.member, retrospective="Learned a lot.")

    def complete():
        pair = Pair.objects.get(pk=w.pair.pk)
        return pair_complete(pair=pair, by=w.partner, retrospective="Me too.")

    completed, response = hold_then_run(complete, _log_request(w))

    assert completed is True, completed
    assert not isinstance(response, Exception), response
    assert "This pair has ended" in response.content.decode()
    w.pair.refresh_from_db()
    assert w.pair.status == Pair.Status.COMPLETED


def test_scheduling_while_the_pair_is_ended_adds_no_session(published):
    w = published
    before = MentoringSession.objects.filter(pair=w.pair).count()
    # 10:00 for both (their zone is UTC): no out-of-hours tick needed, whatever the hour now.
    start = timezone.localtime(timezone.now() + dt.timedelta(days=3)).replace(hour=10, minute=0)

    def schedule():
        return _member_client(w).post(
            reverse("pairing:session_schedule", args=[w.pair.pk]),
            {"scheduled_start": start.strftime("%Y-%m-%dT%H:%M"), "planned_minutes": "60"},
        )

    ended, response = hold_then_run(_end_early(w), schedule)

    assert isinstance(ended, Pair), ended
    assert not isinstance(response, Exception), response
    assert "This pair has ended" in response.content.decode()
    assert MentoringSession.objects.filter(pair=w.pair).count() == before
