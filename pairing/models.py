"""Pairing runs, pairs and their members, and the sessions a pair holds."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from programmes.models import Cohort, Participant


class MatchRun(models.Model):
    """One run of the pairing engine over a cohort's unlocked participants."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Finished"
        FAILED = "failed", "Failed"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="match_runs")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    parameters = models.JSONField(default=dict, help_text="Snapshot of the rules used.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0, help_text="0–1")
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["cohort", "-created_at"])]

    def __str__(self) -> str:
        return f"Run {self.pk} on {self.cohort} ({self.status})"


class Pair(models.Model):
    """Two participants (three for a trio) who mentor each other."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        PUBLISHED = "published", "Published"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        ENDED_EARLY = "ended_early", "Ended early"

    LIVE_STATUSES = (Status.PUBLISHED, Status.ACTIVE)

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="pairs")
    match_run = models.ForeignKey(
        MatchRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="pairs"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    score = models.FloatField(default=0.0, help_text="Engine weight of the pair.")
    percent = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    # Never a demographic text: the members read these (pair page, "you have been paired").
    reasons = models.JSONField(default=list, blank=True)
    demographic_bonus = models.FloatField(
        default=0.0,
        help_text="Part of the score earned by the cross-gender and cross-generation "
        "weights, shown to admins only as one number; 0 once a member withdraws consent.",
    )
    locked = models.BooleanField(default=False)
    first_mentor = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(blank=True)
    end_requested_by = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set when a programme admin ended the pair on the members' behalf (then
    # ``end_requested_by`` is empty): the members read "ended by the programme admin".
    ended_by_admin = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-percent", "pk"]
        indexes = [models.Index(fields=["cohort", "status"])]

    def __str__(self) -> str:
        return f"Pair {self.pk} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        """The members' pair page. Feedback draws it (it shows mostly feedback's data: goals,
        ledger, asks, balance) at the address it always had, ``/pairing/pairs/<id>/``."""
        return reverse("feedback:pair_detail", kwargs={"pair_id": self.pk})


class PairMember(models.Model):
    """A participant's seat in a pair. ``current`` is true while the pair is proposed or live.

    The partial unique constraint on ``participant`` where ``current`` makes it
    impossible, at the database level, to put one person into two live pairs.
    """

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="members")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="pair_memberships"
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="0 = side A, 1 = side B, 2 = third member of a trio."
    )
    current = models.BooleanField(default=True)

    class Meta:
        ordering = ["pair", "position"]
        constraints = [
            models.UniqueConstraint(fields=["pair", "participant"], name="pair_member_unique"),
            models.UniqueConstraint(fields=["pair", "position"], name="pair_position_unique"),
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(current=True),
                name="participant_one_current_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} in pair {self.pair_id}"


class PairingExclusion(models.Model):
    """``participant`` does not want to be paired with ``excluded`` (an opt-out)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="exclusions"
    )
    excluded = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "excluded"], name="pairing_exclusion_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} excludes {self.excluded}"


class Topic(models.TextChoices):
    CAREER = "career", "Career advancement"
    COMPENSATION = "compensation", "Compensation"
    IDENTITY = "identity", "Professional identity"
    WORK_FAMILY = "work_family", "Work–family integration"
    CONFIDENCE = "confidence", "Personal confidence"
    SOFT_SKILLS = "soft_skills", "Soft skills"
    TECHNICAL = "technical", "Technical skills"
    NETWORK = "network", "Network and visibility"
    OTHER = "other", "Other"


class SessionRole(models.TextChoices):
    MENTOR = "mentor", "Mentor"
    MENTEE = "mentee", "Mentee"
    BOTH = "both", "Both"


class MentoringSession(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "No-show"

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="sessions")
    scheduled_start = models.DateTimeField()
    planned_minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    place = models.CharField(max_length=300, blank=True, help_text="Room, address or video link.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    planned_mentor = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Whose turn it was to mentor when scheduled (empty in split mode).",
    )
    cancel_reason = models.TextField(blank=True)
    actual_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(600)]
    )
    topics = models.JSONField(default=list, blank=True)
    topic_leads = models.JSONField(
        default=dict, blank=True, help_text="fluid mode: topic -> participant id who led"
    )
    shared_notes = models.TextField(blank=True)
    logged_at = models.DateTimeField(null=True, blank=True)
    logged_by = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["scheduled_start"]
        indexes = [
            models.Index(fields=["pair", "status", "scheduled_start"]),
            models.Index(fields=["status", "scheduled_start"]),
            # The reflect reminder's scan: held sessions by when they were logged.
            models.Index(fields=["status", "logged_at"]),
        ]

    def __str__(self) -> str:
        return f"Session {self.pk} of pair {self.pair_id} ({self.status})"

    def get_absolute_url(self) -> str:
        """The session's page, drawn by feedback (it shows the reflections) at
        ``/pairing/sessions/<id>/``, like the pair page."""
        return reverse("feedback:session_detail", kwargs={"session_id": self.pk})


class SessionParticipation(models.Model):
    """The role one side actually played in a held session."""

    session = models.ForeignKey(
        MentoringSession, on_delete=models.CASCADE, related_name="participations"
    )
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=SessionRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"], name="session_participation_unique"
            )
        ]
        indexes = [models.Index(fields=["participant", "role"])]

    def __str__(self) -> str:
        return f"{self.participant} as {self.role} in session {self.session_id}"


class PrivateNote(models.Model):
    """A note only its author ever sees: not the partner, admins, HR or Django admin lists."""

    session = models.ForeignKey(
        MentoringSession, on_delete=models.CASCADE, related_name="private_notes"
    )
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "author"], name="private_note_unique")
        ]

    def __str__(self) -> str:
        return f"Private note {self.pk}"


class SessionLogRevision(models.Model):
    """History of a session log: a snapshot of the shared fields before each edit."""

    session = models.ForeignKey(
        MentoringSession, on_delete=models.CASCADE, related_name="revisions"
    )
    edited_by = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    snapshot = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Revision {self.pk} of session {self.session_id}"


def calendar_token() -> str:
    """Kept for migration 0001, which names it as the old raw-token column's default."""
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A personal, secret, revocable calendar URL (iCalendar) for a user's sessions.

    Only the token's SHA-256 is stored (``mentoring.tokens``): the URL is shown once, when
    the feed is created, like an API key.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(
        max_length=64, unique=True, editable=False, help_text="SHA-256 (hex) of the URL's token."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"


# Admin notes and snoozed flags live in their own module to keep this one short; imported
# here so that ``pairing.models`` offers every model of the app.
from .admin_action_models import (  # noqa: E402, F401
    ADMIN_NOTE_MAX_LENGTH,
    SNOOZE_REASON_MAX_LENGTH,
    AdminNote,
    FlagSnooze,
)
