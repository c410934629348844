"""The bell, in Chromium: a participant sees the unread count in the navbar, opens the
notifications page and follows the reminder's link to the session; the count goes down."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentoring.notifications.services import deliveries_plan, deliveries_send_due
from pairing.models import MentoringSession
from tests.conftest import browser_login
from tests.factories import (
    CohortFactory,
    ParticipantFactory,
    ProgrammeFactory,
    UserFactory,
    make_pair,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-Secret-123"


@pytest.fixture
def reminded(live_server, settings):
    """Ana and Ben's session starts in 30 minutes: its 1-hour reminder went out."""
    settings.SITE_BASE_URL = live_server.url
    cohort = CohortFactory(programme=ProgrammeFactory(name="Bell programme"))
    ana = ParticipantFactory(
        cohort=cohort,
        user=UserFactory(
            email="ana@bell.example", first_name="Ana", last_name="Silva", time_zone="Europe/Lisbon"
        ),
    )
    ben = ParticipantFactory(
        cohort=cohort,
        user=UserFactory(
            email="ben@bell.example", first_name="Ben", last_name="Carter", time_zone="Asia/Tokyo"
        ),
    )
    pair = make_pair(ana, ben)
    start = timezone.now() + dt.timedelta(minutes=30)
    session = MentoringSession.objects.create(
        pair=pair, scheduled_start=start, planned_mentor=ana, created_by=ana
    )
    MentoringSession.objects.filter(pk=session.pk).update(created_at=start - dt.timedelta(days=2))
    deliveries_plan()
    assert deliveries_send_due() >= 2
    return session


def test_a_participant_opens_the_bell_and_follows_the_reminder_to_the_session(
    page, reminded, screenshot
):
    browser_login(page, "ana@bell.example", PASSWORD)
    bell = page.get_by_role("link", name="Notifications, 1 unread")
    expect(bell).to_be_visible()
    expect(page.get_by_test_id("notification-count")).to_have_text("1")
    bell.click()

    expect(page.get_by_role("heading", level=1, name="Notifications")).to_be_visible()
    item = page.get_by_test_id("notification").filter(has_text="Mentoring session with Ben")
    expect(item).to_be_visible()
    expect(item.get_by_text("New")).to_be_visible()
    screenshot(page, "notifications-list")
    item.get_by_role("button", name=re.compile(r"^Open")).click()

    expect(page).to_have_url(re.compile(rf"/pairing/sessions/{reminded.pk}/$"))
    # Read now: the bell says so without a number.
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    expect(page.get_by_test_id("notification-count")).to_have_count(0)
    screenshot(page, "notifications-followed-to-session")
