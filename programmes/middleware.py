"""MFA for programme staff: who counts as staff depends on programme roles (programmes')."""

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .navigation import user_has_staff_role


class RequireMFAForStaffRolesMiddleware:
    """With ``MFA_REQUIRED_FOR_STAFF_ROLES``, programme admins, HR viewers and Django-admin
    staff (``is_staff``/``is_superuser``) must enrol TOTP.

    They are sent to the TOTP set-up page until they have an authenticator; sign-out,
    the MFA pages themselves, static files and the health check stay reachable.
    """

    exempt_prefixes = ("/accounts/", "/static/", "/healthz")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.MFA_REQUIRED_FOR_STAFF_ROLES and self._must_enrol(request):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _must_enrol(self, request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if request.path.startswith(self.exempt_prefixes):
            return False
        if not user_has_staff_role(user):
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
