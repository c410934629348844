"""Pair health in a real Chromium: the admin spots the lopsided pair; a participant sees the balance."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from feedback.services.metrics import metrics_compute
from programmes.models import ProgrammeRole
from tests.conftest import browser_login
from tests.factories import (
    CohortFactory,
    ParticipantFactory,
    ProgrammeFactory,
    ProgrammeRoleFactory,
    UserFactory,
    make_pair,
)
from tests.feedback.conftest import SECRET_TEXT, MetricsBuilder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-Secret-123"


@pytest.fixture
def programme_with_pairs():
    build = MetricsBuilder()
    admin = UserFactory(email="priya@example.com", first_name="Priya", last_name="Natarajan")
    programme = ProgrammeFactory(
        name="Reverse mentoring 2026", slug="reverse-2026", created_by=admin
    )
    ProgrammeRoleFactory(programme=programme, user=admin, role=ProgrammeRole.Role.ADMIN)
    cohort = CohortFactory(programme=programme, name="Spring intake")

    def person(first: str, last: str):
        user = UserFactory(email=f"{first.lower()}@example.com", first_name=first, last_name=last)
        return ParticipantFactory(cohort=cohort, user=user)

    # The senior side (Ben) is sponsored five times; the junior side (Ana) never.
    published = timezone.now() - dt.timedelta(days=80)
    ben, ana = person("Ben", "Carter"), person("Ana", "Silva")
    lopsided = make_pair(ben, ana, published_at=published)
    build.alternating(lopsided, 5)
    for session in lopsided.sessions.all():
        build.reflect(session, ben, learned=5)
        build.reflect(session, ana, learned=4)
    for _ in range(5):
        build.item(lopsided, ana, ben)
    build.item(lopsided, ben, ana, status="pending", age_days=20)

    chloe, dev = person("Chloe", "Dubois"), person("Dev", "Patel")
    even = make_pair(chloe, dev, published_at=published)
    build.alternating(even, 4)
    build.item(even, chloe, dev)
    build.item(even, dev, chloe)

    emma, farid = person("Emma", "Johansson"), person("Farid", "Haddad")
    make_pair(emma, farid, published_at=published)  # no session yet: stalled
    metrics_compute()
    return programme, lopsided, ana


def test_admin_spots_the_lopsided_pair(page, live_server, screenshot, programme_with_pairs):
    programme, lopsided, _ = programme_with_pairs
    browser_login(page, "priya@example.com", PASSWORD)

    # Home: the attention card loads its counts.
    card = page.get_by_test_id("attention")
    expect(card.get_by_text("2 need attention")).to_be_visible()
    screenshot(page, "health-01-home-card")

    # The programme page links to pair health with its flagged count (htmx fragment).
    page.goto(f"/programmes/p/{programme.slug}/")
    expect(page.get_by_test_id("flagged-pairs")).to_have_text("2 flagged pairs")
    screenshot(page, "health-01b-programme-page")
    page.get_by_role("link", name="Pair health").click()
    expect(page.get_by_role("heading", name="Pair health", level=1)).to_be_visible()
    row = page.get_by_test_id(f"pair-row-{lopsided.pk}")
    expect(row.locator('[data-flag="lopsided"]')).to_be_visible()
    expect(row.locator('[data-flag="unconfirmed"]')).to_be_visible()
    # Lowest reciprocity first: the lopsided pair heads the table.
    first_row = page.get_by_test_id("pair-health-table").locator("tbody tr").first
    assert first_row.get_attribute("data-testid") == f"pair-row-{lopsided.pk}"
    assert SECRET_TEXT not in page.content()
    screenshot(page, "health-02-pair-list")

    page.get_by_label("Flag").select_option("lopsided")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"[?&]flag=lopsided"))
    expect(page.locator("tbody tr")).to_have_count(1)
    screenshot(page, "health-03-filtered")

    page.get_by_role("link", name="Ben Carter and Ana Silva").click()
    # Ben's leans: ledger 5/6, learning (1 − .75) × 2/4, mentee time (120 − 180)/301 × 1/4.
    expect(page.get_by_test_id("reciprocity")).to_have_text("0.09")
    assert SECRET_TEXT not in page.content()
    screenshot(page, "health-04-pair-detail")

    page.goto(f"/feedback/programmes/{programme.slug}/pairs/")
    page.get_by_role("button", name="Recompute now").click()
    expect(page.get_by_text("Recomputing the metrics")).to_be_visible()


def test_participant_sees_their_balance(page, live_server, screenshot, programme_with_pairs):
    _, lopsided, ana = programme_with_pairs
    browser_login(page, "ana@example.com", PASSWORD)
    page.goto(f"/pairing/pairs/{lopsided.pk}/")
    sentence = page.get_by_test_id("pair-balance-sentence")
    assert sentence.inner_text() == (
        "You have mentored 2 of 5 sessions; you received 0 confirmed items, your partner 5."
    )
    # The charts are drawn (static/js/pair-balance.js): hours, one bar series per side; items.
    page.wait_for_function("() => window.Chart && Chart.getChart('pair-balance-items')")
    assert page.evaluate("() => Chart.getChart('pair-balance-hours').data.datasets.length") == 2
    page.get_by_test_id("pair-balance").scroll_into_view_if_needed()
    screenshot(page, "health-05-participant-balance")
