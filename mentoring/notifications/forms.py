"""The preferences form: one checkbox per kind a person may switch off."""

from django import forms

from . import registry


class PreferencesForm(forms.Form):
    """A field ``kind_<code>`` per registered kind that can be switched off."""

    def __init__(self, *args, preferences: dict[str, bool], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for code, kind in sorted(registry.kinds().items(), key=lambda item: item[1].label):
            if not kind.can_unsubscribe:
                continue
            self.fields[f"kind_{code}"] = forms.BooleanField(
                label=kind.label,
                required=False,
                initial=preferences.get(code, True),
                help_text=kind.description,
            )

    def choices(self) -> dict[str, bool]:
        return {name.removeprefix("kind_"): value for name, value in self.cleaned_data.items()}

    def groups(self) -> list[tuple[str, list]]:
        """The bound fields grouped for the page: participant mail, then admin mail."""
        by_audience: dict[str, list] = {}
        for name in self.fields:
            kind = registry.kinds()[name.removeprefix("kind_")]
            by_audience.setdefault(kind.audience, []).append(self[name])
        titles = {"participant": "As a participant", "admin": "As a programme admin"}
        return [(titles.get(a, a.title()), by_audience[a]) for a in titles if a in by_audience] + [
            (a.title(), fields) for a, fields in by_audience.items() if a not in titles
        ]
