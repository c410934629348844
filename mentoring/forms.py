from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.exceptions import ValidationError

from .models import User


class SignupForm(AllauthSignupForm):
    first_name = forms.CharField(max_length=150, label="First name")
    last_name = forms.CharField(max_length=150, label="Last name")

    # allauth's adapter copies first_name/last_name from cleaned_data onto the user.
    field_order = ["first_name", "last_name", "email", "password1", "password2"]


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "time_zone", "language"]


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ``RuleViolation`` (any ``ValidationError``) on ``form``: each message
    next to the field it names, else above the form (non-field errors).

    The one helper every view uses to turn a refused write into form errors.
    """
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)
