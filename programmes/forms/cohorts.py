"""Cohort pages: the cohort form, inviting one person, the participant table's filters."""

from typing import Any

from django import forms

from mentoring.models import time_zone_choices
from programmes.models import Cohort, Participant, Programme, Skill
from programmes.services.imports import COLUMNS, MISSING_EMAIL, SKILL_COLUMNS
from programmes.services.participants import participant_invite_check

from .fields import DATE_INPUT, SkillMultipleChoiceField


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


class ParticipantDetailsForm(forms.Form):
    """The profile fields a programme admin owns (never the participant's own answers)."""

    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(label="Work email")
    department = forms.CharField(max_length=120, required=False)
    location = forms.CharField(max_length=120, required=False, help_text="City or office.")
    job_title = forms.CharField(max_length=160, required=False)
    seniority = forms.IntegerField(
        label="Level",
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
    time_zone = forms.ChoiceField(choices=time_zone_choices)

    def __init__(self, *args: Any, participant: Participant, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                name: getattr(participant, name)
                for name in (
                    "first_name",
                    "last_name",
                    "email",
                    "department",
                    "location",
                    "job_title",
                    "seniority",
                    "manager_email",
                    "time_zone",
                )
            },
        )
        super().__init__(*args, **kwargs)
        if participant.user_id is not None:
            # Accepted: the address is the one they sign in with, theirs to change.
            email = self.fields["email"]
            email.disabled = True
            email.help_text = (
                "They accepted the invitation and sign in with this address; they change it "
                "in their own account."
            )
        else:
            self.fields["email"].help_text = (
                "Changing it emails a fresh invitation to the new address (the old link stops "
                "working)."
            )


def _cohort_label(cohort: Cohort) -> str:
    return f"{cohort.name} ({cohort.starts_on:%d %b %Y} – {cohort.ends_on:%d %b %Y})"


class ParticipantMoveForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label="Move to the cohort",
        queryset=Cohort.objects.none(),
        empty_label="Choose a cohort",
        help_text="Their invitation and profile move with them. If they are in a proposed "
        "pair that is not published yet, that proposal is dropped and the proposed partner "
        "waits for the next pairing run of this cohort.",
    )

    def __init__(self, *args: Any, participant: Participant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = (
            Cohort.objects.filter(programme_id=participant.cohort.programme_id)
            .exclude(pk=participant.cohort_id)
            .order_by("starts_on", "name")
        )
        self.fields["cohort"].label_from_instance = _cohort_label


class ParticipantWithdrawForm(forms.Form):
    """An admin withdraws someone: the reason is for the programme's admins only."""

    reason = forms.CharField(
        label="Why are they leaving?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only this programme's admins read this. The participant sees on their "
        "programme page that an admin withdrew them, never your reason.",
        error_messages={"required": "Say briefly why they are leaving."},
    )
    confirm = forms.BooleanField(
        label="Yes, withdraw this person from the programme.",
        error_messages={"required": "Tick the box to confirm."},
    )
