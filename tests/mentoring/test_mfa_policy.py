import pytest
from django.test import override_settings
from django.urls import reverse

from programmes.models import ProgrammeRole
from tests.factories import ProgrammeFactory, ProgrammeRoleFactory

pytestmark = pytest.mark.django_db


@override_settings(MFA_REQUIRED_FOR_STAFF_ROLES=True)
def test_programme_admin_without_totp_is_sent_to_set_it_up(client, make_user):
    admin = make_user(email="admin@example.com")
    ProgrammeRoleFactory(programme=ProgrammeFactory(), user=admin, role=ProgrammeRole.Role.ADMIN)
    # A real sign-in (not force_login) so allauth counts it as a recent authentication.
    response = client.post(
        reverse("account_login"), {"login": "admin@example.com", "password": "pw-Secret-123"}
    )
    assert response.status_code == 302
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before enrolling; our policy lets that through.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": "pw-Secret-123"})
    assert response.status_code == 302
    # The set-up page is then reachable, showing the secret to enrol.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert "Authenticator" in response.content.decode()


@override_settings(MFA_REQUIRED_FOR_STAFF_ROLES=True)
def test_participant_is_not_forced_into_mfa(client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("home")).status_code == 200


@override_settings(MFA_REQUIRED_FOR_STAFF_ROLES=False)
def test_policy_off_lets_admins_through(client, make_user):
    admin = make_user()
    ProgrammeRoleFactory(programme=ProgrammeFactory(), user=admin, role=ProgrammeRole.Role.HR)
    client.force_login(admin)
    assert client.get(reverse("home")).status_code == 200


def test_mfa_pages_are_available_to_everyone(client, make_user):
    client.force_login(make_user())
    html = client.get(reverse("mfa_index")).content.decode()
    assert "Authenticator App" in html
    assert "Recovery Codes" in html


@pytest.mark.parametrize("flags", [{"is_staff": True}, {"is_staff": True, "is_superuser": True}])
@override_settings(MFA_REQUIRED_FOR_STAFF_ROLES=True)
def test_django_admin_staff_without_totp_are_sent_to_set_it_up(client, make_user, flags):
    """is_staff opens the Django admin, which reaches every programme: it counts as staff."""
    client.force_login(make_user(**flags))
    for url in (reverse("home"), "/django-admin/", "/django-admin/programmes/participant/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp"), url


@override_settings(MFA_REQUIRED_FOR_STAFF_ROLES=True)
def test_django_admin_staff_with_totp_reach_the_admin(client, make_user):
    from allauth.mfa.models import Authenticator

    staff = make_user(is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    assert client.get("/django-admin/").status_code == 200
