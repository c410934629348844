"""The admin acts on a flagged pair in a real Chromium: snooze, note, nudge after preview."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from feedback.services.metrics import metrics_compute
from mentoring.notifications.models import Delivery
from programmes.models import AuditEvent, ProgrammeRole
from tests.conftest import browser_login
from tests.factories import (
    CohortFactory,
    ParticipantFactory,
    ProgrammeFactory,
    ProgrammeRoleFactory,
    UserFactory,
    make_pair,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-Secret-123"


@pytest.fixture
def stalled_pair():
    admin = UserFactory(email="priya@example.com", first_name="Priya", last_name="Natarajan")
    programme = ProgrammeFactory(
        name="Reverse mentoring 2026", slug="reverse-2026", created_by=admin
    )
    ProgrammeRoleFactory(programme=programme, user=admin, role=ProgrammeRole.Role.ADMIN)
    cohort = CohortFactory(programme=programme, name="Spring intake")

    def person(first: str, last: str):
        user = UserFactory(email=f"{first.lower()}@example.com", first_name=first, last_name=last)
        return ParticipantFactory(cohort=cohort, user=user)

    published = timezone.now() - dt.timedelta(days=80)
    # No session in 80 days: stalled; and the second pair too, so the counts can be read.
    pair = make_pair(person("Emma", "Johansson"), person("Farid", "Haddad"), published_at=published)
    make_pair(person("Chloe", "Dubois"), person("Dev", "Patel"), published_at=published)
    metrics_compute()
    return programme, pair


def test_admin_snoozes_notes_and_nudges_a_stalled_pair(page, live_server, screenshot, stalled_pair):
    programme, pair = stalled_pair
    browser_login(page, "priya@example.com", PASSWORD)
    page.goto(f"/feedback/programmes/{programme.slug}/pairs/")
    expect(
        page.get_by_test_id(f"pair-row-{pair.pk}").locator('[data-flag="stalled"]')
    ).to_be_visible()
    page.get_by_role("link", name="Emma Johansson and Farid Haddad").click()
    expect(page.get_by_role("heading", name="Act on this pair")).to_be_visible()
    screenshot(page, "health-actions-01-detail")

    # Snooze the stalled flag for two weeks, with a reason.
    page.get_by_test_id("snooze-details").locator("summary").click()
    form = page.get_by_test_id("snooze-form")
    form.get_by_label("2 weeks").check()
    form.get_by_role("button", name="Snooze").click()
    expect(form.get_by_text("Say why the flag can wait.")).to_be_visible()  # next to the field
    screenshot(page, "health-actions-02-snooze-error")
    form = page.get_by_test_id("snooze-form")
    form.get_by_label("2 weeks").check()
    form.get_by_label("Why can it wait?").fill("Emma is on leave until the end of the month")
    form.get_by_role("button", name="Snooze").click()
    snoozed = page.get_by_test_id("snoozed-stalled")
    expect(snoozed).to_contain_text("by Priya Natarajan because “Emma is on leave")
    until = timezone.localtime(timezone.now() + dt.timedelta(days=14))
    expect(snoozed).to_contain_text(f"Snoozed until {until:%a} {until.day} {until:%b %Y}")
    expect(page.locator('#pair-flags ~ ul [data-flag="stalled"]')).to_have_count(0)

    # Leave a note.
    page.get_by_label("Note for the programme admins").fill(
        "Called Farid: they will book a session."
    )
    page.get_by_role("button", name="Add the note").click()
    note = page.get_by_test_id("admin-note").first
    expect(note).to_contain_text("Called Farid: they will book a session.")
    expect(note).to_contain_text("Priya Natarajan")
    screenshot(page, "health-actions-03-snoozed-and-noted")

    # The list: the pair no longer counts as stalled; one pair left.
    page.goto(f"/feedback/programmes/{programme.slug}/pairs/")
    expect(page.get_by_test_id("summary-snoozed")).to_contain_text("1 pair with a snoozed flag")
    row = page.get_by_test_id(f"pair-row-{pair.pk}")
    expect(row.locator('[data-flag-snoozed="stalled"]')).to_be_visible()
    expect(row.locator('[data-flag="stalled"]')).to_have_count(0)
    screenshot(page, "health-actions-03b-list-with-snooze")
    page.get_by_label("Flag").select_option("stalled")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id(f"pair-row-{pair.pk}")).to_have_count(0)
    page.goto(f"/feedback/pairs/{pair.pk}/health/")

    # Send a nudge: the draft, edited, previewed, then sent.
    page.get_by_role("link", name="Send a nudge").click()
    expect(page.get_by_role("heading", name="Send a nudge")).to_be_visible()
    body = page.get_by_label("Message")
    assert body.input_value().startswith("Hello Emma and Farid,")
    assert "since your last session" in body.input_value()  # the snoozed flag, in plain words
    body.fill(body.input_value() + "\n\nPS: shall we talk on Thursday?")
    screenshot(page, "health-actions-04-nudge-compose")
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_test_id("nudge-preview")
    expect(preview).to_contain_text("PS: shall we talk on Thursday?")
    screenshot(page, "health-actions-05-nudge-preview")
    assert not mail.outbox
    page.get_by_test_id("nudge-send").click()
    expect(page.get_by_text("Nudge sent to the pair's members.")).to_be_visible()
    history = page.get_by_test_id("pair-history")
    expect(history.get_by_test_id("history-line")).to_have_count(3)
    expect(history).to_contain_text("sent a nudge to 2 members")
    expect(history).to_contain_text("snoozed “Stalled”")
    expect(history).to_contain_text("left a note")
    screenshot(page, "health-actions-06-after-nudge")

    assert sorted(m.to[0] for m in mail.outbox) == ["emma@example.com", "farid@example.com"]
    assert all("PS: shall we talk on Thursday?" in m.body for m in mail.outbox)
    assert Delivery.objects.filter(kind="admin_nudge", status="sent").count() == 2
    assert AuditEvent.objects.filter(action="feedback.pair_nudged").count() == 1


@pytest.fixture
def eager_tasks():
    """The end emails' task runs in the live server's process, as the worker would."""
    from celery import current_app

    conf = current_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager = conf.task_eager_propagates = True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


def test_admin_ends_the_pair_for_its_members(
    page, browser, live_server, screenshot, new_context, stalled_pair, eager_tasks
):
    programme, pair = stalled_pair
    browser_login(page, "priya@example.com", PASSWORD)
    page.goto(f"/feedback/pairs/{pair.pk}/health/")
    page.get_by_role("link", name="End the pair for its members…").click()
    expect(
        page.get_by_role("heading", name="End the pair of Emma Johansson and Farid Haddad")
    ).to_be_visible()
    page.get_by_label("Why does the pair end?").fill("Both told me they cannot find the time.")
    page.get_by_test_id("confirm-end").click()
    expect(page.get_by_text("Tick the box to confirm you want to end the pair.")).to_be_visible()
    screenshot(page, "health-actions-07-end-confirm")
    page.get_by_label("I understand this ends the pair now").check()
    page.get_by_test_id("confirm-end").click()
    expect(page.get_by_text("The pair has ended.")).to_be_visible()
    expect(page.get_by_test_id("end-reason")).to_have_text(
        "Both told me they cannot find the time."
    )
    expect(page.get_by_test_id("pair-history")).to_contain_text(
        "ended the pair on the members' behalf"
    )
    screenshot(page, "health-actions-08-ended")
    told = {m.to[0]: m.body for m in mail.outbox}
    assert "Your programme admin has ended" in told["emma@example.com"]
    assert "cannot find the time" not in told["emma@example.com"] + told["farid@example.com"]

    # Emma reads that the programme admin ended it, not why.
    emma = new_context().new_page()
    browser_login(emma, "emma@example.com", PASSWORD)
    emma.goto(f"/pairing/pairs/{pair.pk}/")
    expect(emma.get_by_test_id("end-reason")).to_have_text("Your programme admin ended this pair.")
    assert "cannot find the time" not in emma.content()
    screenshot(emma, "health-actions-09-member-sees-ended")
