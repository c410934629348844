"""Granting a programme role (admin or HR viewer)."""

from django import forms

from programmes.models import ProgrammeRole


class RoleGrantForm(forms.Form):
    email = forms.EmailField(
        label="Email",
        help_text="Someone with an account gets the role at once. Anyone else is emailed an "
        "invitation to create their account; the role is theirs when they accept it.",
    )
    role = forms.ChoiceField(
        choices=ProgrammeRole.Role.choices,
        widget=forms.RadioSelect,
        initial=ProgrammeRole.Role.HR,
        help_text="Admins manage everything on these pages. HR viewers see aggregated "
        "dashboards only, never an individual's profile or notes.",
    )
