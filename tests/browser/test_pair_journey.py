"""The pair's journey in Chromium: a past time is refused → log the session that already
happened → reflect → record a ledger item as one member, confirm it as the other (a second
browser) → the role strip has moved on.
"""

import datetime as dt
import re
import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from feedback.models import BenefitItem, Reflection
from feedback.services.goals import goal_create
from feedback.services.metrics import metrics_compute
from pairing.models import MentoringSession, PrivateNote, SessionRole
from pairing.services.sessions import session_log, session_schedule
from programmes.models import Programme, Skill
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
PRIVATE = "PRIVATE-JOURNEY I rushed the feedback part again"


@pytest.fixture
def pair_of_two():
    programme = ProgrammeFactory(name="Reciprocal mentoring 2026", kind=Programme.Kind.RECIPROCAL)
    cohort = CohortFactory(programme=programme, name="Spring intake")
    ana = ParticipantFactory(
        cohort=cohort,
        user=UserFactory(
            email="ana@journey.example",
            first_name="Ana",
            last_name="Silva",
            time_zone="Europe/London",
        ),
        job_title="Data analyst",
        department="Analytics",
    )
    ben = ParticipantFactory(
        cohort=cohort,
        user=UserFactory(
            email="ben@journey.example",
            first_name="Ben",
            last_name="Carter",
            time_zone="America/New_York",
        ),
        job_title="Sales director",
        department="Sales",
    )
    python = Skill.objects.create(programme=programme, name="Python")
    negotiation = Skill.objects.create(programme=programme, name="Negotiation")
    ana.skills_offered.add(python)
    ana.skills_wanted.add(negotiation)
    ben.skills_offered.add(negotiation)
    ben.skills_wanted.add(python)
    pair = make_pair(
        ana,
        ben,
        reasons=["Ana offers Python, which Ben wants", "Ben offers Negotiation, which Ana wants"],
    )
    # One session already held, with Ana (the first mentor) mentoring.
    first = session_schedule(
        pair=pair,
        by=ana,
        scheduled_start=timezone.now() - dt.timedelta(days=14),
        now=timezone.now() - dt.timedelta(days=15),  # scheduled the day before
    )
    session_log(
        session=first,
        by=ana,
        status=MentoringSession.Status.HELD,
        actual_minutes=60,
        roles={ana.pk: SessionRole.MENTOR, ben.pk: SessionRole.MENTEE},
        topics=["technical"],
        shared_notes="Started with pandas basics.",
    )
    goal_create(pair=pair, owner=ana, title="Negotiate my next pay review", progress=30)
    goal_create(pair=pair, owner=ben, title="Build my own sales dashboard", progress=50)
    return pair, ana, ben


def test_schedule_log_reflect_record_and_confirm(
    page, new_context, live_server, screenshot, pair_of_two
):
    pair, ana, ben = pair_of_two
    pair_url = f"/pairing/pairs/{pair.pk}/"

    browser_login(page, ana.email, PASSWORD)
    page.get_by_test_id("nav-my-pair").click()
    expect(page).to_have_url(re.compile(f"{pair_url}$"))
    strip = page.get_by_test_id("role-strip")
    expect(strip.locator(".turn")).to_have_count(1)
    expect(page.get_by_test_id("turn-headline")).to_have_text("Ben mentors")
    expect(page.get_by_test_id("turn-balance")).to_contain_text("You mentored 1 · Ben mentored 0")
    screenshot(page, "pair-journey-01-pair-page-before")

    # Scheduling a time two hours ago is refused, with the way to log it instead.
    page.get_by_test_id("schedule-session").click()
    when = (timezone.now() - dt.timedelta(hours=2)).astimezone(zoneinfo.ZoneInfo("Europe/London"))
    typed = when.strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Date and time").fill(typed)
    page.get_by_label("Duration (minutes)").fill("50")
    page.get_by_label("Place or video link").fill("https://meet.example/ana-ben")
    page.get_by_role("button", name="Schedule").click()
    expect(
        page.get_by_text("That time has passed: choose a time from now on.", exact=True)
    ).to_be_visible()
    assert MentoringSession.objects.filter(pair=pair).count() == 1  # nothing was created
    screenshot(page, "pair-journey-01b-past-time-refused")
    page.get_by_test_id("log-past-offer").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a session that already happened")
    expect(page.get_by_label("When did you meet?")).to_have_value(typed)

    # Ben's turn was planned: the roles come pre-filled; Ana adds topics and notes.
    log = page.get_by_test_id("log-past-form")
    expect(log.get_by_role("radio", name="Mentor").nth(1)).to_be_checked()
    expect(page.get_by_label("How long did you meet? (minutes)")).to_have_value("50")
    page.get_by_label("How long did you meet? (minutes)").fill("55")
    page.get_by_label("Network and visibility").check()
    page.get_by_label("Compensation").check()
    page.get_by_label("Shared notes").fill("Ben role-played my pay review with me.")
    page.get_by_label("My private note").fill(PRIVATE)
    screenshot(page, "pair-journey-02-log-form")
    page.get_by_test_id("save-log").click()

    # Straight on to the reflection.
    expect(page.get_by_role("heading", level=1)).to_have_text("Reflect on the session")
    form = page.get_by_test_id("reflection-form")
    for group, value in (
        ("I learned something", "5"),
        ("I was challenged", "4"),
        ("I was listened to and affirmed", "5"),
        ("Power was shared evenly", "4"),
    ):
        form.get_by_role("group", name=group).get_by_text(value, exact=True).click()
    page.get_by_label("What I learned").fill("Anchor high, then listen.")
    page.get_by_label("What I will do differently").fill(
        "Prepare three numbers before the meeting."
    )
    page.get_by_label("Share these two texts with my partner").check()
    screenshot(page, "pair-journey-03-reflection-form")
    page.get_by_test_id("save-reflection").click()
    expect(page).to_have_url(re.compile(f"{pair_url}$"))
    reflection = Reflection.objects.get(author=ana)
    assert (reflection.learned, reflection.challenged, reflection.share_with_partner) == (
        5,
        4,
        True,
    )

    # Ana records what Ben did for her.
    page.get_by_test_id("ledger-summary").get_by_test_id("record-item").click()
    page.get_by_label("My partner did this for me").check()
    page.get_by_label("What kind of thing?").select_option(label="Introduction")
    page.get_by_label("What happened").fill("Introduced me to the head of compensation.")
    page.get_by_test_id("save-item").click()
    expect(page.get_by_test_id("ledger-status").first).to_have_text("Awaiting confirmation")

    # Ben, in his own browser, sees the item waiting for him and confirms it.
    # (new_context: closed after the test, and watched for CSP violations like ``page``.)
    ben_page = new_context().new_page()
    ben_page.set_default_timeout(15_000)
    browser_login(ben_page, ben.email, PASSWORD)
    ben_page.goto(pair_url)
    waiting = ben_page.get_by_test_id("awaiting-me")
    expect(waiting).to_contain_text("Introduced me to the head of compensation.")
    expect(ben_page.get_by_text(PRIVATE)).to_have_count(0)  # Ana's note is hers alone
    ben_page.get_by_test_id("confirm-item").click()
    expect(ben_page.get_by_text("Confirmed. Thank you")).to_be_visible()
    screenshot(ben_page, "pair-journey-04-ledger-confirmed")
    assert BenefitItem.objects.get().status == BenefitItem.Status.CONFIRMED

    # Back on Ana's page: two turns on the strip, one each, and the confirmed item counts.
    metrics_compute(pair_ids=[pair.pk])  # what the worker does a minute after each change
    page.goto(pair_url)
    expect(strip.locator(".turn")).to_have_count(2)
    expect(strip.locator(".turn.side-b")).to_have_text("BC")
    expect(page.get_by_test_id("role-strip-text")).to_contain_text("Ben mentored")
    expect(page.get_by_test_id("turn-headline")).to_have_text("Your turn to mentor")
    expect(page.get_by_test_id("turn-balance")).to_contain_text("You mentored 1 · Ben mentored 1")
    expect(page.get_by_test_id("items-received-0")).to_have_text("1")
    expect(page.get_by_test_id("my-private-note")).to_contain_text(PRIVATE)
    expect(page.get_by_test_id("pair-balance-sentence")).to_be_visible()
    screenshot(page, "pair-journey-05-pair-page-after")
    page.goto(f"/feedback/pairs/{pair.pk}/ledger/")
    screenshot(page, "pair-journey-06-ledger")

    session = MentoringSession.objects.filter(status="held").order_by("-scheduled_start").first()
    roles = dict(session.participations.values_list("participant_id", "role"))
    assert roles == {ana.pk: SessionRole.MENTEE, ben.pk: SessionRole.MENTOR}
    assert PrivateNote.objects.get(session=session, author=ana).text == PRIVATE
