"""The "upcoming session" reminder through the real planner and sender, at exact instants
(time-machine): 24 h and 1 h before, each reader's own time zone (with a DST change),
who mentors this time, the .ics, and what stops a reminder (cancelled, rescheduled,
switched off by the programme or by the person)."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from mentoring.notifications.models import Delivery, NotificationPreference
from mentoring.notifications.services import deliveries_plan, preference_set
from pairing.models import MentoringSession, Pair
from programmes.models import Programme
from programmes.reminder_models import ReminderSetting
from tests.reminders import beat, html_of, mail_of, sent

pytestmark = pytest.mark.django_db

UTC = dt.UTC
HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)
# A Tuesday, 14:00 UTC: 14:00 in London (GMT), 09:00 in New York (EST).
T0 = dt.datetime(2027, 1, 12, 14, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_BASE_URL = "https://mentoring.example"


@pytest.fixture
def zoned(world):
    """The member (side A, the planned mentor) reads London time, the partner New York's."""
    for participant, zone in ((world.member, "Europe/London"), (world.partner, "America/New_York")):
        participant.user.time_zone = zone
        participant.user.save(update_fields=["time_zone"])
    return world


def schedule(world, start=T0, *, booked=None, mentor="member") -> MentoringSession:
    """A session of the world's pair, booked three days ahead (or at ``booked``)."""
    with time_machine.travel(booked or start - 72 * HOUR, tick=False):
        return MentoringSession.objects.create(
            pair=world.pair,
            scheduled_start=start,
            planned_mentor=getattr(world, mentor) if mentor else None,
            created_by=world.member,
        )


def upcoming() -> list[Delivery]:
    return sent("session_upcoming")


def upcoming_mails() -> list:
    """The mails of this kind (other kinds, say "time to meet again", may go out too)."""
    return [m for m in mail.outbox if m.subject.startswith("Mentoring session with")]


def to(world, who: str) -> Delivery:
    user = getattr(world, who).user
    (delivery,) = [d for d in upcoming() if d.recipient_id == user.pk and d.due_at == _last_due()]
    return delivery


def _last_due():
    return max(d.due_at for d in upcoming())


def test_reminders_are_due_24h_and_1h_before_and_go_out_once(zoned):
    schedule(zoned)
    beat(T0 - 24 * HOUR - MINUTE)
    assert upcoming() == []
    beat(T0 - 24 * HOUR)
    first = upcoming()
    assert {d.recipient for d in first} == {zoned.member.user, zoned.partner.user}
    assert {d.due_at for d in first} == {T0 - 24 * HOUR}
    for at in (T0 - 23 * HOUR, T0 - 2 * HOUR, T0 - HOUR - MINUTE):
        beat(at)
    assert len(upcoming()) == 2
    beat(T0 - HOUR)
    beat(T0 - 30 * MINUTE)
    deliveries = upcoming()
    assert len(deliveries) == 4
    assert sorted(d.due_at for d in deliveries) == [T0 - 24 * HOUR] * 2 + [T0 - HOUR] * 2
    assert len(upcoming_mails()) == 4
    beat(T0 + HOUR)  # started: nothing more
    assert len(upcoming_mails()) == 4


def test_each_reader_sees_their_own_local_time_and_who_mentors(zoned):
    session = schedule(zoned)
    beat(T0 - 24 * HOUR)
    member_mail = mail_of(to(zoned, "member"))
    partner_mail = mail_of(to(zoned, "partner"))
    assert "Tue 12 Jan 2027, 14:00 GMT" in member_mail.subject
    assert "Tue 12 Jan 2027, 09:00 EST" in partner_mail.subject
    assert "in 24 hours" in member_mail.subject
    # Each is told the other's local time, who mentors, and the prompt for their role.
    assert "that is Tue 12 Jan 2027, 09:00 EST" in member_mail.body
    assert "that is Tue 12 Jan 2027, 14:00 GMT" in partner_mail.body
    assert "This time YOU MENTOR." in member_mail.body
    assert "Hold them accountable" in member_mail.body
    mentor_name = zoned.member.display_name.upper()
    assert f"This time {mentor_name} MENTORS: you are the mentee." in partner_mail.body
    assert "Bring one goal" in partner_mail.body
    assert "This time you mentor." in html_of(member_mail)
    # The deep link to the session, in the mail and on the delivery (the bell's link).
    link = f"https://mentoring.example/pairing/sessions/{session.pk}/"
    assert link in member_mail.body and link in html_of(member_mail)
    assert to(zoned, "member").link == link
    # The calendar invitation.
    (ics,) = [a for a in member_mail.attachments if a[0].endswith(".ics")]
    assert ics[2] == "text/calendar"
    content = ics[1].decode() if isinstance(ics[1], bytes) else ics[1]
    assert "DTSTART:20270112T140000Z" in content
    assert f"UID:session-{session.pk}@" in content


def test_a_dst_change_between_reminder_and_session(zoned):
    """Europe/Paris moves to summer time on Sunday 28 March 2027 at 02:00: a session at
    10:00 Paris time that Sunday (08:00 UTC) is reminded 24 real hours before (Saturday
    08:00 UTC = 09:00 CET) and read as 10:00 CEST."""
    zoned.member.user.time_zone = "Europe/Paris"
    zoned.member.user.save(update_fields=["time_zone"])
    start = dt.datetime(2027, 3, 28, 8, 0, tzinfo=UTC)
    schedule(zoned, start)
    beat(start - 24 * HOUR - MINUTE)
    assert upcoming() == []
    beat(start - 24 * HOUR)
    member_mail = mail_of(to(zoned, "member"))
    assert "Sun 28 Mar 2027, 10:00 CEST" in member_mail.subject
    # New York changed two weeks earlier: 04:00 EDT.
    assert "Sun 28 Mar 2027, 04:00 EDT" in mail_of(to(zoned, "partner")).subject
    beat(start - HOUR)
    assert len(upcoming()) == 4


def test_split_and_fluid_programmes_say_so(zoned):
    Programme.objects.filter(pk=zoned.programme.pk).update(alternation="split")
    schedule(zoned, mentor=None)
    beat(T0 - 24 * HOUR)
    assert "you both mentor, in two halves" in mail_of(to(zoned, "member")).body


def test_a_session_booked_late_gets_only_the_closer_reminder(zoned):
    schedule(zoned, booked=T0 - 10 * HOUR)
    beat(T0 - 10 * HOUR + MINUTE)
    assert upcoming() == []  # no "24 hours" reminder of a session booked 10 hours ahead
    beat(T0 - HOUR)
    assert {d.due_at for d in upcoming()} == {T0 - HOUR}


def test_a_cancelled_session_is_not_reminded(zoned):
    session = schedule(zoned)
    with time_machine.travel(T0 - 25 * HOUR, tick=False):
        deliveries_plan(now=T0 - 25 * HOUR)
    beat(T0 - 24 * HOUR)  # planned...
    assert len(upcoming()) == 2
    MentoringSession.objects.filter(pk=session.pk).update(status=MentoringSession.Status.CANCELLED)
    beat(T0 - HOUR)
    assert len(upcoming()) == 2
    assert not Delivery.objects.filter(due_at=T0 - HOUR).exists()


def test_a_reminder_planned_before_a_reschedule_is_skipped_and_the_new_time_reminded(zoned):
    session = schedule(zoned)
    # Planned for the old time, then the mail server was slow: the reschedule comes first.
    with time_machine.travel(T0 - 24 * HOUR, tick=False):
        deliveries_plan(now=T0 - 24 * HOUR)
    later = T0 + 48 * HOUR
    MentoringSession.objects.filter(pk=session.pk).update(scheduled_start=later)
    beat(T0 - 24 * HOUR + MINUTE)
    assert upcoming() == []
    assert Delivery.objects.filter(status=Delivery.Status.SKIPPED).count() == 2
    beat(later - 24 * HOUR)
    deliveries = upcoming()
    assert {d.due_at for d in deliveries} == {later - 24 * HOUR}
    assert "Thu 14 Jan 2027, 14:00 GMT" in mail_of(to(zoned, "member")).subject


def test_an_ended_pair_gets_no_reminder(zoned):
    schedule(zoned)
    Pair.objects.filter(pk=zoned.pair.pk).update(status=Pair.Status.ENDED_EARLY)
    beat(T0 - 24 * HOUR)
    assert upcoming() == []


# --- who switches it off -------------------------------------------------------------------
def test_a_person_who_switched_them_off_gets_none_and_the_partner_still_does(zoned):
    preference_set(user=zoned.partner.user, kind="session_upcoming", enabled=False)
    schedule(zoned)
    beat(T0 - 24 * HOUR)
    assert [d.recipient for d in upcoming()] == [zoned.member.user]
    skipped = Delivery.objects.get(recipient=zoned.partner.user, kind="session_upcoming")
    assert skipped.status == Delivery.Status.SKIPPED
    assert [m.to for m in upcoming_mails()] == [[zoned.member.user.email]]


def test_switching_off_after_planning_still_stops_the_mail(zoned):
    schedule(zoned)
    with time_machine.travel(T0 - 24 * HOUR, tick=False):
        deliveries_plan(now=T0 - 24 * HOUR)
    preference_set(user=zoned.partner.user, kind="session_upcoming", enabled=False)
    beat(T0 - 24 * HOUR + MINUTE)
    assert [d.recipient for d in upcoming()] == [zoned.member.user]


def test_a_programme_that_switched_the_kind_off_sends_none(zoned):
    ReminderSetting.objects.create(
        programme=zoned.programme, kind="session_upcoming", enabled=False
    )
    schedule(zoned)
    beat(T0 - 24 * HOUR)
    beat(T0 - HOUR)
    assert upcoming() == []
    assert upcoming_mails() == []


def test_a_programme_timing_replaces_the_defaults(zoned):
    ReminderSetting.objects.create(programme=zoned.programme, kind="session_upcoming", offsets=[48])
    schedule(zoned, booked=T0 - 96 * HOUR)
    beat(T0 - 48 * HOUR - MINUTE)
    assert upcoming() == []
    beat(T0 - 48 * HOUR)
    assert {d.due_at for d in upcoming()} == {T0 - 48 * HOUR}
    assert "in 2 days" in mail_of(upcoming()[0]).subject
    beat(T0 - 24 * HOUR)
    beat(T0 - HOUR)
    assert len(upcoming()) == 2  # no 24 h or 1 h reminder any more


def test_account_and_pair_mail_cannot_be_switched_off(world):
    with pytest.raises(ValueError):
        preference_set(user=world.member.user, kind="pair_published", enabled=False)
    assert not NotificationPreference.objects.exists()
