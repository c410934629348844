"""Scheduling refuses the past and offers "log a session that already happened"; the form
shows the slot in both partners' zones and asks to confirm a slot outside 08:00–20:00."""

import datetime as dt
import re
import zoneinfo
from html import unescape

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.services.metrics import pending_marker_key
from pairing.models import MentoringSession, Pair, SessionLogRevision, SessionRole
from pairing.selectors.slots import SlotPerson, slot_local_times, slot_summary
from pairing.services.sessions import (
    PAST_START_CODE,
    session_log,
    session_log_past,
    session_reschedule,
    session_schedule,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
FORM = "%Y-%m-%dT%H:%M"


@pytest.fixture
def ana_and_ben(world):
    """The world's pair as Ana (London, side A, first mentor) and Ben (New York)."""
    for participant, first, zone in (
        (world.member, "Ana", "Europe/London"),
        (world.partner, "Ben", "America/New_York"),
    ):
        participant.first_name = first
        participant.save(update_fields=["first_name"])
        participant.user.first_name = first
        participant.user.time_zone = zone
        participant.user.save(update_fields=["first_name", "time_zone"])
    return world


def partner_client(world) -> Client:
    client = Client()
    client.force_login(world.partner.user)
    return client


def page_text(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.content.decode()))


def schedule_url(world) -> str:
    return reverse("pairing:session_schedule", args=[world.pair.pk])


def log_past_url(world) -> str:
    return reverse("pairing:session_log_past", args=[world.pair.pk])


def london_form_value(when: dt.datetime) -> str:
    return when.astimezone(LONDON).strftime(FORM)


# --- the past is refused ------------------------------------------------------------------------
def test_scheduling_refuses_a_past_time_but_allows_a_few_minutes_of_grace(world):
    a = world.member
    with pytest.raises(ValidationError) as exc:
        session_schedule(
            pair=world.pair, by=a, scheduled_start=timezone.now() - dt.timedelta(minutes=10)
        )
    (error,) = exc.value.error_dict["scheduled_start"]
    assert error.code == PAST_START_CODE
    assert "That time has passed" in error.message
    assert not MentoringSession.objects.filter(pair=world.pair).exists()
    # "Now" is a few minutes wide: a pair sitting down to meet can still schedule it.
    session = session_schedule(
        pair=world.pair, by=a, scheduled_start=timezone.now() - dt.timedelta(minutes=3)
    )
    assert session.status == MentoringSession.Status.SCHEDULED


def test_rescheduling_refuses_a_past_time(world):
    a = world.member
    session = session_schedule(
        pair=world.pair, by=a, scheduled_start=timezone.now() + dt.timedelta(days=2)
    )
    with pytest.raises(ValidationError) as exc:
        session_reschedule(
            session=session,
            by=a,
            scheduled_start=timezone.now() - dt.timedelta(hours=1),
            planned_minutes=60,
        )
    assert "scheduled_start" in exc.value.error_dict
    session.refresh_from_db()
    assert session.scheduled_start > timezone.now()


def test_the_schedule_page_refuses_the_past_next_to_the_field_and_offers_to_log_it(ana_and_ben):
    w = ana_and_ben
    when = (timezone.now() - dt.timedelta(days=1)).astimezone(LONDON).replace(hour=14, minute=0)
    response = w.client_for("member").post(
        schedule_url(w),
        {"scheduled_start": when.strftime(FORM), "planned_minutes": "45", "place": ""},
    )
    assert response.status_code == 200
    assert not MentoringSession.objects.filter(pair=w.pair).exists()
    html = response.content.decode()
    # The message sits in the date field's feedback, and the way out is right below it.
    field_error = html.split('id="id_scheduled_start"', 1)[1].split("</div>", 2)
    assert "That time has passed" in "".join(field_error)
    offer = re.search(r'data-testid="log-past-offer">(.*?)</p>', html, re.S).group(1)
    link = unescape(re.search(r'href="([^"]+)"', offer).group(1))
    assert link == (f"{log_past_url(w)}?start={when.strftime(FORM).replace(':', '%3A')}&minutes=45")
    # The link opens the log form with that date and length filled in.
    page = w.client_for("member").get(link).content.decode()
    assert f'value="{when.strftime(FORM)}"' in page
    assert re.search(r'name="actual_minutes" value="45"', page)


def test_a_reschedule_into_the_past_is_refused_on_the_page(ana_and_ben):
    w = ana_and_ben
    session = session_schedule(
        pair=w.pair, by=w.member, scheduled_start=timezone.now() + dt.timedelta(days=2)
    )
    when = london_form_value(timezone.now() - dt.timedelta(hours=3))
    response = w.client_for("member").post(
        reverse("pairing:session_reschedule", args=[session.pk]),
        {"scheduled_start": when, "planned_minutes": "60", "confirm_out_of_hours": "on"},
    )
    assert response.status_code == 200
    assert "That time has passed" in page_text(response)
    session.refresh_from_db()
    assert session.scheduled_start > timezone.now()


# --- logging a session that already happened ---------------------------------------------------------
def test_logging_a_past_session_creates_it_held_and_it_counts_like_any_log(
    ana_and_ben, django_capture_on_commit_callbacks
):
    w = ana_and_ben
    Pair.objects.filter(pk=w.pair.pk).update(status=Pair.Status.PUBLISHED)
    a, b = w.member, w.partner
    client = partner_client(w)  # Ben logs it
    cache.delete(pending_marker_key(w.pair.pk))
    form = client.get(log_past_url(w)).content.decode()
    # Roles come pre-filled from whose turn it is: Ana (the first mentor) mentors.
    assert re.search(rf'name="role_{a.pk}" value="mentor"[^>]*checked', form)
    assert re.search(rf'name="role_{b.pk}" value="mentee"[^>]*checked', form)
    met = (
        (timezone.now() - dt.timedelta(days=2))
        .astimezone(NEW_YORK)
        .replace(hour=11, minute=30, second=0, microsecond=0)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            log_past_url(w),
            {
                "scheduled_start": met.strftime(FORM),  # Ben types New York time
                "actual_minutes": "50",
                f"role_{a.pk}": "mentor",
                f"role_{b.pk}": "mentee",
                "topics": ["career"],
                "shared_notes": "Coffee before the offsite.",
                "private_note": "Ben's own thought",
            },
        )
    session = MentoringSession.objects.get(pair=w.pair)
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("feedback:reflection", args=[session.pk])
    assert session.status == MentoringSession.Status.HELD
    assert session.scheduled_start == met
    assert (session.actual_minutes, session.planned_minutes) == (50, 50)
    assert (session.logged_by, session.created_by) == (b, b)
    roles = dict(session.participations.values_list("participant_id", "role"))
    assert roles == {a.pk: SessionRole.MENTOR, b.pk: SessionRole.MENTEE}
    w.pair.refresh_from_db()
    assert w.pair.status == Pair.Status.ACTIVE  # the first held session, as for any log
    assert cache.get(pending_marker_key(w.pair.pk)) is not None  # metrics refresh queued
    # The turn moved on: Ben mentors next.
    pair_page = w.client_for("member").get(reverse("feedback:pair_detail", args=[w.pair.pk]))
    assert 'data-testid="turn-headline">Ben mentors<' in pair_page.content.decode()
    # It is an ordinary log: editable, with its history kept.
    session_log(
        session=session,
        by=a,
        status=MentoringSession.Status.HELD,
        actual_minutes=55,
        roles={a.pk: SessionRole.MENTOR, b.pk: SessionRole.MENTEE},
    )
    assert SessionLogRevision.objects.get(session=session).snapshot["actual_minutes"] == 50


def test_a_past_session_is_not_in_the_future_and_a_refused_log_leaves_nothing(world):
    a, b = world.member, world.partner
    roles = {a.pk: SessionRole.MENTOR, b.pk: SessionRole.MENTEE}
    with pytest.raises(ValidationError) as exc:
        session_log_past(
            pair=world.pair,
            by=a,
            scheduled_start=timezone.now() + dt.timedelta(hours=1),
            actual_minutes=60,
            roles=roles,
        )
    assert "still to come" in exc.value.error_dict["scheduled_start"][0].message
    with pytest.raises(ValidationError) as exc:
        session_log_past(
            pair=world.pair,
            by=a,
            scheduled_start=timezone.now() - dt.timedelta(days=1),
            actual_minutes=60,
            roles={a.pk: SessionRole.MENTEE, b.pk: SessionRole.MENTEE},  # nobody mentored
        )
    assert "roles" in exc.value.error_dict
    assert not MentoringSession.objects.filter(pair=world.pair).exists()


def test_the_log_past_page_shows_its_errors_next_to_the_fields(world):
    response = world.client_for("member").post(
        log_past_url(world),
        {"scheduled_start": london_form_value(timezone.now() + dt.timedelta(days=1))},
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "That time is still to come: schedule the session instead." not in text  # form first
    assert "How long did you meet?" in text
    assert f"Which role did {world.partner.first_name} play?" in text
    assert not MentoringSession.objects.filter(pair=world.pair).exists()


def test_an_ended_pair_cannot_log_a_past_session(world):
    Pair.objects.filter(pk=world.pair.pk).update(status=Pair.Status.ENDED_EARLY)
    response = world.client_for("member").get(log_past_url(world), follow=True)
    assert response.redirect_chain[-1][0] == reverse("feedback:pair_detail", args=[world.pair.pk])
    assert "no more sessions can be logged" in page_text(response)


def test_the_pair_page_and_the_schedule_form_offer_the_log_past_path(world):
    client = world.client_for("member")
    pair_page = client.get(reverse("feedback:pair_detail", args=[world.pair.pk])).content.decode()
    assert f'href="{log_past_url(world)}" data-testid="log-past-session"' in pair_page
    form = client.get(schedule_url(world)).content.decode()
    assert f'href="{log_past_url(world)}">Log a session that already happened' in form


# --- both partners' local times -----------------------------------------------------------------------
ANA_BEN = [
    SlotPerson(name="you", zone="Europe/London", is_me=True),
    SlotPerson(name="Ben", zone="America/New_York", is_me=False),
]


def london(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def test_the_summary_names_both_local_times_and_who_it_is_out_of_hours_for():
    slots = slot_local_times(start=london(2030, 12, 3, 9, 0), minutes=60, people=ANA_BEN)
    assert slot_summary(slots) == (
        "Tue 3 Dec 09:00 for you (Europe/London) · 04:00 for Ben (America/New_York)"
        " — outside 08:00–20:00 for Ben"
    )
    slots = slot_local_times(start=london(2030, 12, 3, 15, 0), minutes=60, people=ANA_BEN)
    assert slot_summary(slots) == (
        "Tue 3 Dec 15:00 for you (Europe/London) · 10:00 for Ben (America/New_York)"
    )
    # The end counts too: 19:30 for an hour runs past 20:00 for Ana.
    slots = slot_local_times(start=london(2030, 12, 3, 19, 30), minutes=60, people=ANA_BEN)
    assert slot_summary(slots).endswith("— outside 08:00–20:00 for you")
    # A partner on another day is given the day.
    tokyo = [ANA_BEN[0], SlotPerson(name="Aiko", zone="Asia/Tokyo", is_me=False)]
    slots = slot_local_times(start=london(2030, 12, 3, 18, 0), minutes=30, people=tokyo)
    assert slot_summary(slots) == (
        "Tue 3 Dec 18:00 for you (Europe/London) · Wed 4 Dec 03:00 for Aiko (Asia/Tokyo)"
        " — outside 08:00–20:00 for Aiko"
    )


@pytest.mark.parametrize(
    ("day", "ben_sees", "out_of_hours"),
    [
        # Before both changes: GMT and EST, five hours apart.
        (dt.date(2030, 3, 5), "07:30", True),
        # New York moved its clocks on 10 March, London only on 31 March: four hours apart.
        (dt.date(2030, 3, 20), "08:30", False),
        # After both: BST and EDT, five hours apart again.
        (dt.date(2030, 4, 3), "07:30", True),
        # In autumn London goes back on 27 October, New York on 3 November.
        (dt.date(2030, 10, 23), "07:30", True),
        (dt.date(2030, 10, 30), "08:30", False),
        (dt.date(2030, 11, 6), "07:30", True),
    ],
)
def test_local_times_follow_each_side_of_the_dst_changes(day, ben_sees, out_of_hours):
    start = london(day.year, day.month, day.day, 12, 30)
    slots = slot_local_times(start=start, minutes=60, people=ANA_BEN)
    assert slots[1].start.strftime("%H:%M") == ben_sees
    assert ("outside 08:00–20:00 for Ben" in slot_summary(slots)) is out_of_hours


def test_an_out_of_hours_slot_needs_the_tick_and_an_in_hours_slot_does_not(ana_and_ben):
    w = ana_and_ben
    client = w.client_for("member")
    early = "2030-12-03T09:00"  # 04:00 for Ben
    refused = client.post(schedule_url(w), {"scheduled_start": early, "planned_minutes": "60"})
    assert refused.status_code == 200
    text = page_text(refused)
    assert (
        "Tue 3 Dec 09:00 for you (Europe/London) · 04:00 for Ben (America/New_York)"
        " — outside 08:00–20:00 for Ben"
    ) in text
    assert "This time is outside 08:00–20:00 for Ben. Tick the box to schedule it anyway" in text
    # The tick is shown (not hidden) when the server asks for it.
    assert re.search(r"<div data-out-of-hours-confirm>", refused.content.decode())
    assert not MentoringSession.objects.filter(pair=w.pair).exists()

    confirmed = client.post(
        schedule_url(w),
        {"scheduled_start": early, "planned_minutes": "60", "confirm_out_of_hours": "on"},
    )
    assert confirmed.status_code == 302
    session = MentoringSession.objects.get(pair=w.pair)
    assert session.scheduled_start == london(2030, 12, 3, 9, 0)

    in_hours = client.post(
        schedule_url(w), {"scheduled_start": "2030-12-04T15:00", "planned_minutes": "60"}
    )
    assert in_hours.status_code == 302
    assert MentoringSession.objects.filter(pair=w.pair).count() == 2


def test_ben_sees_the_slot_from_his_side(ana_and_ben):
    w = ana_and_ben
    response = partner_client(w).post(
        schedule_url(w), {"scheduled_start": "2030-12-03T04:00", "planned_minutes": "60"}
    )
    assert (
        "Tue 3 Dec 04:00 for you (America/New_York) · 09:00 for Ana (Europe/London)"
        " — outside 08:00–20:00 for you"
    ) in page_text(response)


def test_the_reschedule_form_previews_the_current_slot_and_passes_the_zones_to_the_script(
    ana_and_ben,
):
    w = ana_and_ben
    with time_machine.travel(london(2030, 11, 1, 9, 0), tick=False):
        session = session_schedule(
            pair=w.pair, by=w.member, scheduled_start=london(2030, 12, 3, 16, 0)
        )
        page = w.client_for("member").get(reverse("pairing:session_reschedule", args=[session.pk]))
    text = page_text(page)
    assert "Tue 3 Dec 16:00 for you (Europe/London) · 11:00 for Ben (America/New_York)" in text
    data = re.search(
        r'<script id="slot-people" type="application/json">(.*?)</script>', text
    ).group(1)
    assert '"zone": "Europe/London"' in data and '"zone": "America/New_York"' in data
    assert "<div data-out-of-hours-confirm hidden>" in page.content.decode()


def test_the_same_meeting_cannot_be_logged_twice(world):
    """Both partners may log the coffee they had: the second log of it is refused."""
    a, b = world.member, world.partner
    roles = {a.pk: SessionRole.MENTOR, b.pk: SessionRole.MENTEE}
    met = timezone.now().replace(microsecond=0) - dt.timedelta(days=1)
    session_log_past(pair=world.pair, by=a, scheduled_start=met, actual_minutes=60, roles=roles)
    with pytest.raises(ValidationError) as exc:
        session_log_past(
            pair=world.pair,
            by=b,
            scheduled_start=met + dt.timedelta(minutes=30),
            actual_minutes=45,
            roles=roles,
        )
    assert "You already have a session on" in exc.value.error_dict["scheduled_start"][0].message
    # Later the same day is another meeting.
    session_log_past(
        pair=world.pair,
        by=b,
        scheduled_start=met + dt.timedelta(hours=2),
        actual_minutes=30,
        roles=roles,
    )
    assert MentoringSession.objects.filter(pair=world.pair, status="held").count() == 2
