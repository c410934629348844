"""The participants' details of Step 8, in Chromium: both partners' local times while
scheduling (with the out-of-hours tick), the log form of a session whose time has come,
ledger items as a screen reader reads them, the balance in two charts, the browser's time
zone as the default, and the skills autocomplete on Enter."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from feedback.services.ledger import benefit_item_record
from feedback.services.metrics import metrics_compute
from mentoring.models import User
from pairing.models import MentoringSession, SessionRole
from pairing.services.sessions import session_log_past, session_schedule
from programmes.models import Participant, Skill
from tests.conftest import ARTIFACTS, browser_login
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
def ana_and_ben():
    programme = ProgrammeFactory(name="Reciprocal mentoring 2030")
    cohort = CohortFactory(programme=programme)
    ana = ParticipantFactory(
        cohort=cohort,
        user=UserFactory(
            email="ana@details.example",
            first_name="Ana",
            last_name="Silva",
            time_zone="Europe/London",
        ),
    )
    ben = ParticipantFactory(
        cohort=cohort,
        user=UserFactory(
            email="ben@details.example",
            first_name="Ben",
            last_name="Carter",
            time_zone="America/New_York",
        ),
    )
    return make_pair(ana, ben), ana, ben


def test_the_schedule_form_shows_both_local_times_live_and_asks_to_confirm_early_slots(
    page, new_context, screenshot, ana_and_ben
):
    pair, ana, ben = ana_and_ben
    browser_login(page, ana.email, PASSWORD)
    page.goto(f"/pairing/pairs/{pair.pk}/sessions/new/")
    preview = page.get_by_test_id("slot-preview")
    tick = page.get_by_label("Schedule it anyway: this time is outside 08:00–20:00 for one of us")
    expect(preview).to_have_text("Choose a date and time to see it in each of your time zones.")
    expect(tick).to_be_hidden()
    when = page.get_by_label("Date and time")

    # 20 March 2030: New York has moved its clocks (10 March), London not yet (31 March).
    when.fill("2030-03-20T12:30")
    expect(preview).to_have_text(
        "Wed 20 Mar 12:30 for you (Europe/London) · 08:30 for Ben (America/New_York)"
    )
    expect(tick).to_be_hidden()
    # A fortnight later both are on summer time, five hours apart again: 07:30 for Ben.
    when.fill("2030-04-03T12:30")
    expect(preview).to_have_text(
        "Wed 3 Apr 12:30 for you (Europe/London) · 07:30 for Ben (America/New_York)"
        " — outside 08:00–20:00 for Ben"
    )
    expect(tick).to_be_visible()
    # In autumn London goes back first (27 October), New York a week later (3 November).
    when.fill("2030-10-30T12:30")
    expect(preview).to_have_text(
        "Wed 30 Oct 12:30 for you (Europe/London) · 08:30 for Ben (America/New_York)"
    )
    when.fill("2030-11-06T12:30")
    expect(preview).to_contain_text("07:30 for Ben (America/New_York) — outside 08:00–20:00")
    # The length counts: an hour from 19:30 ends after 20:00 for Ana.
    when.fill("2030-04-03T19:30")
    expect(preview).to_contain_text("— outside 08:00–20:00 for you")
    when.fill("2030-04-03T12:30")
    screenshot(page, "step8-01-schedule-out-of-hours")

    # Without the tick the server refuses, next to the tick, with the same line.
    page.get_by_role("button", name="Schedule").click()
    # The line shows next to the tick (and once more in the error summary at the top).
    expect(
        page.locator("[data-out-of-hours-confirm]").get_by_text(
            "This time is outside 08:00–20:00 for Ben. Tick the box"
        )
    ).to_be_visible()
    expect(preview).to_contain_text("07:30 for Ben (America/New_York)")
    assert not MentoringSession.objects.filter(pair=pair).exists()
    tick.check()
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_text("Session scheduled.")).to_be_visible()
    session = MentoringSession.objects.get(pair=pair)
    assert session.scheduled_start == dt.datetime(2030, 4, 3, 11, 30, tzinfo=dt.UTC)

    # Ben, rescheduling from New York, sees it from his side.
    other = new_context().new_page()
    other.set_default_timeout(15_000)
    browser_login(other, ben.email, PASSWORD)
    other.goto(f"/pairing/sessions/{session.pk}/reschedule/")
    expect(other.get_by_test_id("slot-preview")).to_have_text(
        "Wed 3 Apr 07:30 for you (America/New_York) · 12:30 for Ana (Europe/London)"
        " — outside 08:00–20:00 for you"
    )
    other.get_by_label("Date and time").fill("2030-04-03T10:00")
    expect(other.get_by_test_id("slot-preview")).to_have_text(
        "Wed 3 Apr 10:00 for you (America/New_York) · 15:00 for Ana (Europe/London)"
    )
    screenshot(other, "step8-02-reschedule-from-new-york")


def test_the_log_form_of_a_session_whose_time_has_come_fits_the_status(
    page, screenshot, ana_and_ben
):
    pair, ana, _ = ana_and_ben
    session = session_schedule(
        pair=pair,
        by=ana,
        scheduled_start=timezone.now() - dt.timedelta(hours=1),
        now=timezone.now() - dt.timedelta(days=1),
    )
    browser_login(page, ana.email, PASSWORD)
    page.goto(f"/pairing/sessions/{session.pk}/log/")
    # The form shows what fits the status (static/js/session-log.js): a reason only when the
    # session did not happen, a duration only when it did.
    log = page.get_by_test_id("log-form")
    reason = page.get_by_label("Reason (cancelled or no-show)")
    minutes = page.get_by_label("How long did you meet? (minutes)")
    expect(reason).to_be_hidden()
    log.get_by_role("radio", name="Cancelled").check()
    expect(reason).to_be_visible()
    expect(minutes).to_be_hidden()
    log.get_by_role("radio", name="We met").check()
    expect(minutes).to_be_visible()


def test_ledger_items_read_as_sentences_and_the_balance_has_two_charts(
    page, screenshot, ana_and_ben
):
    pair, ana, ben = ana_and_ben
    for days, mentor, mentee in ((20, ana, ben), (10, ben, ana), (3, ana, ben)):
        session_log_past(
            pair=pair,
            by=ana,
            scheduled_start=timezone.now() - dt.timedelta(days=days),
            actual_minutes=90 if mentor == ana else 45,
            roles={mentor.pk: SessionRole.MENTOR, mentee.pk: SessionRole.MENTEE},
        )
    on = timezone.localdate() - dt.timedelta(days=2)
    benefit_item_record(
        pair=pair,
        by=ben,
        giver=ana,
        receiver=ben,
        kind="introduction",
        description="Introduced Ben to the data team lead",
        occurred_on=on,
    )
    metrics_compute(pair_ids=[pair.pk])
    browser_login(page, ana.email, PASSWORD)
    page.goto(f"/pairing/pairs/{pair.pk}/")

    # Waiting for Ana: "Ben recorded: you → Ben" to the eye, one sentence to a screen reader.
    item = page.get_by_test_id("awaiting-me").get_by_test_id("ledger-item")
    expect(item.get_by_test_id("ledger-who")).to_contain_text("Ben recorded: you → Ben")
    tree = item.aria_snapshot()
    when = f"{on.day} {on:%b %Y}"
    assert f"Ben recorded that you gave Ben an introduction on {when}." in tree
    assert "→" not in tree and "recorded:" not in tree

    # Two charts, each with its own axis: hours, and whole numbers of items.
    page.wait_for_function("() => window.Chart && Chart.getChart('pair-balance-items')")
    axes = page.evaluate(
        """() => ['pair-balance-hours', 'pair-balance-items'].map((id) => {
            const chart = Chart.getChart(id);
            return [chart.options.scales.y.title.text, chart.data.labels,
                    chart.data.datasets.map((d) => d.data)];
        })"""
    )
    assert axes == [
        ["Hours", ["As mentor", "As mentee"], [[3, 0.8], [0.8, 3]]],
        ["Items", ["You", "Ben"], [[0, 0]]],  # the introduction is not confirmed yet
    ]
    table = page.get_by_test_id("pair-balance-table")
    expect(table.locator("tbody tr").first).to_have_text(re.compile(r"You\s*3\.0\s*0\.8\s*0"))
    page.get_by_test_id("pair-balance").scroll_into_view_if_needed()
    screenshot(page, "step8-03-ledger-and-balance")
    # Close-ups of the two parts, for a human look.
    page.get_by_test_id("pair-balance").screenshot(path=ARTIFACTS / "step8-03a-balance.png")
    item.screenshot(path=ARTIFACTS / "step8-03b-ledger-item.png")
    page.goto(f"/feedback/pairs/{pair.pk}/ledger/")
    expect(page.get_by_test_id("ledger-who")).to_contain_text("Ben recorded: you → Ben")
    screenshot(page, "step8-04-ledger-page")


# --- the browser's time zone as the default ---------------------------------------------------------
def test_sign_up_and_profiles_start_on_the_browsers_time_zone(new_context, screenshot, world):
    context = new_context(timezone_id="Asia/Tokyo")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/signup/")
    zone = page.get_by_label("Your time zone")
    expect(zone).to_have_value("Asia/Tokyo")
    expect(page.get_by_test_id("browser-time-zone-note")).to_have_text(
        "Set to your browser’s time zone, Asia/Tokyo. Change it if that is not where you are."
    )
    page.get_by_label("First name").fill("Aiko")
    page.get_by_label("Last name").fill("Tanaka")
    page.get_by_label("Email").fill("aiko@example.com")
    page.locator("#id_password1").fill("Reciprocal-2026!")
    page.get_by_label("Password (again)").fill("Reciprocal-2026!")
    screenshot(page, "step8-05-signup-browser-zone")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_text("Confirmation email sent to aiko@example.com.")).to_be_visible()
    assert User.objects.get(email="aiko@example.com").time_zone == "Asia/Tokyo"

    # A member still on UTC (their account and their programme profile): both pages
    # suggest the browser's zone; saving stores it.
    member = world.member
    page.context.clear_cookies()
    browser_login(page, member.email, PASSWORD)
    page.goto(f"/programmes/my/{member.pk}/profile/")
    expect(page.get_by_label("Your time zone")).to_have_value("Asia/Tokyo")
    expect(page.get_by_test_id("browser-time-zone-note")).to_be_visible()
    screenshot(page, "step8-06-participant-profile-browser-zone")
    page.goto("/accounts/profile/")
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile was saved.")).to_be_visible()
    member.user.refresh_from_db()
    assert member.user.time_zone == "Asia/Tokyo"

    # A zone someone chose is never replaced.
    Participant.objects.filter(pk=member.pk).update(time_zone="Europe/Paris")
    page.goto(f"/programmes/my/{member.pk}/profile/")
    expect(page.get_by_label("Your time zone")).to_have_value("Europe/Paris")
    expect(page.get_by_test_id("browser-time-zone-note")).to_have_count(0)


def test_without_javascript_sign_up_still_works_and_keeps_utc(new_context):
    page = new_context(timezone_id="Asia/Tokyo", java_script_enabled=False).new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/signup/")
    expect(page.get_by_label("Your time zone")).to_have_value("UTC")
    page.get_by_label("First name").fill("Noor")
    page.get_by_label("Last name").fill("Haddad")
    page.get_by_label("Email").fill("noor@example.com")
    page.locator("#id_password1").fill("Reciprocal-2026!")
    page.get_by_label("Password (again)").fill("Reciprocal-2026!")
    page.get_by_label("Your time zone").select_option("Asia/Amman")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_text("Confirmation email sent to noor@example.com.")).to_be_visible()
    assert User.objects.get(email="noor@example.com").time_zone == "Asia/Amman"


# --- the skills autocomplete ------------------------------------------------------------------
def test_enter_picks_the_only_suggestion_and_the_arrows_pick_among_several(page, screenshot, world):
    member = world.member
    for name in ("Python", "Public speaking", "Negotiation", "Data analysis", "Data privacy"):
        Skill.objects.create(programme=world.programme, name=name)
    browser_login(page, member.email, PASSWORD)
    page.goto(f"/programmes/my/{member.pk}/profile/")
    expect(page.locator('select[data-skills-autocomplete="ready"]')).to_have_count(2)
    offers = page.get_by_role("combobox", name="Skills you can offer")
    suggestions = page.get_by_role("listbox", name="Skills you can offer")
    expect(offers).to_have_attribute("aria-expanded", "false")

    # One suggestion: Enter adds it and does not submit the form.
    offers.fill("pyth")
    expect(suggestions.get_by_role("option")).to_have_text(["Python"])
    expect(offers).to_have_attribute("aria-expanded", "true")
    screenshot(page, "step8-07-autocomplete-one-suggestion")
    offers.press("Enter")
    expect(page.get_by_role("button", name="Remove Python")).to_be_visible()
    expect(offers).to_have_value("")
    expect(offers).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_text("Python added.")).to_be_visible()
    assert not member.skills_offered.exists()  # nothing was submitted

    # Several: Enter alone adds nothing; the arrows move a highlight the box points at.
    offers.fill("data")
    expect(suggestions.get_by_role("option")).to_have_text(["Data analysis", "Data privacy"])
    offers.press("Enter")
    expect(page.get_by_text("“data” matches 2 skills: choose one")).to_be_visible()
    expect(page.get_by_role("button", name="Remove Data analysis")).to_have_count(0)
    offers.press("ArrowDown")
    offers.press("ArrowDown")
    second = suggestions.get_by_role("option", name="Data privacy")
    expect(second).to_have_attribute("aria-selected", "true")
    option_id = second.get_attribute("id")
    expect(offers).to_have_attribute("aria-activedescendant", option_id)
    expect(offers).to_be_focused()
    screenshot(page, "step8-08-autocomplete-highlighted")
    offers.press("Enter")
    expect(page.get_by_role("button", name="Remove Data privacy")).to_be_visible()
    # Escape closes the list; what was chosen is no longer suggested.
    offers.fill("dat")
    expect(suggestions.get_by_role("option")).to_have_text(["Data analysis"])
    offers.press("Escape")
    expect(suggestions).to_be_hidden()
    expect(offers).to_have_attribute("aria-expanded", "false")
    # A click picks too.
    offers.fill("neg")
    suggestions.get_by_role("option", name="Negotiation").click()
    expect(page.get_by_role("button", name="Remove Negotiation")).to_be_visible()

    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile was saved.")).to_be_visible()
    assert sorted(s.name for s in member.skills_offered.all()) == [
        "Data privacy",
        "Negotiation",
        "Python",
    ]
