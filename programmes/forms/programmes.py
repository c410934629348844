"""The programme's settings form (create and edit)."""

import datetime as dt
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.utils import timezone
from django.utils.html import format_html

from programmes.models import Programme
from programmes.services.programmes import EDITABLE_FIELDS

from .fields import DATE_INPUT


class ProgrammeForm(forms.ModelForm):
    """Every setting of a programme, in sections, each with a plain explanation."""

    class Meta:
        model = Programme
        fields = EDITABLE_FIELDS
        widgets = {
            "starts_on": DATE_INPUT,
            "ends_on": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 3}),
            "charter": forms.Textarea(attrs={"rows": 10}),
            "kind": forms.RadioSelect,
            "alternation": forms.RadioSelect,
        }
        labels = {
            "slug": "Short name in links",
            "cadence_days": "Meeting cadence (days)",
            "starts_on": "Starts on",
            "ends_on": "Ends on",
            "skill_weight": "Skill complementarity",
            "cross_gender_weight": "Cross-gender",
            "cross_generation_weight": "Cross-generation",
            "cross_department_weight": "Cross-department",
            "cross_location_weight": "Cross-location",
            "forbid_same_department": "Never pair two people from the same department",
            "allow_trio": "Allow one trio when a cohort has an odd number of people",
            "max_utc_offset_difference": "Maximum time-zone difference (hours)",
            "benefit_weight_learning": "Learning received",
            "benefit_weight_goals": "Goal progress",
            "benefit_weight_ledger": "Confirmed help received (introductions, advocacy…)",
            "benefit_weight_mentee_time": "Time spent as mentee",
            "benefit_weight_outcomes": "Career outcomes (promotion, role change…)",
            "reciprocity_threshold": "Reciprocity alert threshold",
        }
        help_texts = {
            "name": "What participants see, e.g. “Cross-gender reciprocal mentoring 2026”.",
            "slug": "Letters, digits and hyphens, used in this programme's web addresses. "
            "Leave empty to derive it from the name.",
            "description": "One or two sentences for the invitation email: why this programme "
            "exists and what is expected of participants.",
            "kind": "Reciprocal: both people mentor each other. Reverse: the junior person "
            "mentors first (e.g. on technology or culture) and the senior person sponsors in "
            "return. Peer: colleagues at a similar level.",
            "alternation": "How the mentor role moves within a pair. Before each session both "
            "people are told whose turn it is.",
            "cadence_days": "How often pairs are expected to meet (1–120). Pairs that go "
            "longer without a session are flagged as stalled.",
            "starts_on": "First day pairs may meet.",
            "ends_on": "Last day of the programme; must be after the start.",
            "charter": "The commitments every participant accepts before filling their "
            "profile. Keep it short and concrete.",
            "skill_weight": "0–10. How much it counts that each person offers what the other "
            "wants. 10 = the main criterion; 0 = ignored.",
            "cross_gender_weight": "0–10. Bonus for pairing people of different genders (only "
            "for participants who shared their gender with consent).",
            "cross_generation_weight": "0–10. Bonus for a large age gap (birth years shared "
            "with consent).",
            "cross_department_weight": "0–10. Bonus for pairing people from different departments.",
            "cross_location_weight": "0–10. Bonus for pairing people from different locations.",
            "forbid_same_department": "A hard rule. Reporting lines (a manager and their "
            "direct report) are always forbidden, whatever you choose.",
            "allow_trio": "Otherwise one person is left unpaired when the number is odd.",
            "max_utc_offset_difference": "0–24 hours. Leave empty for no limit; 3 keeps pairs "
            "within about three hours of each other.",
            "benefit_weight_learning": "0–10. Weight of each side's reflection ratings (what "
            "they learned, how far they were challenged).",
            "benefit_weight_goals": "0–10. Weight of each side's progress on their goals.",
            "benefit_weight_ledger": "0–10. Weight of concrete help received and confirmed.",
            "benefit_weight_mentee_time": "0–10. Weight of the time each side spent being "
            "mentored.",
            "benefit_weight_outcomes": "0–10. Weight of recorded career outcomes.",
            "reciprocity_threshold": "0–1. Pairs whose reciprocity index (1 = both sides "
            "benefit equally, 0 = one side gets everything) falls below this are flagged "
            "to you.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        if not self.instance.pk:
            today = timezone.localdate()
            self.initial.setdefault("starts_on", today + dt.timedelta(days=30))
            self.initial.setdefault("ends_on", today + dt.timedelta(days=30 + 270))
        for name in EDITABLE_FIELDS:
            if name.endswith("_weight") or name.startswith("benefit_weight_"):
                self.fields[name].widget.attrs.update({"min": 0, "max": 10})
        self.fields["reciprocity_threshold"].widget.attrs.update(
            {"min": 0, "max": 1, "step": "0.05"}
        )
        self.fields["max_utc_offset_difference"].widget.attrs.update({"min": 0, "max": 24})
        weights = ["skill_weight", "cross_gender_weight", "cross_generation_weight"]
        weights += ["cross_department_weight", "cross_location_weight"]
        benefit = [name for name in EDITABLE_FIELDS if name.startswith("benefit_weight_")]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                "Basics",
                "name",
                "slug",
                "description",
                "kind",
                "alternation",
                Div(
                    Div("cadence_days", css_class="col-md-4"),
                    Div("starts_on", css_class="col-md-4"),
                    Div("ends_on", css_class="col-md-4"),
                    css_class="row",
                ),
            ),
            Fieldset("Charter", "charter"),
            Fieldset(
                "Pairing",
                HTML(
                    '<p class="text-body-secondary small">The pairing engine scores every '
                    "possible pair and picks the set with the highest total. Weights say what "
                    "matters to you; rules below are never broken.</p>"
                ),
                Div(*[Div(name, css_class="col-md-4") for name in weights], css_class="row"),
                "forbid_same_department",
                "allow_trio",
                Div(Div("max_utc_offset_difference", css_class="col-md-4"), css_class="row"),
            ),
            Fieldset(
                "Benefit metrics",
                HTML(
                    '<p class="text-body-secondary small">Each side of a pair gets a benefit '
                    "score, the weighted sum of the items below; the reciprocity index compares "
                    "the two sides.</p>"
                ),
                Div(*[Div(name, css_class="col-md-4") for name in benefit], css_class="row"),
                Div(Div("reciprocity_threshold", css_class="col-md-4"), css_class="row"),
            ),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends <= starts:
            self.add_error("ends_on", "The end date must be after the start date.")
        return data

    def validate_constraints(self, exclude: Any = None) -> None:
        # The date rule is reported by clean() next to the end date.
        pass


class OpenEnrolmentForm(forms.Form):
    """The confirmation of "Open enrolment": the number of invitations the admin saw."""

    expected_invitations = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


class CloseProgrammeForm(forms.Form):
    """Closing is irreversible: the admin types the programme's name to confirm."""

    confirm_name = forms.CharField(
        label="Type the programme's name to confirm",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        # help_text is rendered as HTML: the admin-typed name must be escaped.
        self.fields["confirm_name"].help_text = format_html("“{}”, as shown above.", programme.name)

    def clean_confirm_name(self) -> str:
        typed = self.cleaned_data.get("confirm_name", "")
        # Case and spacing do not matter; the words do.
        if _normalised(typed) != _normalised(self.programme.name):
            raise forms.ValidationError(
                f"Type the programme's name, “{self.programme.name}”, to close it."
                if typed.strip()
                else "Type the programme's name to close it."
            )
        return typed
