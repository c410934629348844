"""Admins and HR viewers invited by email: the invitation, its link, and what it promises.

An address with an account gets the role at once; any other address is emailed a
single-use link (only its hash stored) that works for 14 days and grants the role when the
invitee, signed in with that address, accepts it.
"""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.models import User
from mentoring.tokens import token_digest
from programmes.models import AuditEvent, ProgrammeRole, StaffInvitation
from programmes.services.staff_invitations import (
    VALID_DAYS,
    staff_invitation_accept,
    staff_invitation_send,
)
from tests.factories import ParticipantFactory, SessionFactory, UserFactory, make_pair
from tests.tokens import emailed_staff_invitation_link

pytestmark = pytest.mark.django_db
NEW_ADDRESS = "helen.okafor@acme.example"


@pytest.fixture
def sent_mail(monkeypatch, django_capture_on_commit_callbacks):
    """The send task runs here instead of on a worker, after commit (the outbox is real):
    each admin request runs inside ``django_capture_on_commit_callbacks(execute=True)``."""
    from programmes import tasks

    def apply_async(args=None, kwargs=None, **options):
        return tasks.staff_invitation_send_task.run(*(args or []), **(kwargs or {}))

    monkeypatch.setattr(tasks.staff_invitation_send_task, "apply_async", apply_async)
    return django_capture_on_commit_callbacks


class CommittingClient:
    """A test client whose POSTs run their after-commit callbacks (the emails) at once."""

    def __init__(self, client, capture):
        self.client, self.capture = client, capture

    def get(self, *args, **kwargs):
        return self.client.get(*args, **kwargs)

    def post(self, *args, **kwargs):
        with self.capture(execute=True):
            return self.client.post(*args, **kwargs)


@pytest.fixture
def admin_client(client, setup, sent_mail):
    from django.test import Client

    admin = Client()
    admin.force_login(setup.admin)
    return CommittingClient(admin, sent_mail)


def roles_url(setup) -> str:
    return reverse("programmes:roles", args=[setup.programme.slug])


def _invite(admin_client, setup, *, email=NEW_ADDRESS, role="hr"):
    return admin_client.post(roles_url(setup), {"email": email, "role": role}, follow=True)


def _accept(client, user, token):
    client.force_login(user)
    return client.post(reverse("programmes:staff_invitation", args=[token]), follow=True)


def test_an_address_without_an_account_is_emailed_an_invitation(admin_client, setup, sent_mail):
    page = _invite(admin_client, setup, email="Helen.Okafor@Acme.example")
    assert (
        f"Nobody has an account with {NEW_ADDRESS} yet: an invitation to join as hr viewer is "
        "being emailed." in page.text
    )
    invitation = StaffInvitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        NEW_ADDRESS,
        "hr",
        setup.admin,
    )
    assert [m.to for m in mail.outbox] == [[NEW_ADDRESS]]
    message = mail.outbox[0]
    assert message.subject == (
        "Priya Natarajan invites you as hr viewer of Acme reciprocal mentoring"
    )
    url, token = emailed_staff_invitation_link(message.body)
    assert url.startswith("http://testserver/programmes/staff-invitations/")
    invitation.refresh_from_db()
    assert invitation.token_hash == token_digest(token)  # only the hash is stored
    assert token not in str(StaffInvitation.objects.values().get())
    assert url in message.alternatives[0].content  # the HTML version has the same link
    # Listed as pending, with its actions; the trail says who invited whom.
    roles = admin_client.get(roles_url(setup)).text
    assert NEW_ADDRESS in roles and "Resend the invitation of" in roles
    programme_page = admin_client.get(
        reverse("programmes:programme_detail", args=[setup.programme.slug])
    )
    assert f"invited {NEW_ADDRESS} by email to be HR viewer" in programme_page.text


def test_nothing_changes_until_the_link_is_opened(admin_client, setup, sent_mail):
    """The email: "If you did not expect this email, you can ignore it: nothing changes
    until you open the link"."""
    _invite(admin_client, setup)
    assert "nothing changes until you open the link" in mail.outbox[0].body
    assert not ProgrammeRole.objects.filter(user__email=NEW_ADDRESS).exists()
    assert not User.objects.filter(email__iexact=NEW_ADDRESS).exists()


def test_an_existing_account_gets_the_role_at_once(admin_client, setup, sent_mail):
    UserFactory(email=NEW_ADDRESS, first_name="Helen", last_name="Okafor")
    page = _invite(admin_client, setup)
    assert "Helen Okafor is now hr viewer." in page.text
    assert ProgrammeRole.objects.filter(user__email=NEW_ADDRESS, role="hr").exists()
    assert not StaffInvitation.objects.exists() and mail.outbox == []


def test_granting_the_role_directly_closes_an_open_invitation(admin_client, setup, sent_mail):
    _invite(admin_client, setup)
    UserFactory(email=NEW_ADDRESS)  # signed up on their own meanwhile
    _invite(admin_client, setup)
    assert StaffInvitation.objects.get().revoked_at is not None
    pending = admin_client.get(roles_url(setup)).text.split("Invited by email, not accepted")[1]
    assert NEW_ADDRESS not in pending


def test_a_second_invitation_is_refused_next_to_the_field(admin_client, setup, sent_mail):
    _invite(admin_client, setup)
    again = _invite(admin_client, setup)
    assert "was already invited as hr viewer" in again.text
    assert "Resend that invitation from the list instead." in again.text
    assert 'id="error_1_id_email"' in again.text  # crispy's error next to the email field
    assert StaffInvitation.objects.count() == 1 and len(mail.outbox) == 1
    _invite(admin_client, setup, role="admin")  # another role is another invitation
    assert StaffInvitation.objects.count() == 2


def test_accepting_grants_the_role_recorded_as_granted_by_the_inviter(
    admin_client, setup, sent_mail, client
):
    _invite(admin_client, setup)
    _, token = emailed_staff_invitation_link(mail.outbox[0].body)
    helen = UserFactory(email=NEW_ADDRESS, first_name="Helen", last_name="Okafor")
    client.force_login(helen)
    page = client.get(reverse("programmes:staff_invitation", args=[token]))
    assert "Accept the invitation" in page.text
    assert not ProgrammeRole.objects.filter(user=helen).exists()  # a GET grants nothing

    landed = _accept(client, helen, token)
    assert landed.redirect_chain == [(reverse("home"), 302)]
    assert "Welcome: you are now hr viewer of Acme reciprocal mentoring." in landed.text
    assert "Outcome dashboards" in landed.text  # the HR viewer's card on the home page
    role = ProgrammeRole.objects.get(user=helen, programme=setup.programme)
    assert (role.role, role.granted_by) == ("hr", setup.admin)
    event = AuditEvent.objects.get(action="role.granted")
    assert event.actor == setup.admin
    assert event.detail == {
        "email": NEW_ADDRESS,
        "role": "hr",
        "invited_by": setup.admin.email,
        "via": "invitation",
    }
    programme_page = admin_client.get(
        reverse("programmes:programme_detail", args=[setup.programme.slug])
    )
    assert (
        f"made {NEW_ADDRESS} HR viewer (they accepted the emailed invitation)"
        in programme_page.text
    )
    pending = admin_client.get(roles_url(setup)).text.split("Invited by email, not accepted")[1]
    assert NEW_ADDRESS not in pending and "Nobody." in pending
    # A second click lands on the same page and grants nothing more.
    again = client.get(reverse("programmes:staff_invitation", args=[token]), follow=True)
    assert again.redirect_chain == [(reverse("home"), 302)]
    assert ProgrammeRole.objects.filter(user=helen).count() == 1


def test_an_invited_admin_lands_on_the_programme(admin_client, setup, sent_mail, client):
    _invite(admin_client, setup, role="admin")
    _, token = emailed_staff_invitation_link(mail.outbox[0].body)
    omar = UserFactory(email=NEW_ADDRESS)
    landed = _accept(client, omar, token)
    assert landed.redirect_chain == [
        (reverse("programmes:programme_detail", args=[setup.programme.slug]), 302)
    ]


def test_the_link_works_once(admin_client, setup, sent_mail, client):
    """The email: "The link is personal, works once"."""
    _invite(admin_client, setup)
    assert "works once" in mail.outbox[0].body
    _, token = emailed_staff_invitation_link(mail.outbox[0].body)
    helen = UserFactory(email=NEW_ADDRESS)
    _accept(client, helen, token)
    ProgrammeRole.objects.filter(user=helen).delete()  # the admin removed her since
    again = _accept(client, helen, token)
    assert "This invitation has already been used." in again.text
    assert not ProgrammeRole.objects.filter(user=helen).exists()


def test_the_link_expires_after_14_days(admin_client, setup, sent_mail, client):
    """The email: "expires in 14 days"."""
    _invite(admin_client, setup)
    assert f"expires in {VALID_DAYS} days" in mail.outbox[0].body and VALID_DAYS == 14
    invitation = StaffInvitation.objects.get()
    assert invitation.expires_at - invitation.sent_at == dt.timedelta(days=14)
    _, token = emailed_staff_invitation_link(mail.outbox[0].body)
    StaffInvitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    anonymous = client.get(reverse("programmes:staff_invitation", args=[token]))
    assert "This invitation has expired. Ask the programme admin" in anonymous.text
    assert "Create account" not in anonymous.text
    refused = _accept(client, UserFactory(email=NEW_ADDRESS), token)
    assert "This invitation has expired." in refused.text
    assert not ProgrammeRole.objects.filter(user__email=NEW_ADDRESS).exists()
    assert "Link expired on" in admin_client.get(roles_url(setup)).text


def test_another_address_cannot_accept(admin_client, setup, sent_mail):
    """The email: "create your account (or sign in) with this email address"."""
    _invite(admin_client, setup)
    _, token = emailed_staff_invitation_link(mail.outbox[0].body)
    with pytest.raises(Exception, match="different email address"):
        staff_invitation_accept(
            invitation=StaffInvitation.objects.get(), user=UserFactory(email="x@acme.example")
        )


def test_resend_kills_the_old_link_and_sends_a_new_one(admin_client, setup, sent_mail, client):
    _invite(admin_client, setup)
    _, old = emailed_staff_invitation_link(mail.outbox[0].body)
    invitation = StaffInvitation.objects.get()
    page = admin_client.post(
        reverse("programmes:staff_invitation_resend", args=[invitation.pk]), follow=True
    )
    assert f"A new invitation is being emailed to {NEW_ADDRESS}" in page.text
    assert len(mail.outbox) == 2
    _, new = emailed_staff_invitation_link(mail.outbox[1].body)
    assert new != old
    assert client.get(reverse("programmes:staff_invitation", args=[old])).status_code == 404
    assert client.get(reverse("programmes:staff_invitation", args=[new])).status_code == 200
    assert AuditEvent.objects.filter(action="staff_invitation.resent").count() == 1


def test_revoke_stops_the_link(admin_client, setup, sent_mail, client):
    _invite(admin_client, setup)
    _, token = emailed_staff_invitation_link(mail.outbox[0].body)
    invitation = StaffInvitation.objects.get()
    page = admin_client.post(
        reverse("programmes:staff_invitation_revoke", args=[invitation.pk]), follow=True
    )
    assert f"The invitation of {NEW_ADDRESS} was revoked" in page.text
    assert "Resend the invitation of" not in page.text
    assert client.get(reverse("programmes:staff_invitation", args=[token])).status_code == 404
    invitation.refresh_from_db()
    with pytest.raises(Exception, match="withdrawn"):
        staff_invitation_accept(invitation=invitation, user=UserFactory(email=NEW_ADDRESS))
    again = admin_client.post(
        reverse("programmes:staff_invitation_revoke", args=[invitation.pk]), follow=True
    )
    assert "This invitation was revoked." in again.text


def test_sending_twice_sends_one_email(admin_client, setup, sent_mail):
    _invite(admin_client, setup)
    invitation = StaffInvitation.objects.get()
    assert staff_invitation_send(invitation_id=invitation.pk, base_url="http://t") is False
    assert staff_invitation_send(invitation_id=invitation.pk + 99, base_url="http://t") is False
    assert len(mail.outbox) == 1


def test_an_anonymous_visit_keeps_the_invitation_for_after_sign_up(
    admin_client, setup, sent_mail, client
):
    _invite(admin_client, setup)
    _, token = emailed_staff_invitation_link(mail.outbox[0].body)
    page = client.get(reverse("programmes:staff_invitation", args=[token]))
    assert f"?email={NEW_ADDRESS.replace('@', '%40')}&amp;next=" in page.text
    assert client.session["pending_staff_invitation"] == token
    helen = UserFactory(email=NEW_ADDRESS)
    client.force_login(helen)
    home = client.get(reverse("home"))
    assert "Continue my invitation" in home.text
    assert reverse("programmes:staff_invitation", args=[token]) in home.text
    _accept(client, helen, token)
    assert "Continue my invitation" not in client.get(reverse("home")).text


# --- what the emails promise each role -------------------------------------------------------
@pytest.fixture
def a_pair(setup):
    a = ParticipantFactory(cohort=setup.cohort)
    b = ParticipantFactory(cohort=setup.cohort)
    pair = make_pair(a, b)
    return pair, SessionFactory(pair=pair)


def _accepted(admin_client, setup, client, role: str):
    _invite(admin_client, setup, role=role)
    _, token = emailed_staff_invitation_link(mail.outbox[-1].body)
    user = UserFactory(email=NEW_ADDRESS)
    _accept(client, user, token)
    return client


def test_an_invited_hr_viewer_sees_no_person_pair_session_or_note(
    admin_client, setup, sent_mail, client, a_pair
):
    """The email: "You never see a person's profile, their pair, their sessions or their
    notes"."""
    hr = _accepted(admin_client, setup, client, "hr")
    body = mail.outbox[0].body
    assert "You never see a person's profile, their pair, their sessions or their notes" in body
    pair, session = a_pair
    cohort = setup.cohort.pk
    for url in (
        reverse("programmes:programme_detail", args=[setup.programme.slug]),
        reverse("programmes:cohort_detail", args=[cohort]),
        reverse("programmes:cohort_export", args=[cohort]),
        reverse("feedback:pair_detail", args=[pair.pk]),
        reverse("feedback:session_detail", args=[session.pk]),
        reverse("feedback:pair_health", args=[setup.programme.slug]),
        reverse("pairing:cohort_pairs", args=[cohort]),
    ):
        assert hr.get(url).status_code == 404, url


def test_an_invited_admin_runs_the_programme_but_not_the_pairs_pages(
    admin_client, setup, sent_mail, client, a_pair
):
    """The email: "you run the programme: its settings, cohorts and invitations, pairing,
    and the health of its pairs. A pair's own pages (their sessions, notes and reflections)
    stay theirs"."""
    admin = _accepted(admin_client, setup, client, "admin")
    assert "its settings, cohorts and invitations, pairing" in mail.outbox[0].body
    pair, session = a_pair
    slug, cohort = setup.programme.slug, setup.cohort.pk
    for url in (
        reverse("programmes:programme_edit", args=[slug]),
        reverse("programmes:cohort_detail", args=[cohort]),
        reverse("programmes:participant_invite", args=[cohort]),
        reverse("pairing:cohort_pairs", args=[cohort]),
        reverse("feedback:pair_health", args=[slug]),
    ):
        assert admin.get(url).status_code == 200, url
    for url in (
        reverse("feedback:pair_detail", args=[pair.pk]),
        reverse("feedback:session_detail", args=[session.pk]),
    ):
        assert admin.get(url).status_code == 404, url


def test_the_email_speaks_to_each_role(admin_client, setup, sent_mail):
    _invite(admin_client, setup, role="hr")
    _invite(admin_client, setup, email="omar@acme.example", role="admin")
    hr_mail, admin_mail = mail.outbox
    assert 'to be an HR viewer of "Acme reciprocal mentoring"' in hr_mail.body
    assert "aggregate only" in hr_mail.body and "run the programme" not in hr_mail.body
    assert "to be a programme admin of" in admin_mail.body
    assert "aggregate only" not in admin_mail.body
    assert 'style="' in hr_mail.alternatives[0].content  # styled for mail clients


def test_the_roles_page_makes_as_many_queries_for_20_invitations_as_for_1(
    admin_client, setup, django_assert_num_queries
):
    StaffInvitation.objects.create(
        programme=setup.programme, email="a0@acme.example", role="hr", invited_by=setup.admin
    )
    with CaptureQueriesContext(connection) as captured:
        assert admin_client.get(roles_url(setup)).status_code == 200
    one = len(captured)
    for n in range(1, 20):
        StaffInvitation.objects.create(
            programme=setup.programme, email=f"a{n}@acme.example", role="hr", invited_by=setup.admin
        )
    with django_assert_num_queries(one):
        page = admin_client.get(roles_url(setup))
    assert page.text.count('data-testid="staff-invitation"') == 20
