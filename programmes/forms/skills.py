"""The skill vocabulary: adding a skill and merging duplicates."""

from typing import Any

from django import forms

from programmes.models import Programme, Skill


class SkillForm(forms.Form):
    name = forms.CharField(label="New skill", max_length=100)


class SkillMergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        label="Keep this skill", queryset=Skill.objects.none(), empty_label="Choose a skill"
    )
    duplicates = forms.ModelMultipleChoiceField(
        label="…and merge these duplicates into it",
        queryset=Skill.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Participants who had a duplicate get the kept skill instead; the "
        "duplicates disappear from the vocabulary.",
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        skills = programme.skills.order_by("name")
        self.fields["keep"].queryset = skills
        self.fields["duplicates"].queryset = skills

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        keep, duplicates = data.get("keep"), data.get("duplicates")
        if keep and duplicates is not None:
            others = [s for s in duplicates if s.pk != keep.pk]
            if not others:
                self.add_error("duplicates", "Tick at least one skill other than the one you keep.")
            data["duplicates"] = others
        return data
