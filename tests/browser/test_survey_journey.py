"""A participant answers their programme's baseline survey in a real Chromium."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from feedback.models import Survey, SurveyResponse
from tests.conftest import browser_login
from tests.factories import CohortFactory, ParticipantFactory, ProgrammeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-Secret-123"
QUESTIONS = {
    "I feel engaged in my work": "4",
    "I am satisfied with this mentoring programme": "5",
    "I feel confident in my role": "3",
    "I feel valued by the organisation": "2",
    "I see myself still working here in two years": "4",
}


@pytest.fixture
def ana():
    programme = ProgrammeFactory(name="Reverse mentoring 2026", slug="reverse-2026")
    cohort = CohortFactory(programme=programme, name="Spring intake")
    user = UserFactory(email="ana@example.com", first_name="Ana", last_name="Silva")
    now = timezone.now()
    Survey.objects.create(
        programme=programme,
        wave="baseline",
        opens_at=now - dt.timedelta(hours=2),
        closes_at=now + dt.timedelta(days=20),
    )
    return ParticipantFactory(cohort=cohort, user=user)


def _choose(page, question: str, value: str) -> None:
    group = page.get_by_role("group", name=question)
    group.locator("label", has_text=re.compile(f"^{value}$")).click()


def test_a_participant_answers_the_baseline_survey(page, live_server, screenshot, ana):
    browser_login(page, "ana@example.com", PASSWORD)
    page.goto("/programmes/my/")
    card = page.get_by_test_id("open-surveys")
    expect(card).to_contain_text("The baseline survey is open until")
    screenshot(page, "survey-01-my-programme")
    card.get_by_role("link", name="Answer the baseline survey").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("baseline survey")
    expect(page.get_by_test_id("who-sees-survey")).to_contain_text("never see your answers")
    expect(page.get_by_text("Only you ever read this answer")).to_be_visible()
    # Words at both ends of each scale.
    engaged = page.get_by_role("group", name="I feel engaged in my work")
    expect(engaged.get_by_text("Not at all", exact=True)).to_be_visible()
    expect(engaged.get_by_text("Completely", exact=True)).to_be_visible()
    screenshot(page, "survey-02-form")

    # One question left out: the form says which, and keeps the others.
    for question, value in list(QUESTIONS.items())[:-1]:
        _choose(page, question, value)
    page.get_by_label("Anything else you want to say? (optional)").fill(
        "I still hesitate to speak first in meetings."
    )
    page.get_by_test_id("save-survey").click()
    stay = page.get_by_role("group", name="I see myself still working here in two years")
    expect(stay.get_by_text("Choose from 1 to 5.")).to_be_visible()
    expect(
        page.get_by_role("group", name="I feel valued by the organisation").get_by_role(
            "radio", name="2"
        )
    ).to_be_checked()
    screenshot(page, "survey-03-missing-answer")

    _choose(page, "I see myself still working here in two years", "4")
    page.get_by_test_id("save-survey").click()
    expect(page.get_by_text("Thank you: your answers are saved.")).to_be_visible()
    expect(page.get_by_test_id("open-surveys")).to_contain_text("you answered it")
    screenshot(page, "survey-04-thanks")
    response = SurveyResponse.objects.get(participant=ana)
    assert (response.engagement, response.valued, response.intent_to_stay) == (4, 2, 4)

    # Editable until the wave closes.
    page.get_by_role("link", name="Change my answers").click()
    expect(page.get_by_label("Anything else you want to say? (optional)")).to_have_value(
        "I still hesitate to speak first in meetings."
    )
    _choose(page, "I feel valued by the organisation", "3")
    page.get_by_role("button", name="Save my changes").click()
    expect(page.get_by_text("Thank you: your answers are saved.")).to_be_visible()
    response.refresh_from_db()
    assert response.valued == 3
