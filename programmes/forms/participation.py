"""The participant's journey: charter, profile (with consented demographics), withdrawal."""

from typing import Any

from django import forms
from django.utils import timezone

from mentoring.forms import TimeZoneField
from programmes.models import Participant, Skill

from .fields import SkillMultipleChoiceField


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
    # A fresh profile still on UTC preselects the browser's zone (static/js/time-zone-default.js).
    time_zone = TimeZoneField(
        label="Your time zone",
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
    gender = forms.ChoiceField(
        label="Gender",
        choices=Participant.Gender.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="Optional. Stored only if you tick the box above. A programme that pairs "
        "across genders compares Woman, Man and Non-binary only: Self-describe and Prefer "
        "not to say count as not given for that bonus.",
    )
    gender_self_description = forms.CharField(
        label="If you self-describe: your words",
        max_length=60,
        required=False,
        help_text="Only with “Self-describe”. Never shown to your partner or to admins.",
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
        gender, words = data.get("gender") or "", (data.get("gender_self_description") or "")
        words = data["gender_self_description"] = words.strip()
        if words and not gender:
            gender = data["gender"] = Participant.Gender.SELF_DESCRIBE
        if words and gender != Participant.Gender.SELF_DESCRIBE:
            self.add_error(
                "gender_self_description",
                "Choose “Self-describe” to use your own words, or empty this box.",
            )
        elif gender == Participant.Gender.SELF_DESCRIBE and not words:
            self.add_error(
                "gender_self_description",
                "Write how you describe your gender, or choose another answer.",
            )
        # "Prefer not to say" shares nothing, so it needs no consent (and is not stored).
        shares_gender = gender not in ("", Participant.Gender.PREFER_NOT) or words
        if not data.get("demographics_consent") and (
            shares_gender or data.get("birth_year") is not None
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
