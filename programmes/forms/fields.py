"""Widgets and fields several programme forms share."""

from django import forms

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SkillMultipleChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.SelectMultiple(attrs={"data-skills-autocomplete": "", "size": 6})
