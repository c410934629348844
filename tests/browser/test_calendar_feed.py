"""The calendar-feed page in a real Chromium: the secret URL is shown once, like an API key.

Right after creating it the member sees the address and a warning to copy it now; on any
later visit the page says an address exists and offers to replace or revoke it, and the
address itself is nowhere in the page.
"""

import pytest
from django.test import Client
from playwright.sync_api import expect

from pairing.models import CalendarFeed
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_feed_url_is_shown_once_then_only_said_to_exist(page, live_server, world, screenshot):
    browser_login(page, world.member.user.email, "pw-Secret-123")
    page.goto("/pairing/calendar/")
    page.get_by_test_id("feed-create").click()
    expect(page.get_by_test_id("feed-url-once")).to_contain_text("shown only this once")
    address = page.get_by_test_id("feed-url").input_value()
    assert address.startswith(f"{live_server.url}/pairing/calendar/") and address.endswith(".ics")
    screenshot(page, "calendar-01-just-created")
    path = address.removeprefix(live_server.url)
    assert Client().get(path).status_code == 200  # the address works

    page.goto("/pairing/calendar/")  # a later visit
    expect(page.get_by_test_id("feed-exists")).to_be_visible()
    expect(page.get_by_test_id("feed-url")).to_have_count(0)
    assert path not in page.content()
    screenshot(page, "calendar-02-later-visit")

    page.get_by_role("link", name="Replace or revoke…").click()
    page.get_by_role("button", name="Revoke it and give me a new one").click()
    expect(page.get_by_test_id("feed-url-once")).to_be_visible()
    replaced = page.get_by_test_id("feed-url").input_value()
    assert replaced != address
    assert Client().get(path).status_code == 404  # the old address stopped working
    assert CalendarFeed.objects.filter(user=world.member.user, revoked_at__isnull=True).count() == 1
