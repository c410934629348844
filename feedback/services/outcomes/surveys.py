"""Survey waves (baseline, midpoint, end) of a running programme and the answers to them.

The waves follow the programme's dates (``survey_wave_windows``): baseline opens on the
start date, midpoint half-way, end two weeks before the end date; each stays open three
weeks (end: until two weeks after the end date) and never overlaps the next. A wave is
created once the programme is running and its window has opened (``surveys_schedule``,
run by the survey reminder scan and hourly by beat), so a wave a programme started too
late for is not created at all. A participant answers once per wave and may change the
answers until the wave closes.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from django.db import transaction

from feedback.models import Survey, SurveyResponse
from feedback.outcome_models import SURVEY_SCORES
from mentoring.errors import RuleViolation
from programmes.models import Participant, Programme

Wave = Survey.Wave
OPEN_FOR = timedelta(days=21)
END_OPENS_BEFORE = timedelta(days=14)
END_CLOSES_AFTER = timedelta(days=14)
# A baseline created late (the programme started running after its start date) still
# stays open this long, up to the midpoint.
LATE_BASELINE_OPEN_FOR = timedelta(days=14)
# Who is asked: people taking part (not invitees who never joined, nor those who left).
RESPONDENT_STATUSES = (
    Participant.Status.ENROLLED,
    Participant.Status.PAIRED,
    Participant.Status.COMPLETED,
)


def _midnight(day) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def survey_wave_windows(programme: Programme) -> dict[str, tuple[datetime, datetime]]:
    """wave → (opens_at, closes_at) from the programme's dates; a wave with no room in a
    very short programme (its window would be empty) is left out."""
    start = _midnight(programme.starts_on)
    end = _midnight(programme.ends_on) + timedelta(days=1)  # the end date is included
    mid = start + (end - start) / 2
    end_opens = max(end - END_OPENS_BEFORE, mid)
    windows = {
        Wave.BASELINE: (start, min(start + OPEN_FOR, mid)),
        Wave.MIDPOINT: (mid, min(mid + OPEN_FOR, end_opens)),
        Wave.END: (end_opens, end + END_CLOSES_AFTER),
    }
    return {wave: (opens, closes) for wave, (opens, closes) in windows.items() if closes > opens}


def surveys_schedule(*, now: datetime, programme_ids: list[int] | None = None) -> int:
    """Create the waves of running programmes whose window is open at ``now``; idempotent.

    Returns how many waves were created.
    """
    programmes = Programme.objects.filter(status=Programme.Status.RUNNING)
    if programme_ids is not None:
        programmes = programmes.filter(pk__in=programme_ids)
    existing = set(
        Survey.objects.filter(programme__in=programmes).values_list("programme_id", "wave")
    )
    new = []
    for programme in programmes.only("pk", "starts_on", "ends_on"):
        windows = survey_wave_windows(programme)
        for wave, (opens, closes) in windows.items():
            if (programme.pk, wave) in existing or not opens <= now < closes:
                continue
            # Created late (the programme started running after the date): it opens
            # now, so that its invitation is sent now rather than never.
            opens = max(opens, now)
            if wave == Wave.BASELINE:
                limit = windows.get(Wave.MIDPOINT, (closes,))[0]
                closes = max(closes, min(now + LATE_BASELINE_OPEN_FOR, limit))
            new.append(Survey(programme=programme, wave=wave, opens_at=opens, closes_at=closes))
    return len(Survey.objects.bulk_create(new, ignore_conflicts=True))


def survey_is_open(survey: Survey, *, now: datetime) -> bool:
    return survey.opens_at <= now < survey.closes_at


@transaction.atomic
def survey_response_save(
    *,
    survey: Survey,
    participant: Participant,
    now: datetime,
    engagement: int,
    satisfaction: int,
    confidence: int,
    valued: int,
    intent_to_stay: int,
    private_text: str = "",
) -> SurveyResponse:
    """Create or update the participant's answers to an open wave of their programme."""
    if participant.cohort.programme_id != survey.programme_id:
        raise RuleViolation("This survey belongs to another programme.")
    if participant.status not in RESPONDENT_STATUSES:
        raise RuleViolation("Only people taking part in the programme answer its surveys.")
    if not survey_is_open(survey, now=now):
        raise RuleViolation(
            "This survey is closed: answers can no longer be given or changed."
            if now >= survey.closes_at
            else "This survey is not open yet."
        )
    scores = dict(
        zip(
            SURVEY_SCORES,
            (engagement, satisfaction, confidence, valued, intent_to_stay),
            strict=True,
        )
    )
    bad = {name: "Choose from 1 to 5." for name, value in scores.items() if not 1 <= value <= 5}
    if bad:
        raise RuleViolation(bad)
    response, _ = SurveyResponse.objects.update_or_create(
        survey=survey,
        participant=participant,
        defaults={**scores, "private_text": private_text.strip()},
    )
    return response
