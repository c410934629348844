"""Two members eight hours apart see the same session each in their own time zone."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from pairing.models import MentoringSession
from pairing.services.sessions import session_schedule

pytestmark = pytest.mark.django_db

# Mid-January: London is on GMT (UTC+0) and Los Angeles on PST (UTC−8), eight hours apart.
START = dt.datetime(2031, 1, 15, 17, 0, tzinfo=dt.UTC)


@pytest.fixture
def apart(world):
    london, la = world.member.user, world.partner.user
    london.time_zone = "Europe/London"
    la.time_zone = "America/Los_Angeles"
    london.save(update_fields=["time_zone"])
    la.save(update_fields=["time_zone"])
    return world


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def next_session_time(page: str) -> str:
    return re.search(r'data-testid="next-session-time">([^<]+)<', page).group(1)


def test_the_pair_page_shows_the_session_in_each_viewers_zone(apart):
    session_schedule(pair=apart.pair, by=apart.member, scheduled_start=START, planned_minutes=60)
    url = reverse("feedback:pair_detail", args=[apart.pair.pk])
    london_page = client_of(apart.member.user).get(url).content.decode()
    la_page = client_of(apart.partner.user).get(url).content.decode()

    assert next_session_time(london_page) == "Wed 15 Jan 2031, 17:00 GMT"
    assert next_session_time(la_page) == "Wed 15 Jan 2031, 09:00 PST"
    # Each also sees when it is for the partner.
    assert "Wed 15 Jan, 09:00 PST" in london_page
    assert "Wed 15 Jan, 17:00 GMT" in la_page


def test_the_session_page_and_home_card_use_the_viewers_zone(apart):
    session = session_schedule(pair=apart.pair, by=apart.member, scheduled_start=START)
    detail = reverse("feedback:session_detail", args=[session.pk])
    assert "09:00 PST" in client_of(apart.partner.user).get(detail).content.decode()
    assert "17:00 GMT" in client_of(apart.member.user).get(detail).content.decode()
    card = reverse("pairing:home_card")
    assert "Wed 15 Jan, 09:00 PST" in client_of(apart.partner.user).get(card).content.decode()
    assert "Wed 15 Jan, 17:00 GMT" in client_of(apart.member.user).get(card).content.decode()


def test_a_time_typed_in_the_form_is_read_in_the_typists_zone(apart):
    client_of(apart.partner.user).post(
        reverse("pairing:session_schedule", args=[apart.pair.pk]),
        {"scheduled_start": "2031-01-15T09:00", "planned_minutes": 60, "place": ""},
    )
    session = MentoringSession.objects.get(pair=apart.pair)
    assert session.scheduled_start == START  # 09:00 in Los Angeles is 17:00 UTC
    ics = client_of(apart.member.user).get(reverse("pairing:session_ics", args=[session.pk]))
    assert "DTSTART:20310115T170000Z" in ics.content.decode()
