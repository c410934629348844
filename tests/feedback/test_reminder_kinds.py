"""Feedback's reminders: "reflect" (48 h after a log), "ledger items to confirm" (3 days)
and the admins' weekly digest, through the real planner and sender (time-machine)."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from feedback.models import BenefitItem, PairMetric
from mentoring.notifications.models import Delivery
from mentoring.notifications.services import deliveries_plan, deliveries_send_due
from pairing.models import MentoringSession, Pair, PairMember, SessionRole
from programmes.models import Invitation, Participant, ProgrammeRole
from programmes.reminder_models import ReminderSetting
from tests.factories import ParticipantFactory, ProgrammeRoleFactory, UserFactory, make_pair
from tests.feedback.conftest import SECRET_TEXT
from tests.reminders import beat, html_of, mail_of, sent

pytestmark = pytest.mark.django_db

UTC = dt.UTC
HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)
L = dt.datetime(2027, 1, 12, 16, 0, tzinfo=UTC)  # when the session was logged


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_BASE_URL = "https://mentoring.example"


def held_session(world, build, logged_at=L) -> MentoringSession:
    session = build.session(
        world.pair,
        {world.member: SessionRole.MENTOR, world.partner: SessionRole.MENTEE},
        start=logged_at - 2 * HOUR,
    )
    MentoringSession.objects.filter(pk=session.pk).update(
        logged_at=logged_at, logged_by=world.member
    )
    return session


def end_pair(pair: Pair) -> None:
    Pair.objects.filter(pk=pair.pk).update(status=Pair.Status.ENDED_EARLY)
    PairMember.objects.filter(pair=pair).update(current=False)


# --- reflect -------------------------------------------------------------------------------
def test_reflect_is_due_48h_after_the_log_to_the_side_that_has_not_reflected(world, build):
    session = held_session(world, build)
    build.reflect(session, world.partner)
    beat(L + 48 * HOUR - MINUTE)
    assert sent("reflect") == []
    for at in (L + 48 * HOUR, L + 48 * HOUR + 5 * MINUTE, L + 60 * HOUR):
        beat(at)
    deliveries = sent("reflect")
    assert [d.recipient for d in deliveries] == [world.member.user]
    assert deliveries[0].due_at == L + 48 * HOUR
    assert f"/feedback/sessions/{session.pk}/reflection/" in mail_of(deliveries[0]).body


def test_no_reflect_reminder_once_both_reflected(world, build):
    session = held_session(world, build)
    deliveries_plan(now=L + 48 * HOUR)  # planned for both ...
    build.reflect(session, world.partner)
    build.reflect(session, world.member)  # ... then both reflect before it goes out
    with time_machine.travel(L + 48 * HOUR, tick=False):
        deliveries_send_due(now=L + 48 * HOUR)
    beat(L + 49 * HOUR)
    assert sent("reflect") == []


def test_no_reflect_reminder_after_the_pair_ended(world, build):
    held_session(world, build)
    end_pair(world.pair)
    beat(L + 48 * HOUR)
    assert sent("reflect") == []


def test_a_programme_can_switch_reflect_reminders_off(world, build):
    ReminderSetting.objects.create(programme=world.programme, kind="reflect", enabled=False)
    held_session(world, build)
    beat(L + 48 * HOUR)
    assert sent("reflect") == []


def test_reflect_reminder_names_the_session_in_each_readers_zone(world, build):
    world.member.user.time_zone = "Asia/Tokyo"
    world.member.user.save(update_fields=["time_zone"])
    world.partner.user.time_zone = "America/Los_Angeles"
    world.partner.user.save(update_fields=["time_zone"])
    held_session(world, build)  # started 14:00 UTC on Tue 12 Jan 2027
    beat(L + 48 * HOUR)
    by_user = {d.recipient: d for d in sent("reflect")}
    assert "Tue 12 Jan 2027, 23:00 JST" in by_user[world.member.user].subject
    assert "Tue 12 Jan 2027, 06:00 PST" in by_user[world.partner.user].subject


# --- ledger items to confirm ---------------------------------------------------------------
C = dt.datetime(2027, 1, 20, 10, 0, tzinfo=UTC)


def recorded(world, build, at=C, status=BenefitItem.Status.PENDING) -> BenefitItem:
    item = build.item(world.pair, world.member, world.partner, status=status)
    BenefitItem.objects.filter(pk=item.pk).update(created_at=at)
    return item


def test_ledger_reminder_goes_to_the_receiver_3_days_after_once(world, build):
    recorded(world, build)
    beat(C + 72 * HOUR - MINUTE)
    assert sent("ledger_unconfirmed") == []
    for at in (C + 72 * HOUR, C + 73 * HOUR, C + 96 * HOUR):
        beat(at)
    deliveries = sent("ledger_unconfirmed")
    assert [d.recipient for d in deliveries] == [world.partner.user]
    body = mail_of(deliveries[0]).body
    assert world.member.display_name in body
    assert f"/feedback/pairs/{world.pair.pk}/ledger/" in body


def test_no_ledger_reminder_once_confirmed_or_disputed(world, build):
    item = recorded(world, build)
    deliveries_plan(now=C + 72 * HOUR)
    BenefitItem.objects.filter(pk=item.pk).update(status=BenefitItem.Status.CONFIRMED)
    with time_machine.travel(C + 72 * HOUR, tick=False):
        deliveries_send_due(now=C + 72 * HOUR)
    recorded(world, build, status=BenefitItem.Status.DISPUTED)
    beat(C + 73 * HOUR)
    assert sent("ledger_unconfirmed") == []


def test_no_ledger_reminder_after_the_pair_ended(world, build):
    recorded(world, build)
    end_pair(world.pair)
    beat(C + 72 * HOUR)
    assert sent("ledger_unconfirmed") == []


def test_a_programme_can_switch_ledger_reminders_off(world, build):
    ReminderSetting.objects.create(
        programme=world.programme, kind="ledger_unconfirmed", enabled=False
    )
    recorded(world, build)
    beat(C + 72 * HOUR)
    assert sent("ledger_unconfirmed") == []


# --- the admins' weekly digest -------------------------------------------------------------
MONDAY = dt.date(2027, 1, 18)
PARIS_8 = dt.datetime(2027, 1, 18, 7, 0, tzinfo=UTC)  # 08:00 CET
NEW_YORK_8 = dt.datetime(2027, 1, 18, 13, 0, tzinfo=UTC)  # 08:00 EST


def digests(world) -> list[Delivery]:
    """This programme's digests that went out (the other programme has its own admin)."""
    return [d for d in sent("admin_digest") if d.programme_id == world.programme.pk]


@pytest.fixture
def admins(world):
    world.admin.time_zone = "Europe/Paris"
    world.admin.save(update_fields=["time_zone"])
    second = UserFactory(email="second-admin@world.example", time_zone="America/New_York")
    ProgrammeRoleFactory(programme=world.programme, user=second, role=ProgrammeRole.Role.ADMIN)
    return world.admin, second


def flagged_pair(world, **flags) -> Pair:
    a = ParticipantFactory(cohort=world.cohort)
    b = ParticipantFactory(cohort=world.cohort)
    pair = make_pair(a, b)
    PairMetric.objects.create(
        pair=pair,
        computed_at=PARIS_8 - 24 * HOUR,
        **{"unconfirmed_items": 0, **flags},
    )
    return pair


def all_four(world) -> dict[str, Pair]:
    return {
        "stalled": flagged_pair(world, stalled=True),
        "lopsided": flagged_pair(world, lopsided=True),
        "one_way": flagged_pair(world, one_way=True),
        "unconfirmed": flagged_pair(world, unconfirmed_items=2),
    }


def test_digest_reaches_each_admin_on_monday_at_8_their_time_once(world, admins):
    paris, new_york = admins
    beat(PARIS_8 - MINUTE)
    assert digests(world) == []
    beat(PARIS_8)
    assert [d.recipient for d in digests(world)] == [paris]
    beat(NEW_YORK_8 - MINUTE)
    assert len(digests(world)) == 1
    for at in (NEW_YORK_8, NEW_YORK_8 + HOUR, NEW_YORK_8 + 20 * HOUR):
        beat(at)
    deliveries = digests(world)
    assert [d.recipient for d in deliveries] == [paris, new_york]
    assert world.hr not in [d.recipient for d in deliveries]  # HR viewers get no digest
    assert "Mon 11 Jan 2027, 08:00 CET to Mon 18 Jan 2027, 08:00 CET" in mail_of(deliveries[0]).body
    assert "Mon 11 Jan 2027, 08:00 EST to Mon 18 Jan 2027, 08:00 EST" in mail_of(deliveries[1]).body


def test_digest_stays_at_8_local_across_a_daylight_saving_change(world, admins):
    """Paris is on CET (UTC+1) on Monday 22 March 2027 and on CEST (UTC+2) a week later."""
    before, after = (
        dt.datetime(2027, 3, 22, 7, 0, tzinfo=UTC),
        dt.datetime(2027, 3, 29, 6, 0, tzinfo=UTC),
    )
    beat(before)
    beat(after - MINUTE)
    beat(after)
    paris = [d for d in digests(world) if d.recipient == admins[0]]
    assert [d.due_at for d in paris] == [before, after]


def test_digest_lists_all_four_flags_pending_invitations_and_sessions_held(world, admins, build):
    pairs = all_four(world)
    invitee = ParticipantFactory(
        cohort=world.cohort,
        user=None,
        email="invitee@example.com",
        first_name="In",
        last_name="Vitee",
        status=Participant.Status.INVITED,
    )
    Invitation.objects.create(
        participant=invitee,
        email=invitee.email,
        cohort=world.cohort,
        sent_at=PARIS_8 - 48 * HOUR,
        expires_at=PARIS_8 + 28 * 24 * HOUR,
    )
    sides = {world.member: SessionRole.MENTOR, world.partner: SessionRole.MENTEE}
    build.session(world.pair, sides, start=PARIS_8 - 3 * 24 * HOUR)  # this week
    build.session(world.pair, sides, start=PARIS_8 - 9 * 24 * HOUR)  # the week before
    beat(PARIS_8)
    digest = digests(world)[0]
    message = mail_of(digest)
    for label in ("Stalled", "Lopsided", "One-way", "Unconfirmed items"):
        assert label in message.body and label in html_of(message)
    for pair in pairs.values():
        names = " & ".join(
            m.participant.display_name for m in pair.members.select_related("participant")
        )
        assert names in message.body
    assert "Sessions held: 1" in message.body
    assert "Invitations pending: 1 waiting for an answer" in message.body
    assert "4 new flags" in digest.subject
    assert digest.link == (
        f"https://mentoring.example/feedback/programmes/{world.programme.slug}/pairs/?flag=any"
    )


def test_the_next_digest_names_only_the_flags_raised_since(world, admins):
    pairs = all_four(world)
    beat(PARIS_8)
    fresh = flagged_pair(world, stalled=True)
    PairMetric.objects.filter(pair=pairs["lopsided"]).update(lopsided=False)
    beat(PARIS_8 + 7 * 24 * HOUR)
    week_two = [d for d in digests(world) if d.recipient == admins[0]][1]
    body = mail_of(week_two).body
    new_names = " & ".join(
        m.participant.display_name for m in fresh.members.select_related("participant")
    )
    old_names = " & ".join(
        m.participant.display_name for m in pairs["stalled"].members.select_related("participant")
    )
    assert new_names in body and old_names not in body
    assert "Stalled (no session within the cadence plus 50 %): 1 new, 2 in all" in body
    assert "1 new flag," in week_two.subject


def test_the_digest_never_shows_reflection_text_ratings_or_notes(world, admins, build):
    all_four(world)
    sides = {world.member: SessionRole.MENTOR, world.partner: SessionRole.MENTEE}
    session = build.session(world.pair, sides, start=PARIS_8 - 2 * 24 * HOUR)
    build.reflect(session, world.member, learned=1, challenged=5, listened=2, power_shared=3)
    beat(PARIS_8)
    message = mail_of(digests(world)[0])
    for text in (message.body, html_of(message), message.subject):
        assert SECRET_TEXT not in text
        assert "learned" not in text.lower()
        assert "/5" not in text and "rating:" not in text.lower()


def _digest_send_queries(world, admins, flagged: int, week: int) -> int:
    for _ in range(flagged):
        flagged_pair(world, stalled=True, lopsided=True, one_way=True, unconfirmed_items=1)
    at = PARIS_8 + week * 7 * 24 * HOUR
    with time_machine.travel(at, tick=False):
        deliveries_plan(now=at)
        Delivery.objects.filter(kind="admin_digest", recipient=admins[0]).exclude(due_at=at).update(
            status=Delivery.Status.SENT
        )
        with CaptureQueriesContext(connection) as queries:
            assert deliveries_send_due(now=at) == 1
    return len(queries)


def test_digest_queries_stay_constant_as_pairs_grow(world, admins, django_assert_max_num_queries):
    few = _digest_send_queries(world, admins, flagged=2, week=0)
    many = _digest_send_queries(world, admins, flagged=40, week=1)
    assert few == many
    for _ in range(40):
        flagged_pair(world, stalled=True)
    at = PARIS_8 + 14 * 24 * HOUR
    with time_machine.travel(at, tick=False):
        deliveries_plan(now=at)
        with django_assert_max_num_queries(few):
            deliveries_send_due(now=at)


def test_a_programme_can_switch_its_digest_off(world, admins):
    ReminderSetting.objects.create(programme=world.programme, kind="admin_digest", enabled=False)
    beat(NEW_YORK_8)
    assert digests(world) == []


def test_reflect_and_ledger_links_open_the_page_for_that_member_only(world, build):
    held_session(world, build)
    recorded(world, build, at=L)
    beat(L + 72 * HOUR)
    reflect = next(d for d in sent("reflect") if d.recipient == world.member.user)
    ledger = sent("ledger_unconfirmed")[0]
    assert ledger.recipient == world.partner.user
    with time_machine.travel(L + 73 * HOUR, tick=False):
        partner = Client()
        partner.force_login(world.partner.user)
        assert world.client_for("member").get(reflect.link).status_code == 200
        assert world.client_for("other_pair_member").get(reflect.link).status_code == 404
        assert partner.get(ledger.link).status_code == 200
        assert world.client_for("other_pair_member").get(ledger.link).status_code == 404


def test_the_digest_link_opens_the_flagged_pairs_for_its_admin_only(world, admins):
    all_four(world)
    beat(PARIS_8)
    digest = digests(world)[0]
    page = world.client_for("admin").get(digest.link)
    assert page.status_code == 200
    assert world.client_for("other_programme_admin").get(digest.link).status_code == 404


def test_a_snoozed_flag_is_left_out_of_the_digest(world, admins):
    from pairing.models import FlagSnooze

    pairs = all_four(world)
    FlagSnooze.objects.create(
        pair=pairs["stalled"],
        flag="stalled",
        until=PARIS_8 + 30 * 24 * HOUR,
        reason="On parental leave",
        created_by=world.admin,
    )
    beat(PARIS_8)
    digest = digests(world)[0]
    body = mail_of(digest).body
    names = " & ".join(
        m.participant.display_name for m in pairs["stalled"].members.select_related("participant")
    )
    assert names not in body and "On parental leave" not in body
    assert "3 new flags" in digest.subject
