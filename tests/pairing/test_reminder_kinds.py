"""Pairing's reminders: "log your session" (24 h and 72 h after a session nobody logged)
and "time to meet again" (no session for 1.5 × the cadence), each run through the real
planner and sender at exact instants (time-machine)."""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail as django_mail
from django.test import Client

from mentoring.notifications.models import Delivery
from mentoring.notifications.services import deliveries_plan, deliveries_send_due
from pairing.models import MentoringSession, Pair, PairMember, SessionRole
from pairing.services.sessions import session_log
from programmes.reminder_models import ReminderSetting
from tests.reminders import beat, html_of, mail_of, sent

pytestmark = pytest.mark.django_db

UTC = dt.UTC
T0 = dt.datetime(2027, 1, 12, 14, 0, tzinfo=UTC)  # a Tuesday: 14:00 in London, 09:00 in New York
HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_BASE_URL = "https://mentoring.example"


@pytest.fixture
def zoned(world):
    """The member reads times in London, the partner in New York."""
    for participant, zone in ((world.member, "Europe/London"), (world.partner, "America/New_York")):
        participant.user.time_zone = zone
        participant.user.save(update_fields=["time_zone"])
    return world


def schedule(world, start=T0) -> MentoringSession:
    return MentoringSession.objects.create(
        pair=world.pair, scheduled_start=start, planned_mentor=world.member, created_by=world.member
    )


def end_pair(pair: Pair) -> None:
    Pair.objects.filter(pk=pair.pk).update(status=Pair.Status.ENDED_EARLY, ended_at=T0)
    PairMember.objects.filter(pair=pair).update(current=False)


# --- log your session ----------------------------------------------------------------------
def test_log_reminder_is_due_exactly_24h_after_the_session_and_sent_once(zoned):
    session = schedule(zoned)
    beat(T0 + 24 * HOUR - MINUTE)
    assert sent("session_log") == []
    beat(T0 + 24 * HOUR)
    first = sent("session_log")
    assert {d.recipient for d in first} == {zoned.member.user, zoned.partner.user}
    assert {d.due_at for d in first} == {T0 + 24 * HOUR}
    for at in (T0 + 24 * HOUR + 5 * MINUTE, T0 + 25 * HOUR, T0 + 30 * HOUR):
        beat(at)
    assert len(sent("session_log")) == 2
    message = mail_of(first[0])
    assert f"/pairing/sessions/{session.pk}/log/" in message.body
    assert first[0].link == f"https://mentoring.example/pairing/sessions/{session.pk}/log/"


def test_a_second_log_reminder_goes_out_at_72h(zoned):
    schedule(zoned)
    beat(T0 + 24 * HOUR)
    beat(T0 + 72 * HOUR - MINUTE)
    assert len(sent("session_log")) == 2
    beat(T0 + 72 * HOUR)
    beat(T0 + 73 * HOUR)
    deliveries = sent("session_log")
    assert len(deliveries) == 4
    second = [d for d in deliveries if d.due_at == T0 + 72 * HOUR]
    assert len(second) == 2
    assert all(d.subject.startswith("Second reminder: log your session") for d in second)


def test_no_log_reminder_once_the_session_is_logged(zoned):
    session = schedule(zoned)
    beat(T0 + 24 * HOUR)
    assert len(sent("session_log")) == 2
    with time_machine.travel(T0 + 30 * HOUR, tick=False):
        session_log(
            session=session,
            by=zoned.member,
            status=MentoringSession.Status.HELD,
            actual_minutes=60,
            roles={zoned.member.pk: SessionRole.MENTOR, zoned.partner.pk: SessionRole.MENTEE},
        )
    beat(T0 + 72 * HOUR)
    assert len(sent("session_log")) == 2  # no second reminder


def test_a_reminder_planned_before_the_log_is_skipped_when_it_is_sent(zoned):
    session = schedule(zoned)
    deliveries_plan(now=T0 + 24 * HOUR)
    MentoringSession.objects.filter(pk=session.pk).update(
        status=MentoringSession.Status.CANCELLED, logged_at=T0 + 24 * HOUR
    )
    deliveries_send_due(now=T0 + 24 * HOUR)
    assert sent("session_log") == []
    assert set(Delivery.objects.filter(kind="session_log").values_list("status", flat=True)) == {
        Delivery.Status.SKIPPED
    }


def test_no_log_reminder_after_the_pair_ended(zoned):
    schedule(zoned)
    end_pair(zoned.pair)
    beat(T0 + 24 * HOUR)
    beat(T0 + 72 * HOUR)
    assert sent("session_log") == []


def test_each_member_reads_the_session_time_in_their_own_zone(zoned):
    schedule(zoned)
    beat(T0 + 24 * HOUR)
    by_user = {d.recipient: d for d in sent("session_log")}
    london = by_user[zoned.member.user]
    new_york = by_user[zoned.partner.user]
    assert "Tue 12 Jan 2027, 14:00 GMT" in london.subject
    assert "Tue 12 Jan 2027, 09:00 EST" in new_york.subject
    assert "14:00 GMT" in mail_of(london).body
    assert "09:00 EST" in html_of(mail_of(new_york))
    assert zoned.partner.display_name in mail_of(london).body  # "your session with ..."


def test_log_reminder_across_a_daylight_saving_change(zoned):
    """Paris moves to summer time at 01:00 UTC on Sunday 28 March 2027: a session on the
    Saturday at 10:30 CET is reminded 24 real hours later, and the mail still says 10:30 CET."""
    zoned.member.user.time_zone = "Europe/Paris"
    zoned.member.user.save(update_fields=["time_zone"])
    start = dt.datetime(2027, 3, 27, 9, 30, tzinfo=UTC)
    schedule(zoned, start)
    beat(start + 24 * HOUR - MINUTE)
    assert sent("session_log") == []
    beat(start + 24 * HOUR)  # 11:30 CEST on the Sunday
    paris = next(d for d in sent("session_log") if d.recipient == zoned.member.user)
    assert paris.due_at == start + 24 * HOUR
    assert "Sat 27 Mar 2027, 10:30 CET" in paris.subject


def test_a_programme_can_switch_log_reminders_off(zoned):
    ReminderSetting.objects.create(programme=zoned.programme, kind="session_log", enabled=False)
    schedule(zoned)
    beat(T0 + 24 * HOUR)
    beat(T0 + 72 * HOUR)
    assert sent("session_log") == []


def test_a_programme_sets_its_own_log_reminder_timing(zoned):
    ReminderSetting.objects.create(programme=zoned.programme, kind="session_log", offsets=[2])
    schedule(zoned)
    beat(T0 + 2 * HOUR - MINUTE)
    assert sent("session_log") == []
    beat(T0 + 2 * HOUR)
    beat(T0 + 72 * HOUR)
    assert {d.due_at for d in sent("session_log")} == {T0 + 2 * HOUR}


# --- time to meet again --------------------------------------------------------------------
P = dt.datetime(2027, 2, 1, 9, 0, tzinfo=UTC)  # published on a Monday; cadence 14 days
QUIET = dt.timedelta(days=21)  # 14 × 1.5


@pytest.fixture
def quiet(zoned):
    zoned.programme.cadence_days = 14
    zoned.programme.save(update_fields=["cadence_days"])
    Pair.objects.filter(pk=zoned.pair.pk).update(published_at=P)
    Pair.objects.filter(pk=zoned.other_pair.pk).update(published_at=P + 10 * QUIET)
    return zoned


def test_inactivity_is_due_after_one_and_a_half_cadences_once(quiet):
    beat(P + QUIET - MINUTE)
    assert sent("inactivity") == []
    beat(P + QUIET)
    beat(P + QUIET + HOUR)
    beat(P + QUIET + 3 * 24 * HOUR)
    deliveries = sent("inactivity")
    assert {d.recipient for d in deliveries} == {quiet.member.user, quiet.partner.user}
    assert {d.due_at for d in deliveries} == {P + QUIET}


def test_a_session_restarts_the_inactivity_clock(quiet):
    held = P + 5 * 24 * HOUR
    MentoringSession.objects.create(
        pair=quiet.pair, scheduled_start=held, status=MentoringSession.Status.HELD, logged_at=held
    )
    beat(P + QUIET)
    assert sent("inactivity") == []
    beat(held + QUIET)
    assert {d.due_at for d in sent("inactivity")} == {held + QUIET}


def test_no_inactivity_reminder_for_a_pair_with_a_session_planned(quiet):
    MentoringSession.objects.create(pair=quiet.pair, scheduled_start=P + QUIET + 24 * HOUR)
    beat(P + QUIET)
    beat(P + QUIET + 12 * HOUR)
    assert sent("inactivity") == []


def test_no_inactivity_reminder_after_the_pair_ended(quiet):
    end_pair(quiet.pair)
    beat(P + QUIET)
    assert sent("inactivity") == []


def test_a_programme_can_switch_inactivity_reminders_off(quiet):
    ReminderSetting.objects.create(programme=quiet.programme, kind="inactivity", enabled=False)
    beat(P + QUIET)
    assert sent("inactivity") == []


def _link(message) -> str:
    found = re.search(
        r"https://mentoring\.example(/pairing/pairs/\d+/sessions/new/\?\S+)", message.body
    )
    assert found, message.body
    return found.group(1)


def test_propose_a_time_opens_the_schedule_form_filled_in_for_that_member_only(quiet):
    beat(P + QUIET)
    by_user = {d.recipient: d for d in sent("inactivity")}
    mine = by_user[quiet.member.user]
    path = _link(mail_of(mine))
    assert urlsplit(path).path == f"/pairing/pairs/{quiet.pair.pk}/sessions/new/"
    # Two days after the mail (Mon 22 Feb 09:00 UTC), at 10:00 London time: Wed 24 Feb.
    assert "start=2027-02-24T10%3A00" in path
    assert "Wednesday 24 February, 10:00 GMT" in mail_of(mine).body
    page = quiet.client_for("member").get(path)
    assert page.status_code == 200
    assert 'value="2027-02-24T10:00"' in page.content.decode()
    assert quiet.client_for("other_pair_member").get(path).status_code == 404
    anonymous = Client().get(path)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    # The partner's link proposes 10:00 in New York, and opens the form for them.
    theirs = _link(mail_of(by_user[quiet.partner.user]))
    assert "start=2027-02-24T10%3A00" in theirs
    assert quiet.client_for("member").get(theirs).status_code == 200  # same pair


def test_propose_a_time_form_shows_the_time_in_the_readers_zone(quiet):
    """The prefilled 10:00 is the reader's 10:00: the slot preview names it for both."""
    beat(P + QUIET)
    mine = next(d for d in sent("inactivity") if d.recipient == quiet.member.user)
    client = Client()
    client.force_login(quiet.member.user)
    body = client.get(_link(mail_of(mine))).content.decode()
    assert "10:00" in body and "05:00" in body  # London 10:00 = New York 05:00


# --- what the mails and pages promise ------------------------------------------------------
def test_the_log_reminders_link_opens_the_log_form_for_that_member_only(zoned):
    session = schedule(zoned)
    beat(T0 + 24 * HOUR)
    mine = next(d for d in sent("session_log") if d.recipient == zoned.member.user)
    path = urlsplit(mine.link).path
    assert path in mail_of(mine).body or mine.link in mail_of(mine).body
    with time_machine.travel(T0 + 25 * HOUR, tick=False):
        assert zoned.client_for("member").get(path).status_code == 200
        assert zoned.client_for("other_pair_member").get(path).status_code == 404
    assert f"/pairing/sessions/{session.pk}/log/" == path


def test_the_paired_email_names_the_reminders_the_programme_sends(zoned):
    from pairing.services.pair_emails import pair_published_email

    ReminderSetting.objects.create(programme=zoned.programme, kind="reflect", enabled=False)
    ReminderSetting.objects.create(programme=zoned.programme, kind="session_log", offsets=[12])
    zoned.programme.cadence_days = 10
    zoned.programme.save(update_fields=["cadence_days"])
    pair_published_email(pair_id=zoned.pair.pk, base_url="https://mentoring.example")
    (message,) = [m for m in django_mail.outbox if m.to == [zoned.member.user.email]]
    body = " ".join(message.body.split())
    assert "a reminder to log a session 12 hours after it, if nobody has" in body
    assert "a nudge to propose a time when you have not met for 15 days" in body
    assert "reflect" not in body  # switched off for this programme: not promised


def test_a_member_who_turned_log_reminders_off_gets_none_their_partner_still_does(zoned):
    from mentoring.notifications.services import preference_set

    preference_set(user=zoned.member.user, kind="session_log", enabled=False)
    schedule(zoned)
    beat(T0 + 24 * HOUR)
    beat(T0 + 72 * HOUR)
    assert {d.recipient for d in sent("session_log")} == {zoned.partner.user}
