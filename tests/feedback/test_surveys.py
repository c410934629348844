"""Survey waves (baseline, midpoint, end) and a participant's answers."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Survey, SurveyResponse
from feedback.services.outcomes import survey_response_save, survey_wave_windows, surveys_schedule
from feedback.services.outcomes.surveys import OPEN_FOR
from mentoring.errors import RuleViolation
from programmes.models import Participant
from tests.factories import CohortFactory, ParticipantFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
ANSWERS = {
    "engagement": "4",
    "satisfaction": "5",
    "confidence": "3",
    "valued": "2",
    "intent_to_stay": "4",
    "private_text": "PRIVATE-SURVEY-TEXT-91",
}


def at(day: dt.date, hours: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hours), tzinfo=UTC)


def test_windows_follow_the_programme_dates():
    programme = ProgrammeFactory.build(starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31))
    windows = survey_wave_windows(programme)
    start, end = at(dt.date(2026, 1, 1)), at(dt.date(2027, 1, 1))
    mid = start + (end - start) / 2
    assert windows["baseline"] == (start, start + OPEN_FOR)
    assert windows["midpoint"] == (mid, mid + OPEN_FOR)
    assert windows["end"] == (end - dt.timedelta(days=14), end + dt.timedelta(days=14))


def test_a_very_short_programme_has_no_midpoint_wave():
    programme = ProgrammeFactory.build(starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 1, 7))
    windows = survey_wave_windows(programme)
    assert set(windows) == {"baseline", "end"}
    assert windows["baseline"][1] <= windows["end"][0]


def test_waves_are_created_while_running_when_their_window_opens():
    programme = ProgrammeFactory(starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31))
    draft = ProgrammeFactory(
        starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31), status="draft"
    )
    assert surveys_schedule(now=at(dt.date(2025, 12, 31))) == 0  # not started yet
    assert surveys_schedule(now=at(dt.date(2026, 1, 1), 9)) == 1
    assert surveys_schedule(now=at(dt.date(2026, 1, 2))) == 0  # idempotent
    baseline = Survey.objects.get(programme=programme)
    assert baseline.wave == "baseline"
    assert baseline.opens_at == at(dt.date(2026, 1, 1), 9)  # opens when it was created
    surveys_schedule(now=at(dt.date(2026, 7, 3)))
    surveys_schedule(now=at(dt.date(2026, 12, 20)))
    assert list(Survey.objects.filter(programme=programme).values_list("wave", flat=True)) == [
        "baseline",
        "midpoint",
        "end",
    ]
    assert not Survey.objects.filter(programme=draft).exists()


def test_a_baseline_created_late_stays_open_two_weeks():
    ProgrammeFactory(starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31))
    now = at(dt.date(2026, 1, 20))  # 19 days in: the 21-day window closes in two days
    surveys_schedule(now=now)
    baseline = Survey.objects.get()
    assert baseline.opens_at == now
    assert baseline.closes_at == now + dt.timedelta(days=14)


@pytest.fixture
def open_survey():
    programme = ProgrammeFactory()
    cohort = CohortFactory(programme=programme)
    me = ParticipantFactory(cohort=cohort)
    now = timezone.now()
    survey = Survey.objects.create(
        programme=programme,
        wave="baseline",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=10),
    )
    return survey, me


def _client_for(participant):
    from django.test import Client

    client = Client()
    client.force_login(participant.user)
    return client


def test_the_form_saves_once_per_wave_and_is_editable(open_survey):
    survey, me = open_survey
    client = _client_for(me)
    url = reverse("feedback:survey_answer", kwargs={"participant_id": me.pk, "wave": "baseline"})
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"<title>Baseline survey · {survey.programme.name} · Reciprocal mentoring</title>" in (
        html
    )
    for words in ("I feel engaged in my work", "Not at all", "Very likely", "Only you ever read"):
        assert words in html
    assert client.post(url, ANSWERS).status_code == 302
    client.post(url, {**ANSWERS, "engagement": "1"})
    response = SurveyResponse.objects.get()
    assert (response.engagement, response.satisfaction, response.intent_to_stay) == (1, 5, 4)
    assert response.private_text == "PRIVATE-SURVEY-TEXT-91"
    # The author sees their own answers again, their free text included.
    again = client.get(url).content.decode()
    assert "PRIVATE-SURVEY-TEXT-91" in again and "Save my changes" in again


def test_every_score_is_required_and_1_to_5(open_survey):
    survey, me = open_survey
    client = _client_for(me)
    url = reverse("feedback:survey_answer", kwargs={"participant_id": me.pk, "wave": "baseline"})
    missing = client.post(url, {**ANSWERS, "confidence": ""})
    assert missing.status_code == 200
    assert "Choose from 1 to 5." in missing.content.decode()
    out_of_range = client.post(url, {**ANSWERS, "valued": "6"})
    assert out_of_range.status_code == 200
    assert not SurveyResponse.objects.exists()


def test_a_closed_wave_is_shown_read_only_and_refuses_answers(open_survey):
    survey, me = open_survey
    Survey.objects.filter(pk=survey.pk).update(
        opens_at=timezone.now() - dt.timedelta(days=30),
        closes_at=timezone.now() - dt.timedelta(days=1),
    )
    client = _client_for(me)
    url = reverse("feedback:survey_answer", kwargs={"participant_id": me.pk, "wave": "baseline"})
    page = client.get(url).content.decode()
    assert 'data-testid="survey-closed"' in page and "<fieldset disabled>" in page
    refused = client.post(url, ANSWERS)
    assert refused.status_code == 200
    assert "This survey is closed" in refused.content.decode()
    assert not SurveyResponse.objects.exists()


def test_the_service_refuses_another_programme_and_people_not_taking_part(open_survey):
    survey, me = open_survey
    now = timezone.now()
    scores = dict(engagement=3, satisfaction=3, confidence=3, valued=3, intent_to_stay=3)
    stranger = ParticipantFactory()
    with pytest.raises(RuleViolation):
        survey_response_save(survey=survey, participant=stranger, now=now, **scores)
    Participant.objects.filter(pk=me.pk).update(status=Participant.Status.WITHDRAWN)
    me.refresh_from_db()
    with pytest.raises(RuleViolation):
        survey_response_save(survey=survey, participant=me, now=now, **scores)


def test_my_programme_lists_an_open_survey_and_then_thanks(open_survey):
    survey, me = open_survey
    client = _client_for(me)
    page = client.get(reverse("programmes:my_programme")).content.decode()
    assert "Answer the baseline survey" in page
    client.post(
        reverse("feedback:survey_answer", kwargs={"participant_id": me.pk, "wave": "baseline"}),
        ANSWERS,
    )
    page = client.get(reverse("programmes:my_programme")).content.decode()
    assert "you answered it" in page and "Change my answers" in page
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    assert (
        'data-testid="open-surveys"'
        not in client.get(reverse("programmes:my_programme")).content.decode()
    )


def test_an_unknown_wave_or_one_not_created_is_404(open_survey):
    survey, me = open_survey
    client = _client_for(me)
    for wave in ("midpoint", "nonsense"):
        url = reverse("feedback:survey_answer", kwargs={"participant_id": me.pk, "wave": wave})
        assert client.get(url).status_code == 404


def test_the_survey_reminder_invites_who_has_not_answered_and_stops_after(open_survey, settings):
    settings.SITE_BASE_URL = "https://mentoring.example"
    from feedback.reminders_survey import KIND, survey_render, survey_scan
    from mentoring.notifications.registry import kinds

    assert kinds()["survey"] is KIND  # registered from FeedbackConfig.ready()
    survey, me = open_survey
    answered = ParticipantFactory(cohort=me.cohort)
    ParticipantFactory(cohort=me.cohort, status=Participant.Status.WITHDRAWN)
    SurveyResponse.objects.create(
        survey=survey,
        participant=answered,
        engagement=3,
        satisfaction=3,
        confidence=3,
        valued=3,
        intent_to_stay=3,
    )
    dues = list(survey_scan(timezone.now()))
    assert [(d.recipient_id, d.due_at) for d in dues] == [(me.user_id, survey.opens_at)]
    due = dues[0]

    class FakeDelivery:  # what render reads of a Delivery row
        recipient = me.user
        context = due.context

    message = survey_render(FakeDelivery())
    assert "baseline survey" in message.subject
    assert f"/feedback/my/{me.pk}/surveys/baseline/" in message.link
    assert "never see your answers" in message.text
    SurveyResponse.objects.create(
        survey=survey,
        participant=me,
        engagement=3,
        satisfaction=3,
        confidence=3,
        valued=3,
        intent_to_stay=3,
    )
    assert survey_render(FakeDelivery()) is None  # answered meanwhile: skipped
