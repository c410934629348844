"""Permission matrix of every programmes URL (STYLE.md: the ladder, one row per URL).

Programme pages are for that programme's admins (and superusers); HR viewers see no
individual data here (404, as for outsiders). A participant's own pages are theirs
alone: everyone else, superusers included, gets 404. The invitation page is public by
token and is tested separately below.
"""

import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from programmes.models import Invitation, ProgrammeRole
from tests.factories import ParticipantFactory, UserFactory
from tests.permissions import ADMINS_ONLY, check_row
from tests.tokens import invitation_token_issue

pytestmark = pytest.mark.django_db

# Lists and creation: any programme admin (each sees only their own programmes).
ANY_PROGRAMME_ADMIN = {**ADMINS_ONLY, "other_programme_admin": 200}
OWN_PARTICIPATION = {
    "anonymous": 302,
    "member": 200,
    "other_pair_member": 404,
    "other_programme_admin": 404,
    "admin": 404,
    "hr": 404,
    "superuser": 404,
}
EVERYONE_SIGNED_IN = {actor: 200 for actor in OWN_PARTICIPATION} | {"anonymous": 302}
REDIRECTS_FOR_ADMINS = {**ADMINS_ONLY, "admin": 302, "superuser": 302}


def _upload(world) -> dict:
    import_id = uuid.uuid4()
    default_storage.save(
        f"imports/{world.cohort.pk}/{import_id}.csv",
        ContentFile(b"email,first_name\nnew.person@world.example,New\n"),
    )
    return {"cohort_id": world.cohort.pk, "import_id": import_id}


def _invited(world):
    participant = ParticipantFactory(
        cohort=world.cohort,
        user=None,
        email="invitee@world.example",
        first_name="Ivy",
        last_name="Invitee",
        status="invited",
        charter_accepted_at=None,
    )
    Invitation.objects.create(participant=participant, email=participant.email, cohort=world.cohort)
    return participant


# Self-nomination: the sign-up page is public (the link is the way in), the rest is admins'.
PUBLIC = {actor: 200 for actor in OWN_PARTICIPATION}


def _application(world):
    from programmes.models import Application

    return Application.objects.create(
        programme=world.programme,
        cohort=world.cohort,
        user=UserFactory(email="applicant@world.example"),
        first_name="Apple",
        last_name="Cant",
        department="Sales",
        job_title="Seller",
        location="Paris",
        motivation="To learn.",
    )


def _sign_up_link(world):
    from programmes.models import NominationLink

    return NominationLink.objects.create(programme=world.programme, cohort=world.cohort)


GET_ROWS = [
    ("programmes:programme_list", lambda w: {}, ANY_PROGRAMME_ADMIN),
    ("programmes:programme_create", lambda w: {}, ANY_PROGRAMME_ADMIN),
    ("programmes:programme_detail", lambda w: {"slug": w.programme.slug}, ADMINS_ONLY),
    ("programmes:programme_edit", lambda w: {"slug": w.programme.slug}, ADMINS_ONLY),
    ("programmes:cohort_create", lambda w: {"slug": w.programme.slug}, ADMINS_ONLY),
    ("programmes:roles", lambda w: {"slug": w.programme.slug}, ADMINS_ONLY),
    ("programmes:skills", lambda w: {"slug": w.programme.slug}, ADMINS_ONLY),
    ("programmes:cohort_detail", lambda w: {"cohort_id": w.cohort.pk}, ADMINS_ONLY),
    ("programmes:cohort_edit", lambda w: {"cohort_id": w.cohort.pk}, ADMINS_ONLY),
    ("programmes:cohort_export", lambda w: {"cohort_id": w.cohort.pk}, ADMINS_ONLY),
    ("programmes:participant_invite", lambda w: {"cohort_id": w.cohort.pk}, ADMINS_ONLY),
    ("programmes:import_upload", lambda w: {"cohort_id": w.cohort.pk}, ADMINS_ONLY),
    ("programmes:import_template", lambda w: {"cohort_id": w.cohort.pk}, ADMINS_ONLY),
    ("programmes:import_preview", _upload, ADMINS_ONLY),
    ("programmes:import_skipped", _upload, ADMINS_ONLY),
    (
        "programmes:participant_manage",
        lambda w: {"participant_id": w.member.pk},
        ADMINS_ONLY,
    ),
    ("programmes:application_queue", lambda w: {"slug": w.programme.slug}, ADMINS_ONLY),
    (
        "programmes:application_decline",
        lambda w: {"application_id": _application(w).pk},
        ADMINS_ONLY,
    ),
    ("programmes:apply", lambda w: {"token": _sign_up_link(w).token}, PUBLIC),
    ("programmes:my_programme", lambda w: {}, EVERYONE_SIGNED_IN),
    ("programmes:charter", lambda w: {"participant_id": w.member.pk}, OWN_PARTICIPATION),
    ("programmes:profile", lambda w: {"participant_id": w.member.pk}, OWN_PARTICIPATION),
    ("programmes:withdraw", lambda w: {"participant_id": w.member.pk}, OWN_PARTICIPATION),
]

POST_ROWS = [
    # An empty POST: the status change is refused with a message, then redirected.
    ("programmes:programme_status", lambda w: {"slug": w.programme.slug}, REDIRECTS_FOR_ADMINS),
    ("programmes:skill_merge", lambda w: {"slug": w.programme.slug}, ADMINS_ONLY),
    (
        "programmes:participant_resend",
        lambda w: {"participant_id": _invited(w).pk},
        REDIRECTS_FOR_ADMINS,
    ),
    # Empty POSTs: the forms are redrawn with their errors (200), nothing changes.
    ("programmes:participant_edit", lambda w: {"participant_id": w.member.pk}, ADMINS_ONLY),
    ("programmes:participant_move", lambda w: {"participant_id": w.member.pk}, ADMINS_ONLY),
    (
        "programmes:participant_withdraw_admin",
        lambda w: {"participant_id": w.member.pk},
        ADMINS_ONLY,
    ),
    # Refused without a cohort (a message), or decided by the first admin: back to the queue.
    (
        "programmes:application_approve",
        lambda w: {"application_id": _application(w).pk},
        REDIRECTS_FOR_ADMINS,
    ),
    (
        "programmes:application_decline",
        lambda w: {"application_id": _application(w).pk},
        REDIRECTS_FOR_ADMINS,
    ),
    # An empty choice publishes the whole programme's link (once), then back to the page.
    (
        "programmes:nomination_link_enable",
        lambda w: {"slug": w.programme.slug},
        REDIRECTS_FOR_ADMINS,
    ),
]


@pytest.mark.parametrize("row", GET_ROWS, ids=[row[0] for row in GET_ROWS])
def test_get_matrix(world, row):
    assert check_row(world, row) == []


@pytest.mark.parametrize("row", POST_ROWS, ids=[row[0] for row in POST_ROWS])
def test_post_matrix(world, row):
    assert check_row(world, row, method="post") == []


ROLE_REVOKE = "programmes:role_revoke"


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("anonymous", 302),
        ("member", 404),
        ("other_pair_member", 404),
        ("other_programme_admin", 404),
        ("admin", 302),
        ("hr", 404),  # an HR viewer cannot remove their own role either
        ("superuser", 302),
    ],
)
def test_role_revoke_matrix(world, actor, expected):
    """One fresh world per actor: an allowed POST deletes the role."""
    role = ProgrammeRole.objects.get(programme=world.programme, user=world.hr)
    url = reverse(ROLE_REVOKE, kwargs={"role_id": role.pk})
    response = world.client_for(actor).post(url)
    assert response.status_code == expected
    still_there = ProgrammeRole.objects.filter(pk=role.pk).exists()
    assert still_there == (expected != 302 or actor == "anonymous")


NOMINATION_LINK_DISABLE = "programmes:nomination_link_disable"


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("anonymous", 302),
        ("member", 404),
        ("other_pair_member", 404),
        ("other_programme_admin", 404),
        ("admin", 302),
        ("hr", 404),
        ("superuser", 302),
    ],
)
def test_nomination_link_disable_matrix(world, actor, expected):
    """One fresh world per actor: an allowed POST switches the link off (deletes it)."""
    link = _sign_up_link(world)
    response = world.client_for(actor).post(
        reverse(NOMINATION_LINK_DISABLE, kwargs={"link_id": link.pk})
    )
    assert response.status_code == expected
    from programmes.models import NominationLink

    still_there = NominationLink.objects.filter(pk=link.pk).exists()
    assert still_there == (expected != 302 or actor == "anonymous")


def test_an_unknown_sign_up_link_is_404(client, db):
    response = client.get(reverse("programmes:apply", kwargs={"token": "nope"}))
    assert response.status_code == 404
    assert "This sign-up link does not work" in response.text


def test_other_programme_admin_lists_only_their_programme(world):
    response = world.client_for("other_programme_admin").get(reverse("programmes:programme_list"))
    assert "Other programme" in response.text
    assert "World programme" not in response.text


def test_get_only_views_refuse_post(world):
    client = world.client_for("admin")
    for name in ("programmes:programme_status", "programmes:participant_resend"):
        kwargs = {"slug": "world"} if "status" in name else {"participant_id": world.member.pk}
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 405


# --- the public invitation page -----------------------------------------------------------
def test_invitation_page_is_public_by_token(world, client):
    participant = _invited(world)
    token = invitation_token_issue(participant.invitation)
    url = reverse("programmes:invitation", kwargs={"token": token})
    response = client.get(url)
    assert response.status_code == 200
    assert "World programme" in response.text
    assert "invitee@world.example" in response.text  # pre-filled for sign-up and sign-in


def test_unknown_invitation_token_is_404(client, db):
    response = client.get(reverse("programmes:invitation", kwargs={"token": "nope"}))
    assert response.status_code == 404
    assert "does not work" in response.text


def test_invitation_for_someone_else_is_refused_without_details(world):
    participant = _invited(world)
    token = invitation_token_issue(participant.invitation)
    url = reverse("programmes:invitation", kwargs={"token": token})
    for actor in ("member", "admin", "superuser"):
        response = world.client_for(actor).get(url)
        assert response.status_code == 403, actor
        assert "different email address" in response.text
        assert "invitee@world.example" not in response.text
        response = world.client_for(actor).post(url)
        assert response.status_code == 403
    participant.refresh_from_db()
    assert participant.user is None


def test_anonymous_post_on_invitation_goes_to_sign_in(world, client):
    participant = _invited(world)
    token = invitation_token_issue(participant.invitation)
    url = reverse("programmes:invitation", kwargs={"token": token})
    response = client.post(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
