"""Outcomes: surveys at three waves, career outcome events and the organisation's figures.

Imported into ``feedback.models`` (so Django finds them); read by the HR dashboard
(``insights``) in aggregates only:

- ``Survey`` / ``SurveyResponse``: a programme's baseline, midpoint and end surveys and
  each participant's 1–5 answers. ``SurveyResponse.private_text`` is read by its author
  only: never by an admin, HR, the Django admin, an export or an aggregate.
- ``OutcomeImport``: one applied CSV file (outcome events or comparison figures).
- ``OutcomeEvent``: a promotion, role change, pay change or departure of a participant.
- ``ComparisonCount``: organisation-wide headcount, leavers and promotions of one
  department over one period, set per programme against its participants.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from programmes.models import Participant, Programme

SURVEY_RATING = [MinValueValidator(1), MaxValueValidator(5)]
# The five 1–5 questions of every wave, in the order the form asks them.
SURVEY_SCORES = ("engagement", "satisfaction", "confidence", "valued", "intent_to_stay")


class Survey(models.Model):
    """One wave of a programme's survey; open from ``opens_at`` until ``closes_at``."""

    class Wave(models.TextChoices):
        BASELINE = "baseline", "Baseline"
        MIDPOINT = "midpoint", "Midpoint"
        END = "end", "End"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="surveys")
    wave = models.CharField(max_length=10, choices=Wave.choices)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField(help_text="Answers can be given and edited until then.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "opens_at"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "wave"], name="survey_one_per_wave"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="survey_closes_after_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_wave_display()} survey of programme {self.programme_id}"


class SurveyResponse(models.Model):
    """One participant's answers to one wave. Scores are 1–5 (5 = most).

    ``private_text`` is the free-text answer: only its author ever reads it (their own
    form). It is excluded from the Django admin, every admin and HR page and every export.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="survey_responses"
    )
    engagement = models.PositiveSmallIntegerField(
        validators=SURVEY_RATING, help_text="I feel engaged in my work"
    )
    satisfaction = models.PositiveSmallIntegerField(
        validators=SURVEY_RATING, help_text="I am satisfied with the programme"
    )
    confidence = models.PositiveSmallIntegerField(
        validators=SURVEY_RATING, help_text="I feel confident in my role"
    )
    valued = models.PositiveSmallIntegerField(
        validators=SURVEY_RATING, help_text="I feel valued by the organisation"
    )
    intent_to_stay = models.PositiveSmallIntegerField(
        validators=SURVEY_RATING, help_text="I intend to stay for the next two years"
    )
    private_text = models.TextField(blank=True, help_text="Read by its author only.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "participant"], name="survey_response_one_per_wave"
            ),
            models.CheckConstraint(
                condition=Q(engagement__gte=1, engagement__lte=5)
                & Q(satisfaction__gte=1, satisfaction__lte=5)
                & Q(confidence__gte=1, confidence__lte=5)
                & Q(valued__gte=1, valued__lte=5)
                & Q(intent_to_stay__gte=1, intent_to_stay__lte=5),
                name="survey_response_scores_1_5",
            ),
        ]
        indexes = [models.Index(fields=["participant"])]

    def __str__(self) -> str:
        return f"Survey response {self.pk}"


class OutcomeImport(models.Model):
    """One applied CSV file of outcome events or comparison figures (an audit of sources)."""

    class Kind(models.TextChoices):
        EVENTS = "events", "Outcome events"
        COMPARISON = "comparison", "Comparison group"

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="outcome_imports"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    file_name = models.CharField(max_length=255, blank=True)
    rows = models.PositiveIntegerField(default=0, help_text="Rows written.")
    skipped = models.PositiveIntegerField(default=0, help_text="Rows to fix, left out.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["programme", "kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import {self.pk}"


class OutcomeEvent(models.Model):
    """A career outcome of one participant, from an HR or admin CSV import.

    Promotions, role changes and pay rises count as positive outcomes in the benefit
    score and reciprocity index (``feedback.services.metrics``); leaving is set against
    the comparison group's leavers. ``pay_change_pct`` only for a pay change.
    """

    class Kind(models.TextChoices):
        PROMOTION = "promotion", "Promotion"
        ROLE_CHANGE = "role_change", "Role change"
        PAY_CHANGE = "pay_change", "Pay change"
        LEFT = "left", "Left the organisation"

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="outcome_events"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    occurred_on = models.DateField()
    pay_change_pct = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Percent change of pay (pay changes only), e.g. 4.5 or -2.",
    )
    source_import = models.ForeignKey(
        OutcomeImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "kind", "occurred_on"], name="outcome_event_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind="pay_change", pay_change_pct__isnull=False)
                | (~Q(kind="pay_change") & Q(pay_change_pct__isnull=True)),
                name="outcome_event_pay_pct_only_for_pay",
            ),
        ]
        indexes = [models.Index(fields=["participant", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of participant {self.participant_id}"


class ComparisonCount(models.Model):
    """Organisation-wide figures of one department over one period, for one programme.

    Retention and promotion of the programme's participants (by department) are set
    against these: leavers / headcount and promotions / headcount.
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="comparison_counts"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    department = models.CharField(max_length=120)
    headcount = models.PositiveIntegerField()
    leavers = models.PositiveIntegerField(default=0)
    promotions = models.PositiveIntegerField(default=0)
    source_import = models.ForeignKey(
        OutcomeImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comparison_counts",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "period_start", "department"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "period_start", "period_end", "department"],
                name="comparison_count_unique",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="comparison_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(leavers__lte=models.F("headcount"))
                & Q(promotions__lte=models.F("headcount")),
                name="comparison_counts_within_headcount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.period_start}–{self.period_end}"
