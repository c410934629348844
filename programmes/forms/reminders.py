"""The programme's reminder settings form: per kind, on/off and its timing."""

import re

from django import forms

from mentoring.notifications.registry import OFFSET_MAX_HOURS, Kind

MAX_OFFSETS = 4
_TOKEN = re.compile(r"^(\d+)\s*([hd]?)$")


def offsets_text(hours: tuple[int, ...] | list[int]) -> str:
    """``(72, 168)`` -> "3d, 7d"; ``(24, 1)`` -> "24h, 1h" (days only when whole and > 1)."""
    return ", ".join(f"{h // 24}d" if h % 24 == 0 and h > 24 else f"{h}h" for h in hours)


def offsets_parse(text: str) -> list[int]:
    """ "24h, 1h" / "3d, 7d" / "24, 1" (hours) -> hours; ValidationError in plain words."""
    values: list[int] = []
    for token in [t.strip().lower() for t in text.split(",") if t.strip()]:
        match = _TOKEN.match(token)
        if match is None:
            raise forms.ValidationError(
                f"“{token}” is not a timing: write hours (24h) or days (3d), separated by commas."
            )
        number, unit = int(match.group(1)), match.group(2)
        hours = number * 24 if unit == "d" else number
        if not 0 <= hours <= OFFSET_MAX_HOURS:
            raise forms.ValidationError(
                f"Each timing must be between 0 hours and {OFFSET_MAX_HOURS // 24} days."
            )
        values.append(hours)
    if not values:
        raise forms.ValidationError("Give at least one timing, or switch the reminder off.")
    if len(set(values)) != len(values):
        raise forms.ValidationError("The same timing appears twice.")
    if len(values) > MAX_OFFSETS:
        raise forms.ValidationError(f"At most {MAX_OFFSETS} reminders of one kind.")
    return values


class ReminderSettingsForm(forms.Form):
    """``enabled_<code>`` and ``offsets_<code>`` for each kind the programme can time."""

    def __init__(self, *args, kinds: list[Kind], current: dict[str, tuple[bool, tuple]], **kw):
        super().__init__(*args, **kw)
        self.kinds = kinds
        for kind in kinds:
            enabled, offsets = current[kind.code]
            self.fields[f"enabled_{kind.code}"] = forms.BooleanField(
                label=f"Send {kind.label.lower()}", required=False, initial=enabled
            )
            if not kind.default_offsets:
                continue  # timed by something else (the programme's cadence): on/off only
            self.fields[f"offsets_{kind.code}"] = forms.CharField(
                label="Timing",
                required=False,
                initial=offsets_text(offsets),
                help_text=f"Default: {offsets_text(kind.default_offsets)}. {kind.description}",
                max_length=60,
            )

    def clean(self):
        cleaned = super().clean()
        for kind in self.kinds:
            name = f"offsets_{kind.code}"
            if name not in self.fields:
                cleaned[name] = []
                continue
            text = (self.data.get(name) if self.is_bound else "") or ""
            if not cleaned.get(f"enabled_{kind.code}") and not text.strip():
                cleaned[name] = list(kind.default_offsets)  # off: the timing stays as it was
                continue
            try:
                cleaned[name] = offsets_parse(text)
            except forms.ValidationError as error:
                self.add_error(name, error)
        return cleaned

    def settings(self) -> dict[str, tuple[bool, list[int]]]:
        return {
            kind.code: (
                bool(self.cleaned_data.get(f"enabled_{kind.code}")),
                self.cleaned_data[f"offsets_{kind.code}"],
            )
            for kind in self.kinds
        }

    def rows(self) -> list[tuple[Kind, forms.BoundField, forms.BoundField | None]]:
        return [
            (
                kind,
                self[f"enabled_{kind.code}"],
                self[f"offsets_{kind.code}"] if f"offsets_{kind.code}" in self.fields else None,
            )
            for kind in self.kinds
        ]
