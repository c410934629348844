"""Outcomes: survey waves and answers, career outcome events (read by the metrics and the
HR dashboard), and the organisation's comparison figures.

- ``surveys``: the three waves of a running programme (``surveys_schedule``), who is asked,
  and a participant's answers (``survey_response_save``).
- ``events``: which outcome events count as positive in the benefit score.

The CSV imports of outcome events and comparison figures are ``feedback.imports``.
"""

from .events import POSITIVE_KINDS, outcome_is_positive
from .surveys import (
    RESPONDENT_STATUSES,
    survey_response_save,
    survey_wave_windows,
    surveys_schedule,
)

__all__ = [
    "POSITIVE_KINDS",
    "RESPONDENT_STATUSES",
    "outcome_is_positive",
    "survey_response_save",
    "survey_wave_windows",
    "surveys_schedule",
]
