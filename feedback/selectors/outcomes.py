"""Reads of the outcome pages: a participant's open surveys, a programme's outcome data in
counts only (never a person's answers, events or the free-text answer)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count

from feedback.models import ComparisonCount, OutcomeEvent, OutcomeImport, Survey, SurveyResponse
from feedback.services.outcomes.surveys import RESPONDENT_STATUSES
from mentoring.privacy import count_shown
from programmes.models import Participant, Programme


@dataclass(frozen=True)
class OpenSurvey:
    survey: Survey
    answered: bool


def surveys_open_for(*, participant: Participant, now: datetime) -> list[OpenSurvey]:
    """The waves of the participant's programme open now, and whether they answered (two
    queries). Nothing for invitees or people who withdrew."""
    if participant.status not in RESPONDENT_STATUSES:
        return []
    surveys = list(
        Survey.objects.filter(
            programme_id=participant.cohort.programme_id, opens_at__lte=now, closes_at__gt=now
        )
    )
    if not surveys:
        return []
    answered = set(
        SurveyResponse.objects.filter(participant=participant, survey__in=surveys).values_list(
            "survey_id", flat=True
        )
    )
    return [OpenSurvey(survey=s, answered=s.pk in answered) for s in surveys]


def survey_get_for_participant(*, participant: Participant, wave: str) -> Survey | None:
    return Survey.objects.filter(programme_id=participant.cohort.programme_id, wave=wave).first()


def response_of(*, survey: Survey, participant: Participant) -> SurveyResponse | None:
    """The participant's own answers (their free text included: for their own form only)."""
    return SurveyResponse.objects.filter(survey=survey, participant=participant).first()


# The counts below follow the HR pages' one rule, ``mentoring.privacy.count_shown``: a
# count of fewer than five people reads "fewer than 5". None of these counts add up to a
# shown total, so no hidden one can be worked out by subtraction.


@dataclass(frozen=True)
class WaveSummary:
    survey: Survey
    responses: str


def outcomes_summary(*, programme: Programme) -> dict:
    """Counts of the programme's outcome data for its admins and HR viewers (five queries),
    each under five people shown as "fewer than 5"."""
    waves = [
        WaveSummary(survey=s, responses=count_shown(s.n))
        for s in Survey.objects.filter(programme=programme).annotate(n=Count("responses"))
    ]
    respondents = Participant.objects.filter(
        cohort__programme=programme, status__in=RESPONDENT_STATUSES, user__isnull=False
    ).count()
    by_kind = dict(
        OutcomeEvent.objects.filter(participant__cohort__programme=programme)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    events = [
        (label, count_shown(by_kind.get(kind, 0))) for kind, label in OutcomeEvent.Kind.choices
    ]
    comparison = list(
        ComparisonCount.objects.filter(programme=programme).values(
            "period_start", "period_end", "department", "headcount", "leavers", "promotions"
        )
    )
    imports = list(
        OutcomeImport.objects.filter(programme=programme).select_related("created_by")[:10]
    )
    return {
        "waves": waves,
        "respondents": count_shown(respondents),
        "events": events,
        "comparison": comparison,
        "imports": imports,
    }
