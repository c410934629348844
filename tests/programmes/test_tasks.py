"""Invitation emails: sent after commit, once each, by a real worker, surviving a broker outage."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.utils import timezone

from mentoring.models import PendingTask
from programmes.models import Invitation, Participant, Programme
from programmes.services.imports import COLUMNS, import_apply
from programmes.services.participants import participant_invite
from programmes.tasks import invitation_send_task, invitations_send_batch_task
from tests.conftest import wait_for
from tests.outage import broker_down
from tests.tokens import emailed_invitation_token, invitation_of_token

HEADER = ",".join(COLUMNS)


def _invite(setup, email: str = "zoe@acme.example") -> Invitation:
    participant = participant_invite(
        cohort=setup.cohort, by=setup.admin, base_url="http://t", email=email
    )
    return participant.invitation


@pytest.mark.django_db
def test_sending_twice_sends_one_email(setup):
    invitation = _invite(setup)
    assert invitation_send_task.run(invitation.pk, "http://t") == 1
    assert invitation_send_task.run(invitation.pk, "http://t") == 0
    assert invitations_send_batch_task.run([invitation.pk, invitation.pk], "http://t") == 0
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    # The link is valid for 30 days from sending.
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=29)


@pytest.mark.django_db
def test_vanished_accepted_and_withdrawn_invitations_are_skipped(setup):
    vanished = _invite(setup, "gone@acme.example")
    vanished_id = vanished.pk
    vanished.participant.delete()
    accepted = _invite(setup, "accepted@acme.example")
    Invitation.objects.filter(pk=accepted.pk).update(accepted_at=timezone.now())
    withdrawn = _invite(setup, "withdrawn@acme.example")
    Participant.objects.filter(pk=withdrawn.participant_id).update(
        status=Participant.Status.WITHDRAWN
    )
    fine = _invite(setup, "fine@acme.example")
    ids = [vanished_id, accepted.pk, withdrawn.pk, fine.pk]
    assert invitations_send_batch_task.run(ids, "http://t") == 1
    assert [m.to for m in mail.outbox] == [["fine@acme.example"]]


@pytest.mark.django_db
def test_a_closed_or_draft_programme_sends_nothing(setup):
    invitation = _invite(setup)
    for status in (Programme.Status.DRAFT, Programme.Status.CLOSED):
        Programme.objects.filter(pk=setup.programme.pk).update(status=status)
        assert invitation_send_task.run(invitation.pk, "http://t") == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_mail_server_failure_leaves_the_invitation_unsent_for_the_retry(setup, monkeypatch):
    invitation = _invite(setup)

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("mail server gone")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with pytest.raises(smtplib.SMTPException):
        invitations_send_batch_task.run([invitation.pk], "http://t")
    invitation.refresh_from_db()
    assert invitation.sent_at is None
    monkeypatch.undo()
    assert invitations_send_batch_task.run([invitation.pk], "http://t") == 1


@pytest.mark.django_db
def test_the_email_speaks_to_the_invitee(setup):
    participant = participant_invite(
        cohort=setup.cohort,
        by=setup.admin,
        base_url="https://mentoring.acme.example",
        email="zoe@acme.example",
        first_name="Zoe",
    )
    invitation_send_task.run(participant.invitation.pk, "https://mentoring.acme.example")
    message = mail.outbox[0]
    assert message.body.startswith("Hello Zoe,")
    assert "Priya Natarajan invites you to join" in message.body
    token = emailed_invitation_token(message.body)
    assert f"https://mentoring.acme.example/programmes/invitations/{token}/" in message.body
    # The link's token is in the email only: the row keeps its hash.
    assert invitation_of_token(token) == participant.invitation
    participant.invitation.refresh_from_db()
    assert token not in participant.invitation.token_hash
    assert "works for 30 days" in message.body
    assert "Mutual listening and affirmation" in message.body  # the charter


@pytest.mark.django_db
def test_a_broker_outage_keeps_every_batch_for_later(setup, django_capture_on_commit_callbacks):
    rows = "\n".join(f"p{i}@acme.example,P,{i},,,,,,,," for i in range(450))
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        result = import_apply(
            cohort=setup.cohort,
            text=f"{HEADER}\n{rows}\n",
            add_unknown_skills=False,
            by=setup.admin,
            base_url="http://t",
        )
    assert result.created == 450  # the import committed
    pending = list(PendingTask.objects.order_by("pk"))
    assert [p.task_name for p in pending] == ["programmes.tasks.invitations_send_batch_task"] * 3
    assert [len(p.args[0]) for p in pending] == [200, 200, 50]
    # Once the broker is back, the outbox re-queues them; running them sends every email.
    for task in pending:
        invitations_send_batch_task.run(*task.args)
    assert len(mail.outbox) == 450


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_emails_the_invitations_of_an_import(setup, celery_worker_process):
    rows = "\n".join(f"w{i}@acme.example,W,{i},,,,,,,," for i in range(30))
    import_apply(
        cohort=setup.cohort,
        text=f"{HEADER}\n{rows}\n",
        add_unknown_skills=False,
        by=setup.admin,
        base_url="http://t",
    )
    wait_for(
        lambda: not Invitation.objects.filter(sent_at__isnull=True).exists(),
        timeout=90,
        what="the worker to send every invitation",
    )
    assert Invitation.objects.filter(sent_at__isnull=False).count() == 30
