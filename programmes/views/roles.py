"""Who administers the programme and who reads its aggregates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mentoring.errors import RuleViolation
from mentoring.forms import apply_service_errors
from programmes.forms.roles import RoleGrantForm
from programmes.permissions import programme_get_for_admin, programme_role_get_for_admin
from programmes.services.roles import role_grant, role_revoke


@login_required
def roles(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_get_for_admin(user=request.user, slug=slug)
    form = RoleGrantForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            granted = role_grant(programme=programme, by=request.user, **form.cleaned_data)
        except RuleViolation as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"{granted.user.display_name} is now {granted.get_role_display().lower()}.",
            )
            return redirect("programmes:roles", slug=programme.slug)
    context = {
        "programme": programme,
        "form": form,
        "roles": programme.roles.select_related("user", "granted_by").order_by(
            "role", "user__email"
        ),
    }
    return render(request, "programmes/roles.html", context)


@login_required
@require_POST
def role_revoke_view(request: HttpRequest, role_id: int) -> HttpResponse:
    role = programme_role_get_for_admin(user=request.user, role_id=role_id)
    programme = role.programme
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
