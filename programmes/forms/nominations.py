"""Self-nomination: the application form, the admins' decision forms, the sign-up link."""

from typing import Any

from django import forms

from mentoring.forms import TimeZoneField
from mentoring.models import User
from programmes.models import MOTIVATION_MAX_LENGTH, Cohort, Programme, Skill
from programmes.services.applications import DECISION_MESSAGE_MAX_LENGTH

from .fields import SkillMultipleChoiceField

MOTIVATION_PROMISE = "Only this programme's admins read this."


class ApplicationForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    department = forms.CharField(max_length=120)
    job_title = forms.CharField(max_length=160)
    location = forms.CharField(max_length=120, help_text="City or office.")
    time_zone = TimeZoneField(
        label="Your time zone",
        help_text="Used to suggest meeting times and to pair you with people you can meet.",
    )
    seniority = forms.IntegerField(
        label="Level (optional)",
        min_value=1,
        max_value=10,
        required=False,
        help_text="1 = most junior, 10 = most senior. Helps pair people across levels.",
    )
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
    motivation = forms.CharField(
        label="Why do you want to join?",
        max_length=MOTIVATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"{MOTIVATION_PROMISE} A few sentences: what you hope to learn, and what "
        f"you could bring a partner. At most {MOTIVATION_MAX_LENGTH} characters.",
        error_messages={"required": "Say in a few sentences why you want to join."},
    )

    def __init__(self, *args: Any, programme: Programme, user: User, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "first_name": user.first_name,
                "last_name": user.last_name,
                "time_zone": user.time_zone,
            },
        )
        super().__init__(*args, **kwargs)
        skills = programme.skills.order_by("name")
        self.fields["skills_offered"].queryset = skills
        self.fields["skills_wanted"].queryset = skills


class ApplicationApproveForm(forms.Form):
    cohort = forms.ModelChoiceField(label="Into the cohort", queryset=Cohort.objects.none())

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = programme.cohorts.order_by("starts_on", "name")
        self.fields["cohort"].label_from_instance = lambda cohort: cohort.name


class ApplicationDeclineForm(forms.Form):
    message = forms.CharField(
        label="A message for them (optional)",
        required=False,
        max_length=DECISION_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Sent in the email that tells them the decision, for example when the "
        "next intake opens.",
    )


class NominationLinkForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label="Applicants join",
        queryset=Cohort.objects.none(),
        required=False,
        empty_label="the cohort I choose when approving",
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = programme.cohorts.order_by("starts_on", "name")
        self.fields["cohort"].label_from_instance = lambda cohort: cohort.name
