"""Reflections, goals, the benefit ledger, structured asks, retrospectives and metrics."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from pairing.models import MentoringSession, Pair
from programmes.models import Participant, Programme

RATING = [MinValueValidator(1), MaxValueValidator(5)]


class Reflection(models.Model):
    """One side's reflection on a session. Ratings are 1–5."""

    session = models.ForeignKey(
        MentoringSession, on_delete=models.CASCADE, related_name="reflections"
    )
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="reflections")
    learned = models.PositiveSmallIntegerField(validators=RATING, help_text="What I learned")
    challenged = models.PositiveSmallIntegerField(validators=RATING, help_text="I was challenged")
    listened = models.PositiveSmallIntegerField(
        validators=RATING, help_text="I was listened to and affirmed"
    )
    power_shared = models.PositiveSmallIntegerField(
        validators=RATING, help_text="Power was shared evenly"
    )
    learned_text = models.TextField(blank=True)
    change_text = models.TextField(blank=True)
    share_with_partner = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "author"], name="reflection_unique"),
            models.CheckConstraint(
                condition=Q(learned__gte=1, learned__lte=5)
                & Q(challenged__gte=1, challenged__lte=5)
                & Q(listened__gte=1, listened__lte=5)
                & Q(power_shared__gte=1, power_shared__lte=5),
                name="reflection_ratings_1_5",
            ),
        ]
        indexes = [models.Index(fields=["author"])]

    def __str__(self) -> str:
        return f"Reflection {self.pk} on session {self.session_id}"


class Goal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "In progress"
        ACHIEVED = "achieved", "Achieved"
        DROPPED = "dropped", "Dropped"

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="goals")
    owner = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="pair_goals")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    progress = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(100)], help_text="Percent, 0–100."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    due_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["status", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="goal_progress_0_100"
            )
        ]
        indexes = [models.Index(fields=["pair", "owner"])]

    def __str__(self) -> str:
        return self.title


class GoalProgress(models.Model):
    """History of a goal's progress and status."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="history")
    progress = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=Goal.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.goal} → {self.progress}%"


class GoalComment(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.goal}"


class Ask(models.Model):
    """A structured ask (reverse programmes): the junior side asks the senior side."""

    class Kind(models.TextChoices):
        LEARNING_FROM_ME = "learning", "What are you learning from me, and how has it changed you?"
        HELP_ME = "help", "What can you do to help me?"
        ADVOCATE = "advocate", "Would you advocate for me in …?"
        INTRODUCE = "introduce", "Would you introduce me to …?"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        FULFILLED = "fulfilled", "Fulfilled"
        DECLINED = "declined", "Declined"

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="asks")
    asked_by = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    detail = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        # Not the detail: this label shows wherever the ask is named (the Django admin too).
        return f"Ask {self.pk}: {self.get_kind_display()}"


class BenefitItem(models.Model):
    """Something one side did for the other. Counts in metrics only once confirmed."""

    class Kind(models.TextChoices):
        INTRODUCTION = "introduction", "Introduction"
        ADVOCACY = "advocacy", "Advocacy / sponsorship"
        STRETCH = "stretch", "Stretch assignment"
        VISIBILITY = "visibility", "Credit / visibility given"
        RESOURCE = "resource", "Resource shared"
        FEEDBACK = "feedback", "Feedback given"
        ASK_FULFILLED = "ask_fulfilled", "Fulfilled ask"

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        DISPUTED = "disputed", "Disputed"

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="benefit_items")
    giver = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="items_given")
    receiver = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="items_received"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.CharField(max_length=500)
    occurred_on = models.DateField()
    ask = models.ForeignKey(
        Ask, on_delete=models.SET_NULL, null=True, blank=True, related_name="benefit_items"
    )
    recorded_by = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    responded_at = models.DateTimeField(null=True, blank=True)
    dispute_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(giver=models.F("receiver")), name="benefit_giver_not_receiver"
            ),
            # A fulfilled ask becomes exactly one item, whatever two racing answers do.
            models.UniqueConstraint(
                fields=["ask"], condition=Q(ask__isnull=False), name="benefit_item_one_per_ask"
            ),
        ]
        indexes = [
            models.Index(fields=["pair", "status"]),
            models.Index(fields=["receiver", "status"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        # Not the description: it may quote an ask's answer, and this label shows wherever
        # the item is named (the Django admin too).
        return f"{self.get_kind_display()} in pair {self.pair_id}"


class PairRetrospective(models.Model):
    """A short retrospective by one side when the pair completes."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="retrospectives")
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pair", "author"], name="retrospective_unique")
        ]

    def __str__(self) -> str:
        return f"Retrospective by {self.author}"


class SideMetric(models.Model):
    """Per-pair, per-side benefit figures, computed by Celery. Pages only read these."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="side_metrics")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    sessions_as_mentor = models.PositiveIntegerField(default=0)
    minutes_as_mentor = models.PositiveIntegerField(default=0)
    sessions_as_mentee = models.PositiveIntegerField(default=0)
    minutes_as_mentee = models.PositiveIntegerField(default=0)
    learned_mean = models.FloatField(null=True, blank=True, help_text="1–5")
    challenged_mean = models.FloatField(null=True, blank=True, help_text="1–5")
    listened_mean = models.FloatField(null=True, blank=True, help_text="1–5")
    power_shared_mean = models.FloatField(null=True, blank=True, help_text="1–5")
    goal_progress_mean = models.FloatField(null=True, blank=True, help_text="0–100")
    goals_achieved = models.PositiveIntegerField(default=0)
    items_received = models.PositiveIntegerField(default=0)
    items_given = models.PositiveIntegerField(default=0)
    items_received_by_kind = models.JSONField(default=dict, blank=True)
    items_given_by_kind = models.JSONField(default=dict, blank=True)
    outcomes = models.JSONField(default=dict, blank=True)
    benefit_score = models.FloatField(default=0.0, help_text="0–1")
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pair", "participant"], name="side_metric_unique")
        ]

    def __str__(self) -> str:
        return f"Metrics of {self.participant} in pair {self.pair_id}"


class PairMetric(models.Model):
    """Pair-level figures and health flags, computed by Celery."""

    pair = models.OneToOneField(Pair, on_delete=models.CASCADE, related_name="metric")
    sessions_held = models.PositiveIntegerField(default=0)
    last_session_at = models.DateTimeField(null=True, blank=True)
    role_balance = models.FloatField(null=True, blank=True, help_text="0–1, min/max mentor minutes")
    reciprocity_index = models.FloatField(
        null=True, blank=True, help_text="0–1, 1 = both sides benefit equally"
    )
    stalled = models.BooleanField(default=False)
    lopsided = models.BooleanField(default=False)
    one_way = models.BooleanField(default=False)
    unconfirmed_items = models.PositiveIntegerField(
        default=0, help_text="Ledger items pending for more than 14 days."
    )
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["lopsided"]),
            models.Index(fields=["stalled"]),
            models.Index(fields=["reciprocity_index"]),
        ]

    def __str__(self) -> str:
        return f"Metrics of pair {self.pair_id}"


class PairMetricsOwed(models.Model):
    """A refresh this pair's metrics are owed: written in the same transaction as the write
    that changed them (``pair_metrics_changed``), removed by the refresh as it starts.

    The debounced task normally pays it within a minute. A task lost with the broker (a
    worker holds its delayed tasks in memory, and a dropped connection discards them)
    leaves the row behind: the sweep (``metrics_refresh_owed``, beat every minute)
    re-queues refreshes owed for longer than the debounce window. The database is the
    record; the broker and the cache only carry it.
    """

    pair = models.OneToOneField(Pair, on_delete=models.CASCADE, primary_key=True, related_name="+")
    since = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Metrics of pair {self.pair_id} owed since {self.since:%Y-%m-%d %H:%M}"


class MetricsRecompute(models.Model):
    """An admin's "Recompute now" of one programme's pair metrics, and how far it got.

    The worker counts ``done`` of ``total`` pairs as it goes, chunk by chunk; the pair-health
    page polls it and reloads the figures when it is done. One queued or running per
    programme at a time (``feedback.services.metrics.recompute``).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    ACTIVE_STATUSES = (Status.QUEUED, Status.RUNNING)

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0, help_text="Pairs computed so far.")
    total = models.PositiveIntegerField(default=0, help_text="Pairs to compute.")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["programme", "-created_at"])]

    def __str__(self) -> str:
        return f"Metrics recompute {self.pk} of programme {self.programme_id} ({self.status})"

    @property
    def percent(self) -> int:
        """0–100, rounded down (100 only once every pair is done)."""
        if self.status == self.Status.DONE:
            return 100
        return 0 if not self.total else min(99, 100 * self.done // self.total)


# Surveys, outcome events and the comparison group live in their own module (size).
from .outcome_models import (  # noqa: E402
    ComparisonCount,
    OutcomeEvent,
    OutcomeImport,
    Survey,
    SurveyResponse,
)

__all__ = [
    "Ask",
    "BenefitItem",
    "ComparisonCount",
    "Goal",
    "GoalComment",
    "GoalProgress",
    "MetricsRecompute",
    "PairMetricsOwed",
    "OutcomeEvent",
    "OutcomeImport",
    "PairMetric",
    "PairRetrospective",
    "Reflection",
    "SideMetric",
    "Survey",
    "SurveyResponse",
]
