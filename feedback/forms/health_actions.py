"""Forms of the admins' actions on a pair's health page: note, snooze, nudge, end."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from feedback.selectors.metrics import FLAGS
from feedback.services.nudges import NUDGE_BODY_MAX_LENGTH, NUDGE_SUBJECT_MAX_LENGTH
from pairing.models import ADMIN_NOTE_MAX_LENGTH, SNOOZE_REASON_MAX_LENGTH
from pairing.services.pair_admin import SNOOZE_MAX_DAYS
from pairing.services.pairs import END_REASON_MAX_LENGTH


class AdminNoteForm(forms.Form):
    text = forms.CharField(
        label="Note for the programme admins",
        max_length=ADMIN_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only this programme's admins read notes: never the pair, HR viewers or "
        "other programmes' admins.",
        error_messages={"required": "Write the note first."},
    )


SNOOZE_DURATIONS = [
    ("7", "1 week"),
    ("14", "2 weeks"),
    ("30", "1 month"),
    ("custom", "Until a date"),
]


class FlagSnoozeForm(forms.Form):
    flag = forms.ChoiceField(label="Flag", error_messages={"required": "Choose the flag."})
    duration = forms.ChoiceField(
        label="For",
        choices=SNOOZE_DURATIONS,
        initial="14",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how long."},
    )
    until_date = forms.DateField(
        label="Until",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=f"For “Until a date”: the flag is back on that day, at most "
        f"{SNOOZE_MAX_DAYS} days from now.",
    )
    reason = forms.CharField(
        label="Why can it wait?",
        max_length=SNOOZE_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown to this programme's admins next to the snoozed flag.",
        error_messages={"required": "Say why the flag can wait."},
    )

    def __init__(self, *args: Any, flags: list[str], **kwargs: Any) -> None:
        """``flags``: the keys of the flags the pair raises (the only ones to snooze)."""
        super().__init__(*args, **kwargs)
        self.fields["flag"].choices = [(key, FLAGS[key][0]) for key in flags if key in FLAGS]
        if len(flags) == 1:
            self.fields["flag"].initial = flags[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        duration = data.get("duration")
        now = timezone.now()
        if duration == "custom":
            day = data.get("until_date")
            if day is None:
                if "until_date" not in self.errors:
                    self.add_error("until_date", "Choose the date the flag comes back.")
                return data
            today = timezone.localdate(now)
            if day <= today:
                self.add_error("until_date", "Choose a date after today.")
            elif day > today + dt.timedelta(days=SNOOZE_MAX_DAYS):
                self.add_error("until_date", f"Snooze for {SNOOZE_MAX_DAYS} days at most.")
            else:
                # The start of that day where the admin is (the time-zone middleware).
                midnight = dt.datetime.combine(day, dt.time())
                data["until"] = timezone.make_aware(midnight)
        elif duration:
            data["until"] = now + dt.timedelta(days=int(duration))
        return data


class NudgeForm(forms.Form):
    subject = forms.CharField(
        label="Subject",
        max_length=NUDGE_SUBJECT_MAX_LENGTH,
        error_messages={"required": "Write a subject."},
    )
    body = forms.CharField(
        label="Message",
        max_length=NUDGE_BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Sent as you write it, with a link to the pair's page under it. It never "
        "includes ratings, reflections or notes unless you type them.",
        error_messages={"required": "Write the message."},
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def clean_subject(self) -> str:
        return " ".join(self.cleaned_data["subject"].split())

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError("Write the message.")
        return body


class EndOnBehalfForm(forms.Form):
    reason = forms.CharField(
        label="Why does the pair end?",
        max_length=END_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only this programme's admins read it. The members are told that the "
        "programme admin ended the pair, not why.",
        error_messages={"required": "Give the reason the pair ends."},
    )
    confirm = forms.BooleanField(
        label="I understand this ends the pair now for all its members. Each will be "
        "offered a new partner in the next pairing run.",
        error_messages={"required": "Tick the box to confirm you want to end the pair."},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 10:
            raise forms.ValidationError("Give a short reason (at least 10 characters).")
        return reason
