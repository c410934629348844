"""An admin invites an HR viewer who has no account yet; she signs up from the email and lands
on her home page, in a real Chromium (two browsers: the admin's and the invitee's)."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from programmes.models import Programme, ProgrammeRole, StaffInvitation
from tests.conftest import browser_login
from tests.factories import ProgrammeFactory, ProgrammeRoleFactory, UserFactory
from tests.tokens import emailed_staff_invitation_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def emails_sent_at_once(monkeypatch):
    """The worker's part, in the live server's thread right after commit: the email is in
    ``mail.outbox`` when the admin's page comes back."""
    from programmes import tasks

    def apply_async(args=None, kwargs=None, **options):
        return tasks.staff_invitation_send_task.run(*(args or []), **(kwargs or {}))

    monkeypatch.setattr(tasks.staff_invitation_send_task, "apply_async", apply_async)


def test_an_hr_viewer_invited_by_email_signs_up_and_lands_home(
    page, live_server, screenshot, new_context, emails_sent_at_once
):
    admin = UserFactory(email="priya@acme.example", first_name="Priya", last_name="Natarajan")
    programme = ProgrammeFactory(
        name="Cross-gender mentoring", slug="cross", status=Programme.Status.RUNNING
    )
    ProgrammeRoleFactory(programme=programme, user=admin, role=ProgrammeRole.Role.ADMIN)

    browser_login(page, admin.email, "pw-Secret-123")
    page.goto("/programmes/p/cross/roles/")
    page.get_by_role("textbox", name="Email").fill("helen.okafor@acme.example")
    page.get_by_label("HR viewer").check()
    page.get_by_role("button", name="Add", exact=True).click()
    expect(
        page.get_by_text("Nobody has an account with helen.okafor@acme.example yet")
    ).to_be_visible()
    pending = page.get_by_test_id("staff-invitation")
    expect(pending).to_contain_text("helen.okafor@acme.example")
    expect(pending).to_contain_text("Link works until")
    screenshot(page, "staff-01-roles-invitation-pending")

    (message,) = mail.outbox
    assert message.to == ["helen.okafor@acme.example"]
    link, _ = emailed_staff_invitation_link(message.body)

    # Helen, in her own browser, from the email.
    helen = new_context().new_page()  # browser_context_args: the live server, same size
    helen.set_default_timeout(15_000)
    helen.goto(link)
    expect(helen.get_by_role("heading", name="Cross-gender mentoring")).to_be_visible()
    expect(helen.get_by_text("You are invited to be an HR viewer of")).to_be_visible()
    expect(helen.get_by_text("You never see a person's profile")).to_be_visible()
    screenshot(helen, "staff-02-invitation-page")
    helen.get_by_role("link", name="Create account").click()
    expect(helen.get_by_label("Email")).to_have_value("helen.okafor@acme.example")
    helen.get_by_label("First name").fill("Helen")
    helen.get_by_label("Last name").fill("Okafor")
    helen.locator("#id_password1").fill("Reciprocal-2026!")
    helen.get_by_label("Password (again)").fill("Reciprocal-2026!")
    helen.get_by_role("button", name="Sign Up").click()

    # Back on the invitation, signed in: one button grants the role.
    accept = helen.get_by_role("button", name="Accept the invitation")
    expect(accept).to_be_visible()
    screenshot(helen, "staff-03-accept")
    accept.click()
    expect(helen.get_by_role("heading", name="Welcome, Helen")).to_be_visible()
    expect(
        helen.get_by_text("Welcome: you are now hr viewer of Cross-gender mentoring.")
    ).to_be_visible()
    expect(helen.get_by_role("heading", name="Outcome dashboards")).to_be_visible()
    screenshot(helen, "staff-04-hr-home")
    role = ProgrammeRole.objects.get(user__email="helen.okafor@acme.example")
    assert (role.role, role.granted_by, role.programme) == ("hr", admin, programme)

    # The admin sees her among the roles, no longer as pending.
    page.reload()
    expect(page.get_by_role("cell", name="Helen Okafor helen.okafor@acme.example")).to_be_visible()
    expect(page.get_by_test_id("staff-invitation")).to_have_count(0)
    screenshot(page, "staff-05-roles-after-accept")
    assert StaffInvitation.objects.get().accepted_by == role.user
