"""Sign up → verify (link from the sent mail) → sign in → sign out, in a real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from mentoring.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_verify_sign_in_sign_out(page, live_server, mailoutbox, screenshot):
    page.goto("/")
    screenshot(page, "accounts-01-landing")
    page.get_by_role("link", name="Create an account").click()

    page.get_by_label("First name").fill("Ana")
    page.get_by_label("Last name").fill("Silva")
    page.get_by_label("Email").fill("ana.silva@example.com")
    page.locator("#id_password1").fill("Reciprocal-2026!")
    page.get_by_label("Password (again)").fill("Reciprocal-2026!")
    screenshot(page, "accounts-02-signup")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_text("Confirmation email sent to ana.silva@example.com.")).to_be_visible()

    # The verification mail was sent; follow its link like a person would.
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ana.silva@example.com"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(link.replace(re.match(r"https?://[^/]+", link).group(0), live_server.url))
    screenshot(page, "accounts-03-confirm")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("You have confirmed ana.silva@example.com.")).to_be_visible()
    from allauth.account.models import EmailAddress

    assert EmailAddress.objects.get(email="ana.silva@example.com").verified

    # Optional verification: the sign-up signed us in. Sign out, then in with the new account.
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    page.goto("/accounts/logout/")
    page.get_by_role("button", name="Sign Out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("ana.silva@example.com")
    page.locator("#id_password").fill("Reciprocal-2026!")
    screenshot(page, "accounts-04-login")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Welcome, Ana")).to_be_visible()
    screenshot(page, "accounts-05-home")

    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign Out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
    assert User.objects.get(email="ana.silva@example.com").first_name == "Ana"


def test_wrong_password_shows_a_clear_message(page, live_server):
    User.objects.create_user(email="ben@example.com", password="right-Secret-123")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("ben@example.com")
    page.locator("#id_password").fill("nope")
    page.get_by_role("button", name="Sign In").click()
    expect(
        page.get_by_text("The email address and/or password you specified are not correct.")
    ).to_be_visible()
