"""Sessions: schedule, reschedule, cancel, log (and its 14-day edit window), calendars."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.services.metrics import pending_marker_key
from pairing.models import (
    CalendarFeed,
    MentoringSession,
    Pair,
    PrivateNote,
    SessionLogRevision,
    SessionParticipation,
    SessionRole,
)
from pairing.services.calendar import _fold
from pairing.services.sessions import (
    calendar_feed_create,
    session_cancel,
    session_log,
    session_reschedule,
    session_schedule,
)
from programmes.models import Programme
from tests.factories import CohortFactory, ParticipantFactory, ProgrammeFactory, make_pair

pytestmark = pytest.mark.django_db

MENTOR, MENTEE = SessionRole.MENTOR, SessionRole.MENTEE


def past(days: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def future(days: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def hold(session, by, mentor, mentee, **extra):
    return session_log(
        session=session,
        by=by,
        status=MentoringSession.Status.HELD,
        actual_minutes=extra.pop("actual_minutes", 60),
        roles={mentor.pk: MENTOR, mentee.pk: MENTEE},
        **extra,
    )


@pytest.fixture
def published(world):
    world.pair.status = Pair.Status.PUBLISHED
    world.pair.save(update_fields=["status"])
    return world


# --- scheduling and the planned mentor ---------------------------------------------------
def test_scheduled_sessions_alternate_the_planned_mentor(world):
    a, b = world.member, world.partner
    first = session_schedule(pair=world.pair, by=a, scheduled_start=future(3))
    second = session_schedule(pair=world.pair, by=b, scheduled_start=future(10), place="Café")
    assert first.planned_mentor == a  # the first mentor set at publication
    assert second.planned_mentor == b
    # Moving the second before the first swaps their planned mentors.
    session_reschedule(
        session=second, by=b, scheduled_start=future(1), planned_minutes=30, place="Café"
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.planned_mentor, first.planned_mentor) == (a, b)
    assert second.planned_minutes == 30


def test_a_cancelled_session_does_not_pass_the_turn(world):
    a, b = world.member, world.partner
    s1 = session_schedule(pair=world.pair, by=a, scheduled_start=future(1))
    s2 = session_schedule(pair=world.pair, by=a, scheduled_start=future(8))
    with pytest.raises(ValidationError):
        session_cancel(session=s1, by=b, reason="  ")
    session_cancel(session=s1, by=b, reason="Travelling")
    s1.refresh_from_db()
    s2.refresh_from_db()
    assert s1.status == MentoringSession.Status.CANCELLED
    assert s1.cancel_reason == "Travelling"
    assert s2.planned_mentor == a  # still A's turn


def test_held_sessions_pass_the_turn_and_activate_a_published_pair(published):
    w = published
    a, b = w.member, w.partner
    s1 = session_schedule(pair=w.pair, by=a, scheduled_start=past(1), now=past(2))
    s2 = session_schedule(pair=w.pair, by=a, scheduled_start=future(7))
    assert s2.planned_mentor == b  # planned as if s1 is held
    hold(s1, a, a, b)
    w.pair.refresh_from_db()
    assert w.pair.status == Pair.Status.ACTIVE
    s2.refresh_from_db()
    assert s2.planned_mentor == b
    roles = dict(
        SessionParticipation.objects.filter(session=s1).values_list("participant_id", "role")
    )
    assert roles == {a.pk: MENTOR, b.pk: MENTEE}


def test_in_split_and_fluid_programmes_nobody_is_planned_to_mentor(world):
    world.programme.alternation = Programme.Alternation.SPLIT
    world.programme.save(update_fields=["alternation"])
    session = session_schedule(pair=world.pair, by=world.member, scheduled_start=future(2))
    assert session.planned_mentor is None


def test_an_ended_pair_cannot_schedule(world):
    world.pair.status = Pair.Status.ENDED_EARLY
    world.pair.save(update_fields=["status"])
    with pytest.raises(ValidationError):
        session_schedule(pair=world.pair, by=world.member, scheduled_start=future(2))


# --- logging -----------------------------------------------------------------------------
def test_a_session_cannot_be_logged_as_held_before_it_starts(world):
    session = session_schedule(pair=world.pair, by=world.member, scheduled_start=future(1))
    with pytest.raises(ValidationError) as exc:
        hold(session, world.member, world.member, world.partner)
    assert "status" in exc.value.error_dict


def test_a_held_log_needs_minutes_and_a_role_for_each_side(world):
    a, b = world.member, world.partner
    session = session_schedule(pair=world.pair, by=a, scheduled_start=past(1), now=past(2))
    with pytest.raises(ValidationError) as exc:
        session_log(session=session, by=a, status="held", actual_minutes=None, roles={a.pk: MENTOR})
    assert {"actual_minutes", "roles"} <= set(exc.value.error_dict)
    with pytest.raises(ValidationError) as exc:
        session_log(
            session=session,
            by=a,
            status="held",
            actual_minutes=30,
            roles={a.pk: MENTEE, b.pk: MENTEE},
        )
    assert "roles" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        hold(session, a, a, b, topics=["astrology"])
    assert "topics" in exc.value.error_dict


def test_fluid_programmes_record_who_led_each_topic(world):
    world.programme.alternation = Programme.Alternation.FLUID
    world.programme.save(update_fields=["alternation"])
    a, b = world.member, world.partner
    session = session_schedule(pair=world.pair, by=a, scheduled_start=past(1), now=past(2))
    session_log(
        session=session,
        by=b,
        status="held",
        actual_minutes=40,
        roles={a.pk: SessionRole.BOTH, b.pk: SessionRole.BOTH},
        topics=["technical", "network"],
        topic_leads={"technical": a.pk, "network": b.pk},
    )
    session.refresh_from_db()
    assert session.topic_leads == {"technical": a.pk, "network": b.pk}
    response = world.client_for("member").get(reverse("feedback:session_detail", args=[session.pk]))
    assert "Technical skills (you)" in response.content.decode()


def test_editing_a_log_keeps_history_and_closes_after_14_days(world):
    a, b = world.member, world.partner
    session = session_schedule(pair=world.pair, by=a, scheduled_start=past(1), now=past(2))
    hold(session, a, a, b, shared_notes="First version", actual_minutes=45)
    assert not SessionLogRevision.objects.filter(session=session).exists()
    with time_machine.travel(timezone.now() + dt.timedelta(days=13)):
        hold(session, b, a, b, shared_notes="Second version", actual_minutes=50)
    revision = SessionLogRevision.objects.get(session=session)
    assert revision.edited_by == b
    assert revision.snapshot["shared_notes"] == "First version"
    assert revision.snapshot["actual_minutes"] == 45
    assert revision.snapshot["roles"] == {str(a.pk): MENTOR, str(b.pk): MENTEE}
    # The window runs from the latest log: 14 days after the edit it closes.
    with time_machine.travel(timezone.now() + dt.timedelta(days=13 + 15)):
        with pytest.raises(ValidationError):
            hold(session, a, a, b, shared_notes="Too late")
        client = world.client_for("member")
        url = reverse("pairing:session_log", args=[session.pk])
        page = client.get(url).content.decode()
        assert "can be edited for 14 days, so it is now read-only" in page
        assert 'data-testid="log-form"' not in page
        client.post(url, {"status": "held", "actual_minutes": 5, "shared_notes": "Too late"})
    session.refresh_from_db()
    assert session.shared_notes == "Second version"


def test_the_log_page_saves_roles_and_my_private_note_and_leads_to_the_reflection(world):
    a, b = world.member, world.partner
    session = session_schedule(pair=world.pair, by=a, scheduled_start=past(1), now=past(2))
    response = world.client_for("member").post(
        reverse("pairing:session_log", args=[session.pk]),
        {
            "status": "held",
            "actual_minutes": "50",
            f"role_{a.pk}": "mentor",
            f"role_{b.pk}": "mentee",
            "topics": ["career", "confidence"],
            "shared_notes": "Agreed next steps.",
            "private_note": "I talked too much.",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("feedback:reflection", args=[session.pk])
    session.refresh_from_db()
    assert session.status == "held" and session.actual_minutes == 50
    assert session.topics == ["career", "confidence"]
    assert session.logged_by == a
    assert PrivateNote.objects.get(session=session, author=a).text == "I talked too much."


def test_the_log_page_shows_missing_roles_next_to_the_field(world):
    session = session_schedule(
        pair=world.pair, by=world.member, scheduled_start=past(1), now=past(2)
    )
    response = world.client_for("member").post(
        reverse("pairing:session_log", args=[session.pk]),
        {"status": "held", "actual_minutes": "50"},
    )
    assert response.status_code == 200
    assert f"Which role did {world.partner.first_name} play?" in response.content.decode()


def test_the_partner_keeps_their_own_private_note_on_the_same_session(world):
    a, b = world.member, world.partner
    session = session_schedule(pair=world.pair, by=a, scheduled_start=past(1), now=past(2))
    hold(session, a, a, b, private_note="Note of A")
    partner = Client()
    partner.force_login(b.user)
    partner.post(reverse("pairing:session_private_note", args=[session.pk]), {"text": "Note of B"})
    notes = dict(PrivateNote.objects.filter(session=session).values_list("author_id", "text"))
    assert notes == {a.pk: "Note of A", b.pk: "Note of B"}
    page = partner.get(reverse("feedback:session_detail", args=[session.pk])).content.decode()
    assert "Note of B" in page and "Note of A" not in page
    # Emptying it deletes it.
    partner.post(reverse("pairing:session_private_note", args=[session.pk]), {"text": ""})
    assert not PrivateNote.objects.filter(session=session, author=b).exists()


def test_cancelling_on_the_page_needs_a_reason(world):
    session = session_schedule(pair=world.pair, by=world.member, scheduled_start=future(2))
    client = world.client_for("member")
    url = reverse("pairing:session_cancel", args=[session.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    response = client.post(url, {"reason": "Sick"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == "cancelled"


@pytest.mark.parametrize(
    ("page", "done"),
    [("pairing:session_reschedule", "rescheduled"), ("pairing:session_cancel", "cancelled")],
)
def test_a_held_session_or_an_ended_pair_cannot_be_moved_and_the_page_says_why(world, page, done):
    """Reschedule and cancel share one guard: a scheduled session of a live pair only."""
    a, b = world.member, world.partner
    held = session_schedule(pair=world.pair, by=a, scheduled_start=past(1), now=past(2))
    hold(held, a, a, b)
    upcoming = session_schedule(pair=world.pair, by=a, scheduled_start=future(2))
    client = world.client_for("member")
    why = f"Only a scheduled session of a live pair can be {done}."

    response = client.post(reverse(page, args=[held.pk]), {"reason": "Sick"}, follow=True)
    assert response.redirect_chain == [(reverse("feedback:session_detail", args=[held.pk]), 302)]
    assert why in response.content.decode()
    held.refresh_from_db()
    assert held.status == MentoringSession.Status.HELD

    assert client.get(reverse(page, args=[upcoming.pk])).status_code == 200
    Pair.objects.filter(pk=world.pair.pk).update(status=Pair.Status.ENDED_EARLY)
    response = client.get(reverse(page, args=[upcoming.pk]), follow=True)
    assert response.redirect_chain == [
        (reverse("feedback:session_detail", args=[upcoming.pk]), 302)
    ]
    assert why in response.content.decode()


def test_my_pair_is_the_current_tab_on_every_page_of_the_pairs_workspace(world):
    """The pair page and the session pages are feedback's now, at the same addresses: the
    navbar still marks "My pair" as where the member is."""
    session = session_schedule(pair=world.pair, by=world.member, scheduled_start=future(2))
    client = world.client_for("member")
    for url in (
        reverse("feedback:pair_detail", args=[world.pair.pk]),
        reverse("feedback:session_list", args=[world.pair.pk]),
        reverse("feedback:session_detail", args=[session.pk]),
        reverse("pairing:session_schedule", args=[world.pair.pk]),
    ):
        html = client.get(url).content.decode()
        tab = html[: html.index('data-testid="nav-my-pair"')].rsplit("<a ", 1)[1]
        assert 'aria-current="page"' in tab, url


def test_logging_schedules_a_metrics_refresh(world, django_capture_on_commit_callbacks):
    cache.delete(pending_marker_key(world.pair.pk))
    session = session_schedule(
        pair=world.pair, by=world.member, scheduled_start=past(1), now=past(2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        hold(session, world.member, world.member, world.partner)
    assert cache.get(pending_marker_key(world.pair.pk)) is not None


# --- calendars ---------------------------------------------------------------------------
def test_the_ics_file_has_utc_times_summary_and_place(world):
    world.member.user.time_zone = "Asia/Tokyo"
    world.member.user.save(update_fields=["time_zone"])
    start = dt.datetime(2031, 3, 4, 9, 30, tzinfo=dt.UTC)
    session = session_schedule(
        pair=world.pair,
        by=world.member,
        scheduled_start=start,
        planned_minutes=45,
        place="https://video.example/room-1",
    )
    response = world.client_for("member").get(reverse("pairing:session_ics", args=[session.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    unfolded = body.replace("\r\n ", "")
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert f"UID:session-{session.pk}@" in unfolded
    assert "DTSTART:20310304T093000Z" in unfolded  # UTC whatever the viewer's zone
    assert "DTEND:20310304T101500Z" in unfolded
    a, b = world.member.display_name, world.partner.display_name
    assert f"SUMMARY:Mentoring session: {a} ↔ {b} (mentor: {a})" in unfolded
    assert "LOCATION:https://video.example/room-1" in unfolded
    assert "URL:https://video.example/room-1" in unfolded
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_a_place_cannot_inject_calendar_properties(world):
    session = session_schedule(
        pair=world.pair,
        by=world.member,
        scheduled_start=future(2),
        place="https://video.example/x\r\nATTENDEE:mailto:spy@example.com\rX",
    )
    body = calendar_text_of(world, session)
    lines = body.replace("\r\n ", "").split("\r\n")
    assert not any(line.startswith("ATTENDEE") for line in lines)
    assert f"URL:http://testserver/pairing/sessions/{session.pk}/" in lines


def calendar_text_of(world, session) -> str:
    url = reverse("pairing:session_ics", args=[session.pk])
    return world.client_for("member").get(url).content.decode()


def test_long_lines_fold_without_splitting_a_character():
    line = "SUMMARY:" + "↔" * 60
    folded = _fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_the_feed_lists_my_sessions_across_pairs_and_marks_cancelled_ones(world):
    a = world.member
    upcoming = session_schedule(pair=world.pair, by=a, scheduled_start=future(2))
    cancelled = session_schedule(pair=world.pair, by=a, scheduled_start=future(4))
    session_cancel(session=cancelled, by=a, reason="Clash")
    # The same user in a second pair of another programme.
    other_cohort = CohortFactory(programme=ProgrammeFactory())
    me_again = ParticipantFactory(cohort=other_cohort, user=a.user)
    other_pair = make_pair(me_again, ParticipantFactory(cohort=other_cohort))
    elsewhere = session_schedule(pair=other_pair, by=me_again, scheduled_start=future(3))
    feed = calendar_feed_create(user=a.user)
    body = Client().get(reverse("pairing:calendar_feed", args=[feed.token])).content.decode()
    uids = re.findall(r"UID:session-(\d+)@", body)
    assert sorted(map(int, uids)) == sorted([upcoming.pk, cancelled.pk, elsewhere.pk])
    cancelled_block = body.split(f"UID:session-{cancelled.pk}@")[1].split("END:VEVENT")[0]
    assert "STATUS:CANCELLED" in cancelled_block


def _shown_feed_url(html: str) -> str:
    """The feed URL in the page's read-only field (only there right after creation)."""
    match = re.search(r'value="(http[^"]+\.ics)"[^>]*data-testid="feed-url"', html)
    assert match, "the page shows no feed URL"
    return match.group(1).removeprefix("http://testserver")


def test_the_feed_page_shows_a_new_url_once_then_only_says_one_exists(world):
    client = world.client_for("member")
    settings_url = reverse("pairing:calendar_settings")
    assert "Create my secret address" in client.get(settings_url).content.decode()
    created = client.post(settings_url)
    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]  # the URL stays out of browser caches
    html = created.content.decode()
    assert "shown only this once" in html
    feed_url = _shown_feed_url(html)
    token = feed_url.removeprefix("/pairing/calendar/").removesuffix(".ics")
    assert Client().get(feed_url).status_code == 200
    # The table keeps a hash only: the token is nowhere in the row.
    feed = CalendarFeed.objects.get(user=world.member.user, revoked_at__isnull=True)
    assert token not in feed.token_hash and len(feed.token_hash) == 64
    # A later visit says a URL exists and offers to replace or revoke it, without showing it.
    later = client.get(settings_url).content.decode()
    assert token not in later
    assert 'data-testid="feed-exists"' in later and "Replace or revoke" in later
    assert "Create my secret address" not in later
    # Revoking asks first, then the URL stops working.
    assert "Revoke it" in client.get(reverse("pairing:calendar_revoke")).content.decode()
    client.post(reverse("pairing:calendar_revoke"))
    assert Client().get(feed_url).status_code == 404
    # "Revoke and replace" shows a new, working URL, once; the previous one stops working.
    second_url = _shown_feed_url(client.post(settings_url).content.decode())
    replaced = client.post(reverse("pairing:calendar_revoke"), {"replace": "1"})
    assert "no-store" in replaced["Cache-Control"]
    third_url = _shown_feed_url(replaced.content.decode())
    assert len({feed_url, second_url, third_url}) == 3
    assert Client().get(second_url).status_code == 404
    assert Client().get(third_url).status_code == 200
    assert CalendarFeed.objects.filter(user=world.member.user, revoked_at__isnull=True).count() == 1


def test_the_feed_response_is_private_and_never_stored_by_a_cache(world):
    feed = calendar_feed_create(user=world.member.user)
    response = Client().get(reverse("pairing:calendar_feed", args=[feed.token]))
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control


# --- the pair page ---------------------------------------------------------------------------
def _pair_with_sessions(count: int):
    programme = ProgrammeFactory()
    cohort = CohortFactory(programme=programme)
    a, b = ParticipantFactory(cohort=cohort), ParticipantFactory(cohort=cohort)
    pair = make_pair(a, b)
    for i in range(count):
        session = session_schedule(
            pair=pair, by=a, scheduled_start=past(100 - i), now=past(101 - i)
        )
        session.refresh_from_db()
        mentor = session.planned_mentor
        hold(session, a, mentor, b if mentor == a else a, private_note=f"note {i}")
    session_schedule(pair=pair, by=a, scheduled_start=future(5))
    client = Client()
    client.force_login(a.user)
    return pair, client


def test_the_pair_page_runs_a_constant_number_of_queries(django_assert_max_num_queries):
    small_pair, small_client = _pair_with_sessions(2)
    large_pair, large_client = _pair_with_sessions(10)
    small_url = reverse("feedback:pair_detail", args=[small_pair.pk])
    large_url = reverse("feedback:pair_detail", args=[large_pair.pk])
    small_client.get(small_url)  # warm-up: sessions, caches
    large_client.get(large_url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert small_client.get(small_url).status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = large_client.get(large_url)
    assert response.status_code == 200
    assert response.content.decode().count('class="turn ') == 10
