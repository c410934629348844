"""Permission matrix of the programme pages added in Step 8: the confirmation pages (open
enrolment, close, remove a role) and the invitations of admins and HR viewers by email.

Same ladder as ``test_permissions.py``: the programme's admins and superusers only; the
HR viewer, outsiders and participants get 404. The accept page of a staff invitation is
public by token and is tested below, like a participant's invitation.
"""

import pytest
from django.urls import reverse

from programmes.models import Programme, ProgrammeRole, StaffInvitation
from tests.permissions import ADMINS_ONLY, check_row
from tests.tokens import token_issue_for

pytestmark = pytest.mark.django_db

REDIRECTS_FOR_ADMINS = {**ADMINS_ONLY, "admin": 302, "superuser": 302}


def _hr_role(world) -> dict:
    return {"role_id": ProgrammeRole.objects.get(programme=world.programme, user=world.hr).pk}


def _staff_invitation(world) -> StaffInvitation:
    return StaffInvitation.objects.create(
        programme=world.programme,
        email="new.hr@world.example",
        role=ProgrammeRole.Role.HR,
        invited_by=world.admin,
    )


GET_ROWS = [
    ("programmes:programme_open_enrolment", lambda w: {"slug": w.programme.slug}, ADMINS_ONLY),
    ("programmes:programme_close", lambda w: {"slug": w.programme.slug}, ADMINS_ONLY),
    # GET is the confirmation page; only its POST removes (test_permissions.py).
    ("programmes:role_revoke", _hr_role, ADMINS_ONLY),
]

POST_ROWS = [
    # Empty POSTs: the forms refuse them (nothing is sent, nothing is closed).
    ("programmes:programme_open_enrolment", lambda w: {"slug": w.programme.slug}, ADMINS_ONLY),
    ("programmes:programme_close", lambda w: {"slug": w.programme.slug}, ADMINS_ONLY),
    (
        "programmes:staff_invitation_resend",
        lambda w: {"invitation_id": _staff_invitation(w).pk},
        REDIRECTS_FOR_ADMINS,
    ),
    (
        "programmes:staff_invitation_revoke",
        lambda w: {"invitation_id": _staff_invitation(w).pk},
        REDIRECTS_FOR_ADMINS,
    ),
]


@pytest.mark.parametrize("row", GET_ROWS, ids=[row[0] for row in GET_ROWS])
def test_get_matrix(world, row):
    assert check_row(world, row) == []


@pytest.mark.parametrize("row", POST_ROWS, ids=[row[0] for row in POST_ROWS])
def test_post_matrix(world, row):
    assert check_row(world, row, method="post") == []
    world.programme.refresh_from_db()
    assert world.programme.status == Programme.Status.RUNNING


def test_the_role_confirmation_page_removes_nothing(world):
    role_id = _hr_role(world)["role_id"]
    url = reverse("programmes:role_revoke", kwargs={"role_id": role_id})
    page = world.client_for("admin").get(url)
    assert "Remove" in page.text and world.hr.display_name in page.text
    assert ProgrammeRole.objects.filter(pk=role_id).exists()


def test_invitation_actions_refuse_get(world):
    invitation = _staff_invitation(world)
    client = world.client_for("admin")
    for name in ("programmes:staff_invitation_resend", "programmes:staff_invitation_revoke"):
        url = reverse(name, kwargs={"invitation_id": invitation.pk})
        assert client.get(url).status_code == 405
    invitation.refresh_from_db()
    assert invitation.is_open


# --- the public accept page -----------------------------------------------------------------
STAFF_INVITATION = "programmes:staff_invitation"


def test_the_accept_page_is_public_by_token(world, client):
    invitation = _staff_invitation(world)
    token = token_issue_for(invitation)
    response = client.get(reverse(STAFF_INVITATION, kwargs={"token": token}))
    assert response.status_code == 200
    assert "World programme" in response.text
    assert "new.hr@world.example" in response.text  # pre-filled for sign-up and sign-in


def test_an_unknown_token_is_404(client, db):
    response = client.get(reverse(STAFF_INVITATION, kwargs={"token": "nope"}))
    assert response.status_code == 404
    assert "does not work" in response.text


def test_someone_else_signed_in_is_refused_without_details(world):
    invitation = _staff_invitation(world)
    token = token_issue_for(invitation)
    url = reverse(STAFF_INVITATION, kwargs={"token": token})
    for actor in ("member", "admin", "hr", "superuser"):
        for method in ("get", "post"):
            response = getattr(world.client_for(actor), method)(url)
            assert response.status_code == 403, (actor, method)
            assert "different email address" in response.text
            assert "new.hr@world.example" not in response.text
    assert not ProgrammeRole.objects.filter(user__email="new.hr@world.example").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_anonymous_post_goes_to_sign_in(world, client):
    token = token_issue_for(_staff_invitation(world))
    response = client.post(reverse(STAFF_INVITATION, kwargs={"token": token}))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
