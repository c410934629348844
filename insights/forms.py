"""The dashboard's filters: cohort, date range, breakdown (all validated)."""

import datetime as dt

from django import forms

from insights.aggregates.breakdowns import BREAKDOWNS
from programmes.models import Programme


class DashboardFilterForm(forms.Form):
    cohort = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="Cohort", choices=()
    )
    date_from = forms.DateField(
        required=False,
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        required=False,
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    breakdown = forms.ChoiceField(
        required=False,
        label="Compare sides by",
        choices=[(key, label) for key, (label, _) in BREAKDOWNS.items()],
    )

    def __init__(self, data=None, *, programme: Programme, cohorts):
        super().__init__(data)
        self.programme = programme
        self.fields["cohort"].choices = [("", "All cohorts")] + [(c.pk, c.name) for c in cohorts]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end of the range is before its start.")
        for name in ("date_from", "date_to"):
            day = cleaned.get(name)
            if day and not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
                self.add_error(name, "Choose a day between 2000 and 2100.")
        return cleaned

    def filters(self) -> dict:
        """The valid filters; on invalid input, none (the page shows the errors)."""
        if not self.is_bound or not self.is_valid():
            return {"cohort_id": None, "date_from": None, "date_to": None, "breakdown": "seniority"}
        data = self.cleaned_data
        return {
            "cohort_id": data.get("cohort"),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "breakdown": data.get("breakdown") or "seniority",
        }
