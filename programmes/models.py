"""Programmes, cohorts, participants, invitations, roles and the skill vocabulary."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from mentoring.models import time_zone_choices
from mentoring.tokens import unissued_digest

DEFAULT_CHARTER = """We take turns: each of us mentors the other, and each of us learns.

1. Mutual listening and affirmation. We listen to understand, and we say what we value in each other.
2. Humility. Seniority does not decide who knows more; each of us has something to teach.
3. Shared power. We set the agenda together and alternate who leads.
4. Direct and specific feedback. We say what we saw, its effect, and what we suggest, kindly and plainly.
5. Confidentiality. What we share in our sessions stays between us unless we both agree otherwise.
"""

WEIGHT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(10)]


class Programme(models.Model):
    class Kind(models.TextChoices):
        RECIPROCAL = "reciprocal", "Reciprocal (both sides mentor each other)"
        REVERSE = "reverse", "Reverse (the junior side mentors first)"
        PEER = "peer", "Peer (colleagues at a similar level)"

    class Alternation(models.TextChoices):
        ALTERNATE = "alternate", "Alternate: mentor and mentee swap every session"
        SPLIT = "split", "Split: both roles in every session, two halves"
        FLUID = "fluid", "Fluid: the pair records who led each topic"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ENROLLING = "enrolling", "Enrolling"
        MATCHING = "matching", "Matching"
        RUNNING = "running", "Running"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RECIPROCAL)
    alternation = models.CharField(
        max_length=20, choices=Alternation.choices, default=Alternation.ALTERNATE
    )
    cadence_days = models.PositiveIntegerField(
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="How often pairs are expected to meet, in days.",
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    charter = models.TextField(default=DEFAULT_CHARTER)

    # Pairing settings (weights 0-10).
    skill_weight = models.PositiveSmallIntegerField(default=10, validators=WEIGHT_VALIDATORS)
    cross_gender_weight = models.PositiveSmallIntegerField(default=0, validators=WEIGHT_VALIDATORS)
    cross_generation_weight = models.PositiveSmallIntegerField(
        default=0, validators=WEIGHT_VALIDATORS
    )
    cross_department_weight = models.PositiveSmallIntegerField(
        default=3, validators=WEIGHT_VALIDATORS
    )
    cross_location_weight = models.PositiveSmallIntegerField(
        default=0, validators=WEIGHT_VALIDATORS
    )
    forbid_same_department = models.BooleanField(default=False)
    allow_trio = models.BooleanField(default=True)
    max_utc_offset_difference = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(24)]
    )
    # Benefit-score weights (see README "Per-side benefit"): how much each kind of
    # benefit counts when comparing what the two sides of a pair received.
    benefit_weight_learning = models.PositiveSmallIntegerField(
        default=2, validators=WEIGHT_VALIDATORS
    )
    benefit_weight_goals = models.PositiveSmallIntegerField(default=2, validators=WEIGHT_VALIDATORS)
    benefit_weight_ledger = models.PositiveSmallIntegerField(
        default=4, validators=WEIGHT_VALIDATORS
    )
    benefit_weight_mentee_time = models.PositiveSmallIntegerField(
        default=1, validators=WEIGHT_VALIDATORS
    )
    benefit_weight_outcomes = models.PositiveSmallIntegerField(
        default=3, validators=WEIGHT_VALIDATORS
    )
    reciprocity_threshold = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="programme_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(reciprocity_threshold__gte=0) & Q(reciprocity_threshold__lte=1),
                name="programme_threshold_0_1",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeRole(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", "Programme admin"
        HR = "hr", "HR viewer"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_roles"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "user", "role"], name="programme_role_unique"
            )
        ]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.programme}"


class Cohort(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="cohort_name_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="cohort_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.name} — {self.name}"


class Skill(models.Model):
    """A programme's skill vocabulary; duplicates are merged by an admin."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("name"), "programme", name="skill_name_unique_ci"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        ENROLLED = "enrolled", "Enrolled"
        PAIRED = "paired", "Paired"
        COMPLETED = "completed", "Completed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Gender(models.TextChoices):
        """A short list; ``""`` is "not given". Only the first three are compared by the
        pairing engine (``COMPARED_GENDERS``): a self-description is the person's own words,
        and "prefer not to say" is no answer, so both count as unknown there."""

        WOMAN = "woman", "Woman"
        MAN = "man", "Man"
        NON_BINARY = "non_binary", "Non-binary"
        SELF_DESCRIBE = "self_describe", "Self-describe"
        PREFER_NOT = "prefer_not", "Prefer not to say"

    COMPARED_GENDERS = (Gender.WOMAN, Gender.MAN, Gender.NON_BINARY)

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="participations",
        help_text="Empty until the invitee accepts and signs in.",
    )
    email = models.EmailField()
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    department = models.CharField(max_length=120, blank=True)
    location = models.CharField(max_length=120, blank=True)
    job_title = models.CharField(max_length=160, blank=True)
    seniority = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="1 = most junior, 10 = most senior.",
    )
    manager_email = models.EmailField(blank=True)
    manager = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="direct_reports",
    )
    time_zone = models.CharField(max_length=64, choices=time_zone_choices, default="UTC")
    skills_offered = models.ManyToManyField(Skill, blank=True, related_name="offered_by")
    skills_wanted = models.ManyToManyField(Skill, blank=True, related_name="wanted_by")
    goals = models.TextField(blank=True)
    # Demographics: stored only with consent, used only for pairing and aggregates.
    demographics_consent = models.BooleanField(default=False)
    gender = models.CharField(max_length=20, choices=Gender.choices, blank=True)
    gender_self_description = models.CharField(
        max_length=60, blank=True, help_text="Only with “Self-describe”: the person's own words."
    )
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.INVITED)
    charter_accepted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    # Who withdrew them: the participant's own account, or a programme admin (whose reason
    # the participant is not shown).
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "email"], name="participant_email_unique"),
            models.UniqueConstraint(
                fields=["cohort", "user"],
                condition=Q(user__isnull=False),
                name="participant_user_unique",
            ),
            models.CheckConstraint(
                condition=Q(demographics_consent=True)
                | (Q(gender="") & Q(gender_self_description="") & Q(birth_year__isnull=True)),
                name="participant_demographics_need_consent",
            ),
            models.CheckConstraint(
                condition=Q(gender_self_description="") | Q(gender="self_describe"),
                name="participant_gender_words_only_self_described",
            ),
        ]
        indexes = [
            models.Index(fields=["cohort", "status"]),
            models.Index(fields=["cohort", "department"]),
            models.Index(fields=["email"]),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        full = f"{self.first_name} {self.last_name}".strip()
        return full or self.email


def invitation_token() -> str:
    """Kept for migration 0001, which names it as the old raw-token column's default."""
    return secrets.token_urlsafe(32)


def invitation_expiry():
    return timezone.now() + timedelta(days=30)


class Invitation(models.Model):
    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="invitation"
    )
    email = models.EmailField()
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    # Only the SHA-256 of the link's token (mentoring.tokens): the token itself is made
    # when the email is sent and exists only in that email. Until then, and after a
    # resend, the digest matches no link at all.
    token_hash = models.CharField(
        max_length=64,
        unique=True,
        default=unissued_digest,
        editable=False,
        help_text="SHA-256 (hex) of the emailed link's token.",
    )
    expires_at = models.DateTimeField(default=invitation_expiry)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["cohort", "sent_at"])]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


def staff_invitation_expiry():
    return timezone.now() + timedelta(days=14)


class StaffInvitation(models.Model):
    """An emailed invitation to become a programme admin or HR viewer, for an address that
    has no account yet. Accepting it (after signing up or in with that address) grants the
    role; it is single use, expires, and an admin may resend or revoke it.
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="staff_invitations"
    )
    email = models.EmailField(help_text="Stored in lower case.")
    role = models.CharField(max_length=10, choices=ProgrammeRole.Role.choices)
    # As for participants' invitations (mentoring.tokens): only the SHA-256 of the link's
    # token, made when the email is sent; until then, and after a resend or a revocation,
    # the digest matches no link.
    token_hash = models.CharField(
        max_length=64,
        unique=True,
        default=unissued_digest,
        editable=False,
        help_text="SHA-256 (hex) of the emailed link's token.",
    )
    expires_at = models.DateTimeField(default=staff_invitation_expiry)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One open invitation per person and role: a second "add" is a resend.
            models.UniqueConstraint(
                fields=["programme", "email", "role"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="staff_invitation_open_unique",
            )
        ]
        indexes = [models.Index(fields=["programme", "accepted_at", "revoked_at"])]

    def __str__(self) -> str:
        return f"Invitation of {self.email} as {self.get_role_display()}"

    @property
    def is_open(self) -> bool:
        """Neither accepted nor revoked (it may still have expired)."""
        return self.accepted_at is None and self.revoked_at is None

    @property
    def is_usable(self) -> bool:
        return self.is_open and self.expires_at > timezone.now()


class AuditEvent(models.Model):
    """Who changed what in a programme: status changes, imports, roles, pairing decisions."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=80)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["programme", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor} at {self.created_at:%Y-%m-%d %H:%M}"


# Self-nomination (sign-up links, applications) lives in its own module to keep this one
# short; imported here so that ``programmes.models`` offers every model of the app.
from .nomination_models import (  # noqa: E402, F401
    MOTIVATION_MAX_LENGTH,
    Application,
    NominationLink,
    nomination_token,
)
from .reminder_models import ReminderSetting  # noqa: E402, F401
