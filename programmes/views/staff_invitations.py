"""An invited admin or HR viewer follows the emailed link: sign up or in, then accept."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_variables

from mentoring.errors import RuleViolation
from programmes.models import ProgrammeRole
from programmes.services.participants import user_owns_email
from programmes.services.staff_invitations import (
    staff_invitation_accept,
    staff_invitation_get_by_token,
    staff_invitation_refusal,
    staff_invitation_role_held,
)

# The token, kept in the session across sign-up (and email verification), so the home page
# can offer to continue: as ``programmes.views.participation.PENDING_INVITATION`` does.
PENDING_STAFF_INVITATION = "pending_staff_invitation"


def _landing(role: ProgrammeRole) -> HttpResponse:
    """Admins land on their programme; HR viewers on their home page (their dashboards)."""
    if role.role == ProgrammeRole.Role.ADMIN:
        return redirect("programmes:programme_detail", slug=role.programme.slug)
    return redirect("home")


@sensitive_variables("token")
def staff_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Public (the token is the secret). Looked up by its hash; see ``mentoring.redaction``."""
    found = staff_invitation_get_by_token(token=token)
    if found is None:
        return render(request, "programmes/invitation_invalid.html", status=404)
    context = {
        "invitation": found,
        "programme": found.programme,
        "is_hr": found.role == ProgrammeRole.Role.HR,
        "error": staff_invitation_refusal(invitation=found),
    }
    user = request.user
    if not user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        context["next"] = request.path
        if not context["error"]:
            request.session[PENDING_STAFF_INVITATION] = token
        return render(request, "programmes/staff_invitation.html", context)

    if not user_owns_email(user=user, email=found.email):
        context["error"] = (
            "This invitation was sent to a different email address than the one you are "
            "signed in with. Sign out, then sign in or create an account with the invited "
            "address."
        )
        context["wrong_account"] = True
        return render(request, "programmes/staff_invitation.html", context, status=403)
    already = staff_invitation_role_held(invitation=found, user=user)
    if already is not None:
        request.session.pop(PENDING_STAFF_INVITATION, None)
        return _landing(already)
    if request.method == "POST":
        try:
            role = staff_invitation_accept(invitation=found, user=user)
        except RuleViolation as exc:
            context["error"] = " ".join(exc.messages)
        else:
            request.session.pop(PENDING_STAFF_INVITATION, None)
            messages.success(
                request,
                f"Welcome: you are now {role.get_role_display().lower()} of {role.programme.name}.",
            )
            return _landing(role)
    return render(request, "programmes/staff_invitation.html", context)
