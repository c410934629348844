"""Forms for the pairing pages: lock toggle, swap two people, publish, end a pair."""

from django import forms

from pairing.selectors.runs import LOW_MATCH_PERCENT
from pairing.services.pairs import END_REASON_MAX_LENGTH


class PairLockForm(forms.Form):
    locked = forms.BooleanField(required=False)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class SwapForm(forms.Form):
    """Pick one person from each of two proposed pairs; ``choices`` from ``swap_choices``."""

    person_a = forms.TypedChoiceField(
        coerce=int, label="Person from the first pair", help_text="Leaves their current pair."
    )
    person_b = forms.TypedChoiceField(
        coerce=int,
        label="Person from the second pair",
        help_text="Takes the first person's place, and the other way round.",
    )

    def __init__(self, *args, choices: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        options = [("", "Choose a person…"), *choices]
        self.fields["person_a"].choices = options
        self.fields["person_b"].choices = options

    def clean(self) -> dict:
        data = super().clean()
        a, b = data.get("person_a"), data.get("person_b")
        if a is not None and a == b:
            self.add_error("person_b", "Pick a different person from another pair.")
        return data


class PublishForm(forms.Form):
    """The publish confirmation: low matches are published only with an explicit tick."""

    publish_low_matches = forms.BooleanField(
        required=False,
        label="Publish the low matches too",
        error_messages={
            "required": "Tick this box to publish the pairs that match below "
            f"{LOW_MATCH_PERCENT} %, or go back and change them first."
        },
    )

    def __init__(self, *args, low_count: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.low_count = low_count
        field = self.fields["publish_low_matches"]
        field.required = low_count > 0
        field.label = (
            f"Publish the {low_count} low match{'es' if low_count != 1 else ''} too"
            if low_count > 1
            else "Publish the low match too"
        )


class EndRequestForm(forms.Form):
    reason = forms.CharField(
        label="Why should the pair end?",
        max_length=END_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Your programme admins read this. Your partner is told the pair ended, "
        "not your reason.",
    )
    confirm = forms.BooleanField(
        label="I understand this ends the pair for both of us now. We will each be "
        "offered a new partner in the next pairing run.",
        error_messages={"required": "Tick the box to confirm you want to end the pair."},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 10:
            raise forms.ValidationError("Please give a short reason (at least 10 characters).")
        return reason
