"""Forms of the programme pages. Each validates with a clear message next to the field."""

import datetime as dt
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.utils import timezone

from mentoring.models import time_zone_choices

from .models import Cohort, Participant, Programme, ProgrammeRole, Skill
from .services.imports import COLUMNS, MAX_FILE_BYTES, MISSING_EMAIL, SKILL_COLUMNS
from .services.participants import participant_invite_check
from .services.programmes import EDITABLE_FIELDS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE_INPUT, "ends_on": DATE_INPUT}
        help_texts = {
            "name": "For example “Spring 2026” or “EMEA intake”.",
            "starts_on": "When this intake's pairs may start meeting.",
            "ends_on": "When this intake's pairs finish.",
        }

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        if not self.instance.pk:
            self.initial.setdefault("starts_on", programme.starts_on)
            self.initial.setdefault("ends_on", programme.ends_on)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = self.programme.cohorts.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError("This programme already has a cohort with this name.")
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends:
            if ends <= starts:
                self.add_error("ends_on", "The end date must be after the start date.")
            elif starts < self.programme.starts_on or ends > self.programme.ends_on:
                self.add_error(
                    "ends_on" if ends > self.programme.ends_on else "starts_on",
                    f"A cohort runs within the programme's dates "
                    f"({self.programme.starts_on:%d %b %Y} – {self.programme.ends_on:%d %b %Y}).",
                )
        return data

    def validate_constraints(self, exclude: Any = None) -> None:
        # clean() and clean_name() report these next to their fields.
        pass


class SkillMultipleChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.SelectMultiple(attrs={"data-skills-autocomplete": "", "size": 6})


class InviteForm(forms.Form):
    """Invite one person; the same checks as a CSV row, reported next to each field."""

    email = forms.EmailField(label="Work email")
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    department = forms.CharField(max_length=120, required=False)
    location = forms.CharField(max_length=120, required=False, help_text="City or office.")
    job_title = forms.CharField(max_length=160, required=False)
    seniority = forms.IntegerField(
        min_value=1,
        max_value=10,
        required=False,
        help_text="1 = most junior, 10 = most senior. Used to pair across levels.",
    )
    manager_email = forms.EmailField(
        label="Manager's email",
        required=False,
        help_text="Never paired with their manager. Linked when the manager is in this cohort.",
    )
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        initial="UTC",
        help_text="The invitee can change it in their profile.",
    )
    skills_offered = SkillMultipleChoiceField(
        queryset=Skill.objects.none(), required=False, help_text="What they can teach."
    )
    skills_wanted = SkillMultipleChoiceField(
        queryset=Skill.objects.none(), required=False, help_text="What they want to learn."
    )

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        skills = cohort.programme.skills.order_by("name")
        self.fields["skills_offered"].queryset = skills
        self.fields["skills_wanted"].queryset = skills
        self.warnings: list[str] = []

    def clean(self) -> dict[str, Any]:
        """The import's row checks; each problem goes next to its field (if still clean)."""
        data = super().clean()
        # The form's values as an import row (the same columns, the same checks). Skills
        # come from the vocabulary's own choices here, so they are known by construction.
        cells = {
            name: "" if data.get(name) is None or name in SKILL_COLUMNS else str(data[name])
            for name in COLUMNS
        }
        for problem in participant_invite_check(cohort=self.cohort, cells=cells):
            field = problem.column if problem.column in self.fields else None
            if field and field in self.errors:
                continue  # the field's own message is already there
            if problem.code == MISSING_EMAIL:
                continue  # reported by the email field itself
            if problem.blocking:
                self.add_error(field, problem.message)
            else:
                self.warnings.append(problem.message)
        return data


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 (Excel: “CSV UTF-8”), up to 5 MB, first line naming the columns.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is 5 MB. "
                "Split it into several files and import them one after the other."
            )
        return upload


class ImportApplyForm(forms.Form):
    add_unknown_skills = forms.BooleanField(required=False)


class ParticipantFilterForm(forms.Form):
    """The cohort table's search and filters (GET; invalid values are simply ignored)."""

    q = forms.CharField(
        label="Search",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Name, email or job title", "type": "search"}),
    )
    status = forms.ChoiceField(label="Status", required=False)
    department = forms.ChoiceField(label="Department", required=False)
    skill = forms.ModelChoiceField(
        label="Skill", required=False, queryset=Skill.objects.none(), empty_label="Any skill"
    )

    def __init__(self, *args: Any, cohort: Cohort, departments: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "Any status"), *Participant.Status.choices]
        self.fields["department"].choices = [("", "Any department")] + [(d, d) for d in departments]
        self.fields["skill"].queryset = cohort.programme.skills.order_by("name")
        self.fields["q"].widget.attrs["class"] = "form-control"
        for name in ("status", "department", "skill"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            valid = getattr(self, "cleaned_data", {})
        else:
            valid = self.cleaned_data
        return {
            "search": valid.get("q", "") or "",
            "status": valid.get("status", "") or "",
            "department": valid.get("department", "") or "",
            "skill": valid.get("skill"),
        }


class RoleGrantForm(forms.Form):
    email = forms.EmailField(
        label="Email", help_text="The person must already have an account (Sign up)."
    )
    role = forms.ChoiceField(
        choices=ProgrammeRole.Role.choices,
        widget=forms.RadioSelect,
        initial=ProgrammeRole.Role.HR,
        help_text="Admins manage everything on these pages. HR viewers see aggregated "
        "dashboards only, never an individual's profile or notes.",
    )


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


class CharterForm(forms.Form):
    accept = forms.BooleanField(
        label="I have read the charter and commit to it.",
        error_messages={"required": "Tick the box to accept the charter and continue."},
    )


CURRENT_YEAR = timezone.now().year


class ParticipantProfileForm(forms.Form):
    skills_offered = SkillMultipleChoiceField(
        label="Skills you can offer",
        queryset=Skill.objects.none(),
        required=False,
        help_text="What you could teach a partner. Start typing to find a skill.",
    )
    skills_wanted = SkillMultipleChoiceField(
        label="Skills you want to learn",
        queryset=Skill.objects.none(),
        required=False,
        help_text="What you would like a partner to help you with.",
    )
    goals = forms.CharField(
        label="Your goals",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you want from this programme, in a few sentences. Your partner will "
        "see them.",
    )
    time_zone = forms.ChoiceField(
        label="Your time zone",
        choices=time_zone_choices,
        help_text="Used to suggest meeting times and to pair you with people you can meet.",
    )
    demographics_consent = forms.BooleanField(
        label="I agree to share my gender and birth year for this programme",
        required=False,
        help_text="Used only for pairing (for example cross-gender or cross-generation "
        "pairs) and for aggregated reports in which groups smaller than 5 people are "
        "hidden. Never shown to your partner or to anyone as an individual. Untick to "
        "erase them.",
    )
    gender = forms.CharField(
        label="Gender (in your own words)",
        max_length=60,
        required=False,
        help_text="Optional. Stored only if you tick the box above.",
    )
    birth_year = forms.IntegerField(
        label="Birth year",
        required=False,
        min_value=CURRENT_YEAR - 100,
        max_value=CURRENT_YEAR - 14,
        help_text="Optional. Stored only if you tick the box above.",
    )

    def __init__(self, *args: Any, participant: Participant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        skills = participant.cohort.programme.skills.order_by("name")
        self.fields["skills_offered"].queryset = skills
        self.fields["skills_wanted"].queryset = skills

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("demographics_consent") and (
            data.get("gender") or data.get("birth_year") is not None
        ):
            self.add_error(
                "demographics_consent",
                "Tick this box to let us store your gender and birth year, or leave those "
                "two fields empty.",
            )
        return data


class DemographicsEraseForm(forms.Form):
    """Take consent back after the participation has ended (the profile is read-only then)."""

    erase_demographics = forms.BooleanField(
        label="Erase my gender and birth year",
        error_messages={"required": "Tick the box to erase them."},
        help_text="They stop counting in pairing scores and in every report, for good.",
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why are you leaving?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only the programme admins read this. It helps them improve the programme.",
        error_messages={"required": "Tell the admins briefly why you are leaving."},
    )
    confirm = forms.BooleanField(
        label="Yes, withdraw me from this programme.",
        error_messages={"required": "Tick the box to confirm."},
    )
