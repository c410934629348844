"""Forms of the outcome pages: a participant's survey answers, and the outcome CSV imports."""

from __future__ import annotations

from django import forms

from programmes.services.imports import MAX_FILE_BYTES

SCORE_CHOICES = [(i, str(i)) for i in range(1, 6)]

# field → (question, word at 1, word at 5)
SURVEY_QUESTIONS = {
    "engagement": ("I feel engaged in my work", "Not at all", "Completely"),
    "satisfaction": ("I am satisfied with this mentoring programme", "Not at all", "Completely"),
    "confidence": ("I feel confident in my role", "Not at all", "Very confident"),
    "valued": ("I feel valued by the organisation", "Not at all", "Very valued"),
    "intent_to_stay": (
        "I see myself still working here in two years",
        "Very unlikely",
        "Very likely",
    ),
}
PRIVATE_TEXT_LABEL = "Anything else you want to say? (optional)"
PRIVATE_TEXT_HELP = (
    "Only you ever read this answer: not your partner, not the programme admins, not HR. "
    "It is a note for yourself, to look back on at the end of the programme."
)


def _score(field: str) -> forms.TypedChoiceField:
    question, low, high = SURVEY_QUESTIONS[field]
    return forms.TypedChoiceField(
        label=question,
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        help_text=f"1 = {low.lower()}, 5 = {high.lower()}",
        error_messages={"required": "Choose from 1 to 5."},
    )


class SurveyForm(forms.Form):
    engagement = _score("engagement")
    satisfaction = _score("satisfaction")
    confidence = _score("confidence")
    valued = _score("valued")
    intent_to_stay = _score("intent_to_stay")
    private_text = forms.CharField(
        label=PRIVATE_TEXT_LABEL,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
        help_text=PRIVATE_TEXT_HELP,
    )

    def score_fields(self):
        """(bound field, word at 1, word at 5) for the template."""
        return [
            (self[name], SURVEY_QUESTIONS[name][1], SURVEY_QUESTIONS[name][2])
            for name in SURVEY_QUESTIONS
        ]


class OutcomeUploadForm(forms.Form):
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


class OutcomeApplyForm(forms.Form):
    # The "Import the N good rows and skip the M with errors" button.
    skip_errors = forms.BooleanField(required=False)
    # How many good rows the person saw: apply refuses if the check now gives another number.
    expected = forms.IntegerField(required=False, min_value=0)
