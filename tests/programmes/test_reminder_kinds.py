"""Programmes' reminder: an invitation nobody accepted, 3 and 7 days after it was emailed,
to the invited address, with a link that works (a fresh token; the old link stops)."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client

from mentoring.notifications.models import Delivery
from programmes.models import Invitation, Participant
from programmes.reminder_models import ReminderSetting
from programmes.services.invitations import invitations_send
from tests.factories import ParticipantFactory, UserFactory
from tests.reminders import beat, html_of, mail_of, sent

pytestmark = pytest.mark.django_db

UTC = dt.UTC
HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)
S = dt.datetime(2027, 1, 12, 9, 0, tzinfo=UTC)  # when the invitation was emailed
BASE = "https://mentoring.example"
CODE = "invitation_unaccepted"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_BASE_URL = BASE


def invite(setup, email="ines@acme.example", zone="America/New_York", at=S) -> Invitation:
    participant = ParticipantFactory(
        cohort=setup.cohort,
        user=None,
        email=email,
        first_name="Inès",
        last_name="Okafor",
        time_zone=zone,
        status=Participant.Status.INVITED,
        charter_accepted_at=None,
    )
    invitation = Invitation.objects.create(
        participant=participant, email=email, cohort=setup.cohort, created_by=setup.admin
    )
    with time_machine.travel(at, tick=False):
        assert invitations_send(invitation_ids=[invitation.pk], base_url=BASE) == 1
    invitation.refresh_from_db()
    return invitation


def link_in(text: str) -> str:
    found = re.search(rf"{BASE}(/programmes/invitations?/[^\s\"<]+)", text)
    assert found, text
    return found.group(1)


def test_reminders_go_out_3_and_7_days_after_the_invitation_once_each(setup):
    invite(setup)
    beat(S + 72 * HOUR - MINUTE)
    assert sent(CODE) == []
    for at in (S + 72 * HOUR, S + 73 * HOUR, S + 168 * HOUR - MINUTE):
        beat(at)
    assert [d.due_at for d in sent(CODE)] == [S + 72 * HOUR]
    for at in (S + 168 * HOUR, S + 169 * HOUR, S + 200 * HOUR):
        beat(at)
    deliveries = sent(CODE)
    assert [d.due_at for d in deliveries] == [S + 72 * HOUR, S + 168 * HOUR]
    assert all(d.email == "ines@acme.example" and d.recipient is None for d in deliveries)


def test_the_reminders_link_works_and_the_earlier_one_stops(setup):
    invite(setup)
    first_link = link_in(mail.outbox[0].body)  # the invitation email itself
    beat(S + 72 * HOUR)
    reminder = sent(CODE)[0]
    message = mail_of(reminder)
    new_link = link_in(message.body)
    assert new_link != first_link
    assert link_in(html_of(message)) == new_link
    with time_machine.travel(S + 73 * HOUR, tick=False):
        page = Client().get(new_link)
        assert page.status_code == 200
        assert setup.programme.name in page.content.decode()
        assert Client().get(first_link).status_code == 404
    assert "replaces the one in the earlier email" in message.body
    # The token lives in the mail only: not in the stored deep link nor the context.
    token = new_link.rstrip("/").rsplit("/", 1)[-1]
    stored = Delivery.objects.get(pk=reminder.pk)
    assert token not in stored.link and token not in str(stored.context)
    assert stored.link == f"{BASE}/"


def test_the_expiry_is_given_in_the_invitees_zone(setup):
    invitation = invite(setup, zone="Asia/Kolkata")
    beat(S + 72 * HOUR)
    expires = invitation.expires_at.astimezone(dt.timezone(dt.timedelta(hours=5, minutes=30)))
    assert f"{expires:%H:%M} IST" in mail_of(sent(CODE)[0]).body


def test_no_reminder_once_the_invitation_is_accepted(setup):
    invitation = invite(setup)
    beat(S + 72 * HOUR)
    user = UserFactory(email="ines@acme.example")
    Participant.objects.filter(pk=invitation.participant_id).update(user=user)
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=S + 100 * HOUR)
    beat(S + 168 * HOUR)
    assert len(sent(CODE)) == 1


def test_no_reminder_for_someone_who_withdrew(setup):
    invitation = invite(setup)
    Participant.objects.filter(pk=invitation.participant_id).update(
        status=Participant.Status.WITHDRAWN
    )
    beat(S + 72 * HOUR)
    assert sent(CODE) == []


def test_a_resend_starts_the_reminders_afresh(setup):
    invitation = invite(setup)
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=None)
    with time_machine.travel(S + 48 * HOUR, tick=False):
        invitations_send(invitation_ids=[invitation.pk], base_url=BASE)
    beat(S + 72 * HOUR)
    assert sent(CODE) == []
    beat(S + 48 * HOUR + 72 * HOUR)
    assert [d.due_at for d in sent(CODE)] == [S + 120 * HOUR]


def test_a_programme_can_switch_invitation_reminders_off(setup):
    ReminderSetting.objects.create(programme=setup.programme, kind=CODE, enabled=False)
    invite(setup)
    beat(S + 72 * HOUR)
    beat(S + 168 * HOUR)
    assert sent(CODE) == []


def test_the_programme_page_names_the_reminders_a_paired_participant_gets(world):
    from mentoring.notifications.registry import kinds

    client = world.client_for("member")
    page = " ".join(client.get("/programmes/my/").content.decode().split())
    assert 'data-testid="reminder-promises"' in page
    assert "a reminder to log a session 24 hours and 3 days after it, if nobody has" in page
    assert "a reminder to reflect 2 days after a session is logged, if you have not" in page
    assert "when you have not met for 21 days" in page  # 1.5 × the default 14-day cadence
    assert (
        "a reminder 3 days after your partner records something they did for you, "
        "if you have not confirmed it yet" in page
    )
    if "session_upcoming" in kinds():
        assert "before each session, naming whose turn it is to mentor" in page
    ReminderSetting.objects.create(programme=world.programme, kind="inactivity", enabled=False)
    page = " ".join(client.get("/programmes/my/").content.decode().split())
    assert "propose a time" not in page
