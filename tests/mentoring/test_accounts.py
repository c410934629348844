import pytest
from django.urls import reverse

from mentoring.models import User

pytestmark = pytest.mark.django_db


def test_email_is_the_login_and_is_normalised():
    user = User.objects.create_user(email="Ana.Silva@Example.COM", password="x-Secret-123")
    assert user.email == "ana.silva@example.com"
    assert User.USERNAME_FIELD == "email"
    assert not hasattr(user, "username") or user.username is None


def test_repeated_wrong_passwords_hit_the_rate_limit_without_crashing(client, make_user):
    make_user(email="ana@example.com", password="right-Secret-123")
    url = reverse("account_login")
    statuses = []
    for _ in range(7):
        response = client.post(url, {"login": "ana@example.com", "password": "wrong-password"})
        statuses.append(response.status_code)
    assert 500 not in statuses
    # allauth: 5 failures per account per 5 minutes, then the form refuses further attempts.
    last = response.content.decode()
    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in last
    # The right password is refused too while the limit holds: no brute force past it.
    response = client.post(url, {"login": "ana@example.com", "password": "right-Secret-123"})
    assert "_auth_user_id" not in client.session


def test_profile_updates_name_time_zone_and_language(client, make_user):
    user = make_user(email="ben@example.com")
    client.force_login(user)
    response = client.post(
        reverse("profile"),
        {"first_name": "Ben", "last_name": "Carter", "time_zone": "Asia/Tokyo", "language": "fr"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.time_zone, user.language) == ("Ben", "Asia/Tokyo", "fr")


def test_profile_rejects_an_unknown_time_zone_next_to_the_field(client, make_user):
    user = make_user()
    client.force_login(user)
    response = client.post(
        reverse("profile"),
        {"first_name": "B", "last_name": "C", "time_zone": "Mars/Olympus", "language": "en"},
    )
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    user.refresh_from_db()
    assert user.time_zone == "UTC"


def test_profile_requires_sign_in(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_dates_render_in_the_viewers_time_zone(client, make_user):
    user = make_user(time_zone="Asia/Tokyo")
    client.force_login(user)
    response = client.get(reverse("home"))
    assert "Asia/Tokyo" in response.content.decode()


def test_allauth_pages_use_our_layout(client):
    for name in ("account_login", "account_signup", "account_reset_password"):
        html = client.get(reverse(name)).content.decode()
        assert "Skip to main content" in html
        assert "form-control" in html


def test_hr_viewers_home_explains_what_they_will_see(client, make_user):
    from programmes.models import ProgrammeRole
    from tests.factories import ProgrammeFactory, ProgrammeRoleFactory

    hr = make_user()
    ProgrammeRoleFactory(programme=ProgrammeFactory(), user=hr, role=ProgrammeRole.Role.HR)
    client.force_login(hr)
    html = client.get(reverse("home")).content.decode()
    assert "Outcome dashboards" in html
    assert "groups smaller than 5 hidden" in html
