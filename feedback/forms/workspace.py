"""Forms of the pair's workspace: reflections, goals, ledger items, asks, retrospectives."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils import timezone

from feedback.models import Ask, BenefitItem, Goal
from programmes.models import Participant

RATING_CHOICES = [(i, str(i)) for i in range(1, 6)]


def _rating(label: str, help_text: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        help_text=help_text,
    )


class ReflectionForm(forms.Form):
    learned = _rating("I learned something", "1 = nothing new, 5 = a lot")
    challenged = _rating("I was challenged", "1 = not at all, 5 = stretched")
    listened = _rating("I was listened to and affirmed", "1 = not at all, 5 = fully")
    power_shared = _rating("Power was shared evenly", "1 = one of us led it all, 5 = evenly")
    learned_text = forms.CharField(
        label="What I learned", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    change_text = forms.CharField(
        label="What I will do differently",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    share_with_partner = forms.BooleanField(
        label="Share these two texts with my partner",
        required=False,
        help_text="Unticked, only you read them. Ticked, your partner reads them on the "
        "session page. Programme admins and HR never see these texts.",
    )


class GoalForm(forms.Form):
    title = forms.CharField(label="Goal", max_length=200)
    description = forms.CharField(
        label="Details", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    progress = forms.IntegerField(
        label="Progress (%)",
        min_value=0,
        max_value=100,
        initial=0,
        widget=forms.NumberInput(attrs={"step": 5}),
    )
    due_on = forms.DateField(
        label="Due on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class GoalEditForm(GoalForm):
    status = forms.ChoiceField(label="Status", choices=Goal.Status.choices)

    field_order = ["title", "description", "progress", "status", "due_on"]


class GoalCommentForm(forms.Form):
    text = forms.CharField(
        label="Your comment", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class BenefitItemForm(forms.Form):
    """Record something one side did for the other: given or received."""

    direction = forms.ChoiceField(
        label="Who did it?",
        choices=[
            ("received", "My partner did this for me"),
            ("given", "I did this for my partner"),
        ],
        widget=forms.RadioSelect,
        initial="received",
    )
    kind = forms.ChoiceField(
        label="What kind of thing?",
        choices=[c for c in BenefitItem.Kind.choices if c[0] != BenefitItem.Kind.ASK_FULFILLED],
    )
    description = forms.CharField(
        label="What happened",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: “Introduced me to the head of data at the March offsite.”",
    )
    occurred_on = forms.DateField(
        label="When", widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )

    def __init__(self, *args, partners: Sequence[Participant], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.partners = list(partners)
        if len(self.partners) > 1:
            self.fields["partner"] = forms.TypedChoiceField(
                label="Which partner?",
                choices=[(p.pk, p.display_name) for p in self.partners],
                coerce=int,
            )

    def clean_occurred_on(self):
        value = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("This date is in the future.")
        return value

    def partner(self) -> Participant:
        if len(self.partners) == 1:
            return self.partners[0]
        chosen = self.cleaned_data["partner"]
        return next(p for p in self.partners if p.pk == chosen)


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label="What do you see differently?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Your partner sees this. A disputed item never counts.",
    )


class AskForm(forms.Form):
    kind = forms.ChoiceField(
        label="Your question", choices=Ask.Kind.choices, widget=forms.RadioSelect
    )
    detail = forms.CharField(
        label="Details",
        max_length=300,
        required=False,
        help_text="For “advocate for me in …” say in what; for “introduce me to …” say to whom.",
    )


class AskAnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Your answer",
        choices=[("fulfilled", "Yes — done, or I will"), ("declined", "Not this time")],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label="What you did, or why not", widget=forms.Textarea(attrs={"rows": 3})
    )


class RetrospectiveForm(forms.Form):
    retrospective = forms.CharField(
        label="Your retrospective",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text="What did each of you give and take? What will you carry forward?",
    )
