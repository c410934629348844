from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up stays open: invitees create their account from the invitation link."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return True
