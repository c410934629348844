"""Time-zone fields start on the browser's zone (static/js/time-zone-default.js) when the
stored value is the untouched default, and sign-up stores the zone chosen, checked against
the zone list. The script only acts on selects the server marks: these tests check the
marks and what the server stores; tests/browser/test_pair_details_journey.py the script."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from mentoring.forms import ProfileForm, SignupForm
from mentoring.models import User
from programmes.forms.participation import ParticipantProfileForm

pytestmark = pytest.mark.django_db

MARK = 'data-browser-time-zone="UTC"'
SIGNUP = {
    "first_name": "Aiko",
    "last_name": "Tanaka",
    "email": "aiko@example.com",
    "password1": "Reciprocal-2026!",
    "password2": "Reciprocal-2026!",
}


def zone_select(html: str) -> str:
    return re.search(r'<select name="time_zone"[^>]*>', html).group(0)


def test_a_fresh_sign_up_form_marks_its_utc_select_and_loads_the_script():
    page = Client().get(reverse("account_signup")).content.decode()
    assert MARK in zone_select(page)
    assert 'src="/static/js/time-zone-default.js"' in page
    assert MARK not in zone_select(str(SignupForm(data={**SIGNUP, "time_zone": "UTC"})))


def test_sign_up_stores_the_zone_and_refuses_one_not_in_the_list():
    client = Client()
    refused = client.post(reverse("account_signup"), {**SIGNUP, "time_zone": "Mars/Olympus"})
    assert refused.status_code == 200
    assert "Select a valid choice." in refused.content.decode()
    assert MARK not in zone_select(refused.content.decode())  # the choice made stands
    assert not User.objects.filter(email="aiko@example.com").exists()
    client.post(reverse("account_signup"), {**SIGNUP, "time_zone": "Asia/Tokyo"})
    assert User.objects.get(email="aiko@example.com").time_zone == "Asia/Tokyo"


def test_a_sign_up_without_the_field_keeps_the_default():
    Client().post(reverse("account_signup"), SIGNUP)
    assert User.objects.get(email="aiko@example.com").time_zone == "UTC"


def test_the_account_profile_marks_only_an_untouched_default(make_user):
    fresh = make_user(time_zone="UTC")
    chosen = make_user(time_zone="Europe/Paris")
    assert MARK in zone_select(str(ProfileForm(instance=fresh)))
    assert MARK not in zone_select(str(ProfileForm(instance=chosen)))
    client = Client()
    client.force_login(fresh)
    page = client.get(reverse("profile")).content.decode()
    assert MARK in zone_select(page)
    assert 'src="/static/js/time-zone-default.js"' in page
    client.post(
        reverse("profile"),
        {"first_name": "A", "last_name": "B", "time_zone": "UTC", "language": "en"},
    )
    fresh.refresh_from_db()
    assert fresh.time_zone == "UTC"  # a person may choose UTC: the server never overrides it


def test_the_participant_profile_marks_only_an_untouched_default(world):
    member = world.member
    fresh = ParticipantProfileForm(participant=member, initial={"time_zone": "UTC"})
    chosen = ParticipantProfileForm(participant=member, initial={"time_zone": "Asia/Kolkata"})
    assert MARK in zone_select(str(fresh["time_zone"]))
    assert MARK not in zone_select(str(chosen["time_zone"]))
    page = world.client_for("member").get(reverse("programmes:profile", args=[member.pk]))
    html = page.content.decode()
    assert MARK in zone_select(html)
    assert 'src="/static/js/time-zone-default.js"' in html
