"""Self-nomination's models: a programme's sign-up link and the applications sent through it.

Kept apart from ``programmes.models`` (which imports them, so ``programmes.models.Application``
works as for every other model) to keep each module short; related models are named by
string, so this module needs nothing from that one.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from mentoring.models import time_zone_choices


def nomination_token() -> str:
    return secrets.token_urlsafe(24)


class NominationLink(models.Model):
    """A programme's published sign-up link (for one cohort, or the whole programme).

    The link exists while this row does: switching it off deletes the row, switching it on
    again makes a new token, so a link that went too far stops working for good. Unlike an
    invitation's, the token is kept as is: it is meant to be shared (an intranet page, a
    newsletter) and the admins must be able to copy it again; anyone who has it can only
    apply, and every application waits for an admin's decision.
    """

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="nomination_links"
    )
    cohort = models.ForeignKey(
        "programmes.Cohort",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="nomination_links",
        help_text="Empty: applicants join the cohort the admin picks when approving.",
    )
    token = models.CharField(max_length=64, unique=True, default=nomination_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(cohort__isnull=True),
                name="nomination_link_one_per_programme",
            ),
            models.UniqueConstraint(
                fields=["cohort"],
                condition=Q(cohort__isnull=False),
                name="nomination_link_one_per_cohort",
            ),
        ]

    def __str__(self) -> str:
        return f"Sign-up link for {self.cohort or self.programme}"


MOTIVATION_MAX_LENGTH = 1500


class Application(models.Model):
    """A colleague's request to join a programme (self-nomination), decided by its admins.

    ``motivation`` ("why do you want to join") is read by the programme's admins only.
    """

    class Status(models.TextChoices):
        NEW = "new", "New"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="applications"
    )
    cohort = models.ForeignKey(
        "programmes.Cohort",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        help_text="The cohort the sign-up link was for (the admin may choose another).",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    department = models.CharField(max_length=120)
    job_title = models.CharField(max_length=160)
    location = models.CharField(max_length=120)
    time_zone = models.CharField(max_length=64, choices=time_zone_choices, default="UTC")
    seniority = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    skills_offered = models.ManyToManyField("programmes.Skill", blank=True, related_name="+")
    skills_wanted = models.ManyToManyField("programmes.Skill", blank=True, related_name="+")
    motivation = models.TextField(max_length=MOTIVATION_MAX_LENGTH)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_message = models.TextField(blank=True)
    decision_emailed_at = models.DateTimeField(null=True, blank=True)
    participant = models.OneToOneField(
        "programmes.Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="application_one_per_user")
        ]
        indexes = [
            models.Index(fields=["programme", "status", "created_at"], name="application_queue_idx")
        ]

    def __str__(self) -> str:
        return f"Application of {self.user} to {self.programme}"

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.user.email
