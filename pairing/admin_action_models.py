"""What a programme admin does about a flagged pair: private notes and snoozed flags.

Both are for the admins of the pair's programme only: never shown to the pair's members,
HR viewers or another programme's admins, and not registered in the Django admin.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

ADMIN_NOTE_MAX_LENGTH = 2000
SNOOZE_REASON_MAX_LENGTH = 500


class AdminNote(models.Model):
    """A note an admin leaves on a pair, read by the programme's admins only."""

    pair = models.ForeignKey("pairing.Pair", on_delete=models.CASCADE, related_name="admin_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(max_length=ADMIN_NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["pair", "-created_at"])]

    def __str__(self) -> str:
        return f"Admin note {self.pk} on pair {self.pair_id}"


class FlagSnooze(models.Model):
    """One flag of a pair (``flag``: a key of ``feedback.selectors.metrics.FLAGS``) set aside
    until ``until``: the pair stops counting for that flag on the attention pages.

    A snooze is over when ``until`` has passed or an admin lifts it (``lifted_at``); a new
    snooze of the same flag lifts the one before, so at most one is unlifted per flag.
    """

    pair = models.ForeignKey("pairing.Pair", on_delete=models.CASCADE, related_name="flag_snoozes")
    flag = models.CharField(max_length=20)
    until = models.DateTimeField()
    reason = models.TextField(max_length=SNOOZE_REASON_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "flag"],
                condition=Q(lifted_at__isnull=True),
                name="flag_snooze_one_unlifted",
            )
        ]
        indexes = [models.Index(fields=["pair", "flag", "until"])]

    def __str__(self) -> str:
        return f"{self.flag} of pair {self.pair_id} snoozed until {self.until:%Y-%m-%d}"
