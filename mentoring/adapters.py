from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from .forms import DEFAULT_TIME_ZONE


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up stays open: invitees create their account from the invitation link."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return True

    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        """allauth copies names and the address; the sign-up form's time zone (the
        browser's, preselected by static/js/time-zone-default.js) is ours to copy."""
        user = super().save_user(request, user, form, commit=False)
        user.time_zone = form.cleaned_data.get("time_zone") or DEFAULT_TIME_ZONE
        if commit:
            user.save()
        return user
