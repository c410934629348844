"""Pairing emails go out once per person, even when the mail server refuses one of them.

The task that mails a published pair is retried when the server refuses a message; the
retry must mail only the people who did not get theirs, so nobody receives "meet your
mentoring partner" twice. The same holds for the "your pair has ended" emails.
"""

from smtplib import SMTPRecipientsRefused

import pytest
from celery import current_app
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import override_settings

from mentoring.models import PendingTask
from pairing.models import Pair
from pairing.services.pairs import pair_request_end, pairs_publish
from tests.factories import make_pair
from tests.pairing.test_matching_service import make_cohort, person, run_now

pytestmark = pytest.mark.django_db


class RefusesOnceBackend(EmailBackend):
    """The in-memory backend, except that it refuses the first message to each address in
    ``refuse_once`` (a flaky mail server), and records every attempt."""

    refuse_once: set[str] = set()
    attempts: list[str] = []

    def send_messages(self, messages):
        for message in messages:
            (to,) = message.to
            type(self).attempts.append(to)
            if to in self.refuse_once:
                self.refuse_once.discard(to)
                raise SMTPRecipientsRefused({to: (451, b"try again later")})
        return super().send_messages(messages)


@pytest.fixture
def flaky_mail():
    RefusesOnceBackend.refuse_once = set()
    RefusesOnceBackend.attempts = []
    with override_settings(EMAIL_BACKEND=f"{__name__}.RefusesOnceBackend"):
        yield RefusesOnceBackend


@pytest.fixture
def eager_tasks():
    """Tasks run in this process when enqueued, and so do their retries: Celery's eager
    mode retries in place when errors are not propagated to the caller."""
    conf = current_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager, conf.task_eager_propagates = True, False
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


def _to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def test_a_refused_message_is_retried_for_that_person_only(
    flaky_mail, eager_tasks, django_capture_on_commit_callbacks
):
    cohort = make_cohort()
    ana = person(cohort, "Ana", offers=["Python"], wants=["Sales"])
    ben = person(cohort, "Ben", offers=["Sales"], wants=["Python"])
    run_now(cohort)
    pair = Pair.objects.get(status=Pair.Status.PROPOSED)
    first, second = [m.participant for m in pair.members.order_by("position")]
    flaky_mail.refuse_once = {second.email}  # the server refuses the pair's second email

    with django_capture_on_commit_callbacks(execute=True):
        assert pairs_publish(cohort=cohort, by=cohort.admin, base_url="https://m.example") == 1

    # First attempt: the first member is mailed, the second refused; the retry mails the
    # second member only.
    assert flaky_mail.attempts == [first.email, second.email, second.email]
    for member in (ana, ben):
        (message,) = _to(member.email)  # exactly one each
        assert "Meet your mentoring partner" in message.subject
    assert not PendingTask.objects.exists()  # nothing left over for the outbox


def test_ended_pair_emails_are_retried_per_recipient(
    flaky_mail, eager_tasks, django_capture_on_commit_callbacks
):
    cohort = make_cohort()
    ana, ben = person(cohort, "Ana"), person(cohort, "Ben")
    pair = make_pair(ana, ben, status=Pair.Status.ACTIVE)
    flaky_mail.refuse_once = {cohort.admin.email}  # the admin's copy is refused once

    with django_capture_on_commit_callbacks(execute=True):
        pair_request_end(pair=pair, by_participant=ana, reason="We never found a time.")

    assert flaky_mail.attempts == [ben.email, cohort.admin.email, cohort.admin.email]
    assert len(_to(ben.email)) == 1
    assert len(_to(cohort.admin.email)) == 1
