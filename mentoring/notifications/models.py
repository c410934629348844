"""The delivery table (one row per mail that is due, unique per recipient/kind/object/due
time) and each person's per-kind preferences.

Imported by ``mentoring.models`` so that the models belong to the ``mentoring`` app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Delivery(models.Model):
    """A notification for one person: planned (``pending``), then ``sent``, ``failed``
    (gave up after ``MAX_ATTEMPTS``) or ``skipped`` (no longer relevant, or switched off).

    The unique key makes planning and one-off sends idempotent. A worker claims a row by
    locking it (``select_for_update(skip_locked=True)``) in a transaction that it commits
    only after the mail server accepted the message, with the row marked ``sent``;
    ``sending`` is what the row says inside that transaction (never seen committed unless
    an operator sets it by hand). See ``services`` for why.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        help_text="Empty only for a participant who has no account yet (then ``email``).",
    )
    email = models.EmailField(blank=True, help_text="Where it was (or will be) sent.")
    kind = models.CharField(max_length=64)
    object_key = models.CharField(max_length=100)
    due_at = models.DateTimeField()
    programme_id = models.IntegerField(null=True, blank=True)
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    subject = models.CharField(max_length=200, blank=True)
    link = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The admin who sent it (a nudge); empty for the platform's own mail.",
    )

    class Meta:
        app_label = "mentoring"
        ordering = ["-due_at", "-pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "object_key", "due_at"], name="delivery_once"
            ),
            # A recipient without an account (NULL is never equal to NULL in a unique
            # index): keyed by the address instead.
            models.UniqueConstraint(
                fields=["email", "kind", "object_key", "due_at"],
                condition=Q(recipient__isnull=True),
                name="delivery_once_by_email",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="delivery_status_due"),
            models.Index(fields=["recipient", "read_at"], name="delivery_recipient_read"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_key} to {self.recipient_id or self.email} ({self.status})"


class NotificationPreference(models.Model):
    """One person's choice for one kind (no row = on).

    The one-click unsubscribe link carries a signed token of the person's id (see
    ``tokens.py`` in this package), not a stored secret: nothing in this table opens a link.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=64)
    enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "mentoring"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {'on' if self.enabled else 'off'}"
