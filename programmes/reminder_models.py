"""A programme's reminder settings: per kind of notification, on/off and its timing.

Kept apart from ``programmes.models`` (which imports it) to keep that module short. The
kinds themselves are registered in ``mentoring.notifications.registry``; a missing row
means the kind's defaults. Read through ``programmes.reminder_settings.timing`` (plugged
into the registry as its timing provider in ``ProgrammesConfig.ready``).
"""

from django.db import models


class ReminderSetting(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="reminder_settings"
    )
    kind = models.CharField(max_length=64)
    enabled = models.BooleanField(default=True)
    offsets = models.JSONField(
        default=list, blank=True, help_text="The kind's timing in hours, e.g. [24, 1]."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "programmes"
        ordering = ["programme", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind"], name="reminder_setting_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} in programme {self.programme_id}: {'on' if self.enabled else 'off'}"
