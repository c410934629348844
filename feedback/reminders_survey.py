"""``survey``: the invitation to answer a survey wave, when it opens and a week later to
those who have not answered yet (``mentoring.notifications``; registered from
``FeedbackConfig.ready()``).

The scan first creates the waves that are due (``surveys_schedule``: idempotent, a few
queries), then, per programme and offset, asks for the waves whose opening lies in the
offset's window and yields one Due per participant taking part who has not answered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef
from django.urls import reverse

from feedback.models import Survey, SurveyResponse
from feedback.services.outcomes import RESPONDENT_STATUSES, surveys_schedule
from mentoring.notifications.registry import Due, Kind, RenderedMessage, register
from programmes.models import Participant
from programmes.reminder_kinds.common import SCAN_CHUNK, absolute, reminder_message, windows

if TYPE_CHECKING:
    from mentoring.notifications.models import Delivery

CODE = "survey"


def _unanswered(survey_id) -> object:
    return Participant.objects.filter(status__in=RESPONDENT_STATUSES, user__isnull=False).exclude(
        Exists(SurveyResponse.objects.filter(survey_id=survey_id, participant=OuterRef("pk")))
    )


def survey_scan(now: dt.datetime) -> Iterator[Due]:
    surveys_schedule(now=now)
    for window in windows(code=CODE, now=now):
        surveys = Survey.objects.filter(
            programme_id=window.programme_id,
            opens_at__gt=window.low,
            opens_at__lte=window.high,
            closes_at__gt=now,
        ).values_list("pk", "opens_at")
        for survey_id, opens_at in surveys:
            people = (
                _unanswered(survey_id)
                .filter(cohort__programme_id=window.programme_id)
                .values_list("user_id", "pk")
                .order_by()
            )
            for user_id, participant_id in people.iterator(chunk_size=SCAN_CHUNK):
                yield Due(
                    recipient_id=user_id,
                    object_key=f"survey:{survey_id}:{participant_id}",
                    due_at=opens_at + window.offset,
                    programme_id=window.programme_id,
                    context={
                        "survey_id": survey_id,
                        "participant_id": participant_id,
                        "nth": window.nth,
                    },
                )


def survey_render(delivery: Delivery) -> RenderedMessage | None:
    """None once answered or closed, or when the person no longer takes part."""
    from django.utils import timezone

    user = delivery.recipient
    context = delivery.context or {}
    survey = Survey.objects.filter(pk=context.get("survey_id")).select_related("programme").first()
    if survey is None or user is None or not survey.opens_at <= timezone.now() < survey.closes_at:
        return None
    me = (
        _unanswered(survey.pk)
        .filter(pk=context.get("participant_id"), user=user, cohort__programme=survey.programme)
        .first()
    )
    if me is None:
        return None
    wave = survey.get_wave_display().lower()
    link = absolute(
        reverse("feedback:survey_answer", kwargs={"participant_id": me.pk, "wave": survey.wave})
    )
    nth = int(context.get("nth", 1))
    return reminder_message(
        code=CODE,
        subject=(
            f"Reminder: the {wave} survey of {survey.programme.name}"
            if nth > 1
            else f"Two minutes: the {wave} survey of {survey.programme.name}"
        ),
        link=link,
        zone_name=user.time_zone,
        context={
            "me": me,
            "programme": survey.programme,
            "wave": wave,
            "closes_at": survey.closes_at,
            "nth": nth,
        },
    )


KIND = Kind(
    code=CODE,
    label="Programme surveys",
    description="When a survey opens (start, middle and end of a programme), and a week "
    "later if you have not answered it.",
    default_offsets=(0, 168),
    scan=survey_scan,
    render=survey_render,
)


def survey_kind_register() -> None:
    register(KIND)
