from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.exceptions import ValidationError

from .models import User, time_zone_choices

DEFAULT_TIME_ZONE = "UTC"  # what a new account or participant profile holds until chosen


class BrowserTimeZoneBoundField(forms.BoundField):
    """A time-zone select that still holds the untouched default on a fresh form carries
    ``data-browser-time-zone="UTC"``: ``static/js/time-zone-default.js`` then preselects the
    browser's zone and says so. A submitted form never carries it (the person's choice
    stands, UTC included), and without JavaScript the select simply shows UTC."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if not self.form.is_bound and self.value() == DEFAULT_TIME_ZONE:
            attrs["data-browser-time-zone"] = DEFAULT_TIME_ZONE
        return attrs


class TimeZoneField(forms.ChoiceField):
    """A choice of the zones Python knows (``zoneinfo``), defaulting to the browser's."""

    bound_field_class = BrowserTimeZoneBoundField

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("choices", time_zone_choices)
        kwargs.setdefault("initial", DEFAULT_TIME_ZONE)
        super().__init__(**kwargs)


class SignupForm(AllauthSignupForm):
    first_name = forms.CharField(max_length=150, label="First name")
    last_name = forms.CharField(max_length=150, label="Last name")
    # Saved by mentoring.adapters.AccountAdapter.save_user; checked against the zone list.
    # Optional: a sign-up posted without it (an old page, a script) keeps the UTC default.
    time_zone = TimeZoneField(
        label="Your time zone",
        required=False,
        help_text="Dates and times are shown to you in this time zone.",
    )

    # allauth's adapter copies first_name/last_name from cleaned_data onto the user.
    field_order = ["first_name", "last_name", "email", "password1", "password2", "time_zone"]


class ProfileForm(forms.ModelForm):
    time_zone = TimeZoneField(
        label="Time zone", help_text="Dates and times are shown to you in this time zone."
    )

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
