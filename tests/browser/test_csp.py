"""The Content-Security-Policy in a real Chromium: it refuses inline code, the tests notice
when it does, and the behaviour that used to be inline handlers still works.

Every browser test fails on a violation (tests/conftest.py, ``CspWatcher``); the first test
here proves that watcher is not blind, by breaking the policy on purpose.
"""

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import expect

from programmes.models import Programme, ProgrammeRole, StaffInvitation
from tests.conftest import browser_login
from tests.factories import ProgrammeFactory, ProgrammeRoleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-Secret-123"

INJECT = """() => {
  const script = document.createElement("script");
  script.textContent = "window.inlineScriptRan = true;";
  document.body.append(script);
  const box = document.createElement("div");
  box.setAttribute("style", "outline: 5px solid red");
  document.body.append(box);
  const button = document.createElement("button");
  button.id = "inline-handler";
  button.setAttribute("onclick", "window.inlineHandlerRan = true;");
  button.textContent = "Inline handler";
  document.body.append(button);
}"""


def test_the_policy_refuses_inline_code_and_the_watcher_reports_it(page, live_server, csp_watcher):
    page.goto("/accounts/login/")
    page.evaluate(INJECT)
    page.locator("#inline-handler").click()
    # Three refusals: the <script>, the style="" attribute and the onclick= handler.
    page.wait_for_function("() => window.__cspViolationCount >= 3")

    # The policy is enforced, not just reported: none of the inline code ran.
    assert page.evaluate("() => [window.inlineScriptRan, window.inlineHandlerRan]") == [None, None]

    # The report survives a navigation away from the page that broke the policy.
    page.goto("/")
    found = csp_watcher.take()
    login_url = f"{live_server.url}/accounts/login/"
    for directive in ("script-src-elem", "style-src-attr", "script-src-attr"):
        assert any(v.startswith(directive) and login_url in v for v in found), (directive, found)
    assert any(v.startswith("console on") for v in found), found  # Chromium's message too
    assert csp_watcher.take() == []  # take() forgets what it returned

    # What a failing browser test prints: the directive and the page's URL.
    page.evaluate(INJECT)
    page.wait_for_function("() => window.__cspViolationCount >= 2")
    with pytest.raises(AssertionError, match=r"script-src-elem refused inline on http://\S+/ "):
        csp_watcher.assert_clean()


@pytest.fixture
def programme_with_two_admins():
    owner = UserFactory(email="priya@csp.example", first_name="Priya", last_name="Natarajan")
    programme = ProgrammeFactory(name="Reverse mentoring", slug="reverse", created_by=owner)
    ProgrammeRoleFactory(programme=programme, user=owner, role=ProgrammeRole.Role.ADMIN)
    colleague = UserFactory(email="omar@csp.example", first_name="Omar", last_name="Haddad")
    ProgrammeRoleFactory(programme=programme, user=colleague, role=ProgrammeRole.Role.ADMIN)
    return programme, owner, colleague


def test_removing_a_role_confirms_on_a_page_and_revoking_an_invitation_asks_first(
    page, live_server, screenshot, programme_with_two_admins
):
    """Removing a role is confirmed on its own page (no script involved); revoking an
    invitation keeps confirm.js's question on its form: cancel keeps it, OK revokes it."""
    programme, owner, colleague = programme_with_two_admins
    invitation = StaffInvitation.objects.create(
        programme=programme, email="new.hr@csp.example", role="hr", invited_by=owner
    )
    browser_login(page, owner.email, PASSWORD)
    page.goto(f"/programmes/p/{programme.slug}/roles/")
    page.get_by_role("button", name="Remove Omar Haddad as programme admin").click()
    expect(
        page.get_by_role("heading", name="Remove Omar Haddad as programme admin?")
    ).to_be_visible()
    screenshot(page, "csp-01-remove-role-confirm")
    page.get_by_role("link", name="Cancel").click()
    assert ProgrammeRole.objects.filter(user=colleague, programme=programme).exists()
    page.get_by_role("button", name="Remove Omar Haddad as programme admin").click()
    page.get_by_test_id("confirm-remove-role").click()
    expect(page.get_by_text("Omar Haddad is no longer programme admin.")).to_be_visible()
    expect(page.get_by_role("button", name="Remove Omar Haddad as programme admin")).to_have_count(
        0
    )
    screenshot(page, "csp-01-roles-after-remove")
    assert not ProgrammeRole.objects.filter(user=colleague, programme=programme).exists()

    revoke = page.get_by_role("button", name="Revoke the invitation of new.hr@csp.example")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    revoke.click()  # returns once the dialog has been answered
    assert questions == ["Revoke the invitation of new.hr@csp.example? Its link stops working."]
    page.reload()
    expect(revoke).to_be_visible()
    invitation.refresh_from_db()
    assert invitation.is_open

    page.once("dialog", lambda dialog: dialog.accept())
    revoke.click()
    expect(page.get_by_text("The invitation of new.hr@csp.example was revoked")).to_be_visible()
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_closing_a_programme_needs_its_name_and_asks_first(
    page, live_server, screenshot, programme_with_two_admins
):
    """The close page refuses without the typed name (no script involved), then confirm.js
    asks once more: cancel keeps the programme running, OK closes it."""
    programme, owner, _ = programme_with_two_admins
    programme.status = Programme.Status.RUNNING
    programme.starts_on = timezone.localdate() - dt.timedelta(days=30)
    programme.save(update_fields=["status", "starts_on"])
    browser_login(page, owner.email, PASSWORD)
    page.goto(f"/programmes/p/{programme.slug}/")
    page.get_by_role("button", name="Close the programme").click()
    expect(page.get_by_role("heading", name="Close Reverse mentoring?")).to_be_visible()
    close = page.get_by_test_id("confirm-close")
    page.once("dialog", lambda dialog: dialog.accept())
    close.click()
    expect(page.get_by_text("Type the programme's name to close it.")).to_be_visible()
    screenshot(page, "csp-02-close-refused")
    programme.refresh_from_db()
    assert programme.status == Programme.Status.RUNNING

    page.get_by_label("Type the programme's name to confirm").fill("reverse mentoring")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    close.click()  # returns once the dialog has been answered
    assert questions == ["Close Reverse mentoring for good?"]
    programme.refresh_from_db()
    assert programme.status == Programme.Status.RUNNING

    page.once("dialog", lambda dialog: dialog.accept())
    close.click()
    expect(page.get_by_text("The programme is now closed.")).to_be_visible()
    expect(page.get_by_role("button", name="Close the programme")).to_have_count(0)
    programme.refresh_from_db()
    assert programme.status == Programme.Status.CLOSED


def test_the_copy_button_copies_the_calendar_address(page, live_server, screenshot, world):
    """copy.js replaces the Copy button's onclick=."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    browser_login(page, world.member.user.email, PASSWORD)
    page.goto("/pairing/calendar/")
    page.get_by_test_id("feed-create").click()
    copy = page.get_by_test_id("copy-feed-url")
    copy.click()
    expect(copy).to_have_text("Copied")
    address = page.get_by_test_id("feed-url").input_value()
    assert re.match(rf"{re.escape(live_server.url)}/\S+", address)
    assert page.evaluate("() => navigator.clipboard.readText()") == address
    screenshot(page, "csp-02-calendar-copied")


def _visit(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: {response and response.status}"
    expect(page.locator("h1").first).to_be_visible()


def test_pages_with_scripts_of_their_own_break_no_rule(page, live_server, world):
    """Pages the journeys do not reach, each with scripts that could trip the policy:
    htmx fragments, Bootstrap's dropdown and alerts, allauth's and the Django admin's own
    JavaScript. The watcher (tests/conftest.py) fails the test on any violation."""
    programme, cohort = world.programme, world.cohort

    browser_login(page, world.admin.email, PASSWORD)
    expect(page.get_by_test_id("attention")).not_to_be_empty()  # htmx fragment on home
    page.get_by_test_id("user-menu").click()  # Bootstrap's dropdown (Popper sets styles)
    expect(page.get_by_role("link", name="Sign out")).to_be_visible()
    for url in (
        f"/programmes/p/{programme.slug}/",
        f"/programmes/p/{programme.slug}/edit/",
        f"/programmes/p/{programme.slug}/skills/",
        f"/programmes/p/{programme.slug}/roles/",
        f"/programmes/cohorts/{cohort.pk}/",
        f"/programmes/cohorts/{cohort.pk}/import/",
        f"/programmes/cohorts/{cohort.pk}/invite/",  # skills autocomplete
        f"/pairing/cohorts/{cohort.pk}/",
        f"/feedback/programmes/{programme.slug}/pairs/",
    ):
        _visit(page, url)
    _visit(page, f"/programmes/p/{programme.slug}/")
    expect(page.get_by_text("No figures yet")).to_be_visible()  # htmx fragment

    page.context.clear_cookies()
    member = world.member.user
    # allauth offers TOTP (and its QR code, a data: image) only for a verified address.
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    browser_login(page, member.email, PASSWORD)
    expect(page.get_by_test_id("home-pair")).not_to_be_empty()  # htmx fragment on home
    for url in (
        f"/pairing/pairs/{world.pair.pk}/",
        f"/pairing/pairs/{world.pair.pk}/sessions/new/",
        f"/feedback/pairs/{world.pair.pk}/goals/new/",
        f"/feedback/pairs/{world.pair.pk}/ledger/",
        f"/programmes/my/{world.member.pk}/profile/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
    ):
        _visit(page, url)
    page.goto("/accounts/2fa/totp/activate/")
    expect(page.get_by_role("heading", name="Confirm Access")).to_be_visible()  # allauth asks
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Activate Authenticator App")).to_be_visible()
    expect(page.locator('img[src^="data:image/svg+xml"]')).to_be_visible()  # the QR code

    page.context.clear_cookies()
    browser_login(page, world.superuser.email, PASSWORD)
    for url in (
        "/django-admin/",
        "/django-admin/programmes/programme/",
        f"/django-admin/programmes/programme/{programme.pk}/change/",
        "/django-admin/mentoring/user/add/",
    ):
        _visit(page, url)
