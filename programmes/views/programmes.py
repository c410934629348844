"""Programme list, create, edit, overview and status changes (programme admins)."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mentoring.links import site_base_url
from programmes.forms.programmes import ProgrammeForm
from programmes.permissions import programme_get_for_admin, user_may_create_programmes
from programmes.selectors import programme_cohorts, programme_list_for_admin, recent_changes
from programmes.services.programmes import (
    TransitionNotAllowed,
    programme_create,
    programme_next_transition,
    programme_transition,
    programme_update,
)


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    may_create = user_may_create_programmes(user=request.user)
    if not may_create:
        raise Http404("No programmes to manage.")
    context = {"programmes": programme_list_for_admin(user=request.user), "may_create": may_create}
    return render(request, "programmes/programme_list.html", context)


@login_required
def programme_create_view(request: HttpRequest) -> HttpResponse:
    if not user_may_create_programmes(user=request.user):
        raise Http404("No programmes to manage.")
    form = ProgrammeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        programme = programme_create(by=request.user, **form.cleaned_data)
        messages.success(
            request,
            f"“{programme.name}” was created as a draft. Add a cohort, then open enrolment.",
        )
        return redirect("programmes:programme_detail", slug=programme.slug)
    return render(request, "programmes/programme_form.html", {"form": form, "programme": None})


@login_required
def programme_edit(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_get_for_admin(user=request.user, slug=slug)
    # The form writes onto its instance while validating: give it a copy, so the service
    # (and the page heading, if the form is invalid) still see the saved values.
    form = ProgrammeForm(
        request.POST if request.method == "POST" else None, instance=copy.copy(programme)
    )
    if request.method == "POST" and form.is_valid():
        programme = programme_update(programme=programme, by=request.user, **form.cleaned_data)
        messages.success(request, "The programme settings were saved.")
        return redirect("programmes:programme_detail", slug=programme.slug)
    return render(request, "programmes/programme_form.html", {"form": form, "programme": programme})


@login_required
def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_get_for_admin(user=request.user, slug=slug)
    context = {
        "programme": programme,
        "cohorts": programme_cohorts(programme=programme),
        "next_transition": programme_next_transition(programme=programme),
        "changes": recent_changes(programme=programme),
    }
    return render(request, "programmes/programme_detail.html", context)


@login_required
@require_POST
def programme_status(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_get_for_admin(user=request.user, slug=slug)
    try:
        programme_transition(
            programme=programme,
            target=request.POST.get("target", ""),
            by=request.user,
            base_url=site_base_url(request),
        )
    except TransitionNotAllowed as exc:
        messages.error(request, f"Not yet: {' '.join(exc.blockers)}")
    else:
        messages.success(request, f"The programme is now {programme.get_status_display().lower()}.")
    return redirect("programmes:programme_detail", slug=programme.slug)
