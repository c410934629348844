"""Who administers the programme and who reads its aggregates; invitations by email."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from mentoring.errors import RuleViolation
from mentoring.forms import apply_service_errors
from mentoring.links import site_base_url
from programmes.forms.roles import RoleGrantForm
from programmes.models import ProgrammeRole
from programmes.permissions import (
    programme_get_for_admin,
    programme_role_get_for_admin,
    staff_invitation_get_for_admin,
)
from programmes.services.roles import role_add, role_revoke
from programmes.services.staff_invitations import (
    staff_invitation_resend,
    staff_invitation_revoke,
    staff_invitations_open,
)


@login_required
def roles(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_get_for_admin(user=request.user, slug=slug)
    form = RoleGrantForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            added = role_add(
                programme=programme,
                by=request.user,
                base_url=site_base_url(request),
                **form.cleaned_data,
            )
        except RuleViolation as exc:
            apply_service_errors(form, exc)
        else:
            if isinstance(added, ProgrammeRole):
                text = f"{added.user.display_name} is now {added.get_role_display().lower()}."
            else:
                text = (
                    f"Nobody has an account with {added.email} yet: an invitation to join as "
                    f"{added.get_role_display().lower()} is being emailed. The role is theirs "
                    "once they accept it."
                )
            messages.success(request, text)
            return redirect("programmes:roles", slug=programme.slug)
    context = {
        "programme": programme,
        "form": form,
        "roles": programme.roles.select_related("user", "granted_by").order_by(
            "role", "user__email"
        ),
        "invitations": staff_invitations_open(programme=programme),
    }
    return render(request, "programmes/roles.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def role_revoke_view(request: HttpRequest, role_id: int) -> HttpResponse:
    """GET: what removing the role means, and a button to confirm. POST: remove it."""
    role = programme_role_get_for_admin(user=request.user, role_id=role_id)
    programme = role.programme
    if request.method == "GET":
        context = {"programme": programme, "role": role, "is_me": role.user_id == request.user.pk}
        return render(request, "programmes/role_revoke.html", context)
    try:
        role_revoke(role=role, by=request.user)
    except RuleViolation as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"{role.user.display_name} is no longer {role.get_role_display().lower()}."
        )
    if (
        role.user_id == request.user.pk
        and role.role == role.Role.ADMIN
        and not request.user.is_superuser
    ):
        return redirect("programmes:programme_list")
    return redirect("programmes:roles", slug=programme.slug)


@login_required
@require_POST
def staff_invitation_resend_view(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = staff_invitation_get_for_admin(user=request.user, invitation_id=invitation_id)
    try:
        staff_invitation_resend(
            invitation=invitation, by=request.user, base_url=site_base_url(request)
        )
    except RuleViolation as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"A new invitation is being emailed to {invitation.email}; the old link "
            "no longer works.",
        )
    return redirect("programmes:roles", slug=invitation.programme.slug)


@login_required
@require_POST
def staff_invitation_revoke_view(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = staff_invitation_get_for_admin(user=request.user, invitation_id=invitation_id)
    try:
        staff_invitation_revoke(invitation=invitation, by=request.user)
    except RuleViolation as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"The invitation of {invitation.email} was revoked; its link no longer works."
        )
    return redirect("programmes:roles", slug=invitation.programme.slug)
