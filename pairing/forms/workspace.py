"""Forms of the pair's workspace: schedule, cancel, log a session (or a past meeting),
private note."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms

from pairing.models import MentoringSession, SessionRole, Topic
from pairing.selectors.slots import (
    WORKING_HOURS,
    LocalSlot,
    SlotPerson,
    out_of_hours_names,
    slot_has_passed,
    slot_local_times,
    slot_summary,
)
from programmes.models import Participant, Programme

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    """The browser's date-time picker; values are in the viewer's own time zone."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_INPUT, **kwargs)


class SessionScheduleForm(forms.Form):
    """When, how long, where; and, for a slot outside 08:00–20:00 for anyone in the pair,
    an explicit tick (``confirm_out_of_hours``).

    ``people``: the pair as ``pairing.selectors.slots.slot_people`` lists them (the viewer
    first). ``preview()`` is the slot in each person's zone, from what was typed (or, on a
    fresh reschedule form, from the session's current time).
    """

    scheduled_start = forms.DateTimeField(
        label="Date and time",
        widget=LocalDateTimeInput(),
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M"],
        help_text="In your own time zone.",
    )
    planned_minutes = forms.IntegerField(
        label="Duration (minutes)", min_value=5, max_value=480, initial=60
    )
    place = forms.CharField(
        label="Place or video link",
        max_length=300,
        required=False,
        help_text="A room, an address or a video-call link.",
    )
    confirm_out_of_hours = forms.BooleanField(
        label=f"Schedule it anyway: this time is outside {WORKING_HOURS} for one of us",
        required=False,
    )

    def __init__(self, *args: Any, people: Sequence[SlotPerson] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = list(people)

    def preview(self) -> list[LocalSlot]:
        if self.is_bound:
            data = getattr(self, "cleaned_data", {})
            start, minutes = data.get("scheduled_start"), data.get("planned_minutes")
        else:
            start = self.initial.get("scheduled_start")
            minutes = self.initial.get("planned_minutes") or self.fields["planned_minutes"].initial
        if not isinstance(start, dt.datetime) or not minutes:
            return []
        return slot_local_times(start=start, minutes=minutes, people=self.people)

    def preview_text(self) -> str:
        return slot_summary(self.preview())

    def out_of_hours(self) -> bool:
        return bool(out_of_hours_names(self.preview()))

    def clean(self) -> dict:
        data = super().clean()
        start = data.get("scheduled_start")
        slots = self.preview()
        # A past time is refused by the service ("That time has passed"): asking first to
        # confirm its hours would be a question for nothing.
        if not slots or slot_has_passed(start) or data.get("confirm_out_of_hours"):
            return data
        late = out_of_hours_names(slots)
        if late:
            self.add_error(
                "confirm_out_of_hours",
                f"This time is outside {WORKING_HOURS} for {late}. Tick the box to schedule "
                "it anyway, or choose another time.",
            )
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {key: data[key] for key in ("scheduled_start", "planned_minutes", "place")}


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is it cancelled?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Your partner sees this. Cancelled sessions do not count as a turn.",
    )


class SessionLogForm(forms.Form):
    """What happened: status, minutes, the role each side played, topics and notes.

    One role field per member (``role_<participant id>``); in fluid programmes one
    "who led" field per topic (``lead_<topic>``).
    """

    status = forms.ChoiceField(
        label="What happened?",
        choices=[
            (MentoringSession.Status.HELD, "We met"),
            (MentoringSession.Status.CANCELLED, "Cancelled"),
            (MentoringSession.Status.NO_SHOW, "No-show"),
        ],
        widget=forms.RadioSelect,
    )
    actual_minutes = forms.IntegerField(
        label="How long did you meet? (minutes)", min_value=1, max_value=600, required=False
    )
    topics = forms.MultipleChoiceField(
        label="Topics", choices=Topic.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    shared_notes = forms.CharField(
        label="Shared notes",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Both of you see these.",
    )
    cancel_reason = forms.CharField(
        label="Reason (cancelled or no-show)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    private_note = forms.CharField(
        label="My private note",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Only you will ever see this: not your partner, not admins, not HR.",
    )

    def __init__(
        self,
        *args,
        sides: Sequence[Participant],
        mode: str,
        initial_roles: dict[int, str] | None = None,
        initial_leads: dict[str, int] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sides = list(sides)
        self.mode = mode
        initial_roles = initial_roles or {}
        initial_leads = initial_leads or {}
        for side in self.sides:
            self.fields[f"role_{side.pk}"] = forms.ChoiceField(
                label=f"{side.display_name}'s role",
                choices=SessionRole.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=initial_roles.get(side.pk),
            )
        if mode == Programme.Alternation.FLUID:
            lead_choices = [("", "—")] + [(str(p.pk), p.display_name) for p in self.sides]
            for value, label in Topic.choices:
                self.fields[f"lead_{value}"] = forms.ChoiceField(
                    label=f"Who led “{label}”?",
                    choices=lead_choices,
                    required=False,
                    initial=str(initial_leads[value]) if value in initial_leads else "",
                )

    def role_fields(self) -> list[forms.BoundField]:
        return [self[f"role_{p.pk}"] for p in self.sides]

    def lead_fields(self) -> list[tuple[str, forms.BoundField]]:
        if self.mode != Programme.Alternation.FLUID:
            return []
        return [(value, self[f"lead_{value}"]) for value, _ in Topic.choices]

    def clean(self) -> dict:
        data = super().clean()
        held = data.get("status") == MentoringSession.Status.HELD
        if held:
            if not data.get("actual_minutes"):
                self.add_error("actual_minutes", "How long did you meet?")
            for side in self.sides:
                if not data.get(f"role_{side.pk}"):
                    self.add_error(f"role_{side.pk}", f"Which role did {side.first_name} play?")
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        held = data["status"] == MentoringSession.Status.HELD
        leads = {}
        for value, _ in Topic.choices:
            lead = data.get(f"lead_{value}")
            if lead and value in data.get("topics", []):
                leads[value] = int(lead)
        return {
            "status": data["status"],
            "actual_minutes": data.get("actual_minutes") if held else None,
            "roles": {p.pk: data[f"role_{p.pk}"] for p in self.sides} if held else {},
            "topics": data.get("topics", []) if held else [],
            "topic_leads": leads if held else {},
            "shared_notes": data.get("shared_notes", ""),
            "cancel_reason": data.get("cancel_reason", ""),
            "private_note": data.get("private_note", ""),
        }


class SessionLogPastForm(SessionLogForm):
    """A meeting that already happened and was never scheduled: when, then what a held
    session's log asks (no status: it happened; no cancellation reason)."""

    scheduled_start = forms.DateTimeField(
        label="When did you meet?",
        widget=LocalDateTimeInput(),
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M"],
        help_text="In your own time zone.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["status"]
        del self.fields["cancel_reason"]

    def clean(self) -> dict:
        self.cleaned_data["status"] = MentoringSession.Status.HELD
        return super().clean()

    def service_kwargs(self) -> dict:
        kwargs = super().service_kwargs()
        del kwargs["status"], kwargs["cancel_reason"]
        return {"scheduled_start": self.cleaned_data["scheduled_start"], **kwargs}


class PrivateNoteForm(forms.Form):
    text = forms.CharField(
        label="My private note",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Only you will ever see this. Leave it empty to delete the note.",
    )
