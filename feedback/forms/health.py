"""The filter bar of the pair-health page (a GET form: nothing here writes)."""

from typing import Any

from django import forms

from feedback.selectors.metrics import DEFAULT_SORT, FLAGS, LISTED_STATUSES
from pairing.models import Pair
from programmes.models import Cohort, Programme

SORT_CHOICES = [
    ("reciprocity", "Lowest reciprocity"),
    ("-reciprocity", "Highest reciprocity"),
    ("last_session", "Oldest last session"),
    ("-last_session", "Newest last session"),
    ("sessions", "Fewest sessions"),
    ("-sessions", "Most sessions"),
]


class PairHealthFilterForm(forms.Form):
    flag = forms.ChoiceField(
        label="Flag",
        required=False,
        choices=[("", "All pairs"), ("any", "Any flag")]
        + [(key, label) for key, (label, _) in FLAGS.items()],
    )
    cohort = forms.ModelChoiceField(
        label="Cohort", required=False, queryset=Cohort.objects.none(), empty_label="All cohorts"
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status")]
        + [(value, label) for value, label in Pair.Status.choices if value in LISTED_STATUSES],
    )
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = programme.cohorts.order_by("starts_on", "name")

    def filters(self) -> tuple[dict[str, Any], str]:
        """(filters, sort) for ``pair_health_rows``.

        An invalid field is left out (the page shows its error next to it); the others apply.
        """
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data  # holds the valid fields only
        sort = data.get("sort") or DEFAULT_SORT
        return {k: data.get(k) for k in ("flag", "cohort", "status")}, sort
