"""Programme list, create, edit, overview and status changes (programme admins)."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mentoring.errors import RuleViolation
from mentoring.forms import apply_service_errors
from mentoring.links import site_base_url
from programmes.forms.programmes import CloseProgrammeForm, OpenEnrolmentForm, ProgrammeForm
from programmes.models import Programme
from programmes.permissions import programme_get_for_admin, user_may_create_programmes
from programmes.selectors import (
    programme_cohorts,
    programme_list_for_admin,
    programme_paired_count,
    recent_changes,
)
from programmes.services.enrolment import enrolment_opening_preview, programme_open_enrolment
from programmes.services.programmes import (
    TransitionNotAllowed,
    programme_create,
    programme_transition,
    programme_transition_counted,
    programme_transition_option,
    programme_transition_options,
    programme_update,
)

# Steps taken only from their own confirmation page (GET shows it, POST confirms).
CONFIRMATION_PAGES = {
    Programme.Status.ENROLLING: "programmes:programme_open_enrolment",
    Programme.Status.CLOSED: "programmes:programme_close",
}


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
        "transition_options": programme_transition_options(programme=programme),
        "changes": recent_changes(programme=programme),
    }
    return render(request, "programmes/programme_detail.html", context)


@login_required
@require_POST
def programme_status(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_get_for_admin(user=request.user, slug=slug)
    target = request.POST.get("target", "")
    if target in CONFIRMATION_PAGES:
        # Opening enrolment sends email and closing cannot be undone: both are confirmed
        # on their own page, whatever posted here (no script needed, none trusted).
        return redirect(CONFIRMATION_PAGES[target], slug=programme.slug)
    try:
        programme_transition(
            programme=programme, target=target, by=request.user, base_url=site_base_url(request)
        )
    except TransitionNotAllowed as exc:
        messages.error(request, f"Not yet: {' '.join(exc.blockers)}")
    else:
        messages.success(request, f"The programme is now {programme.get_status_display().lower()}.")
    return redirect("programmes:programme_detail", slug=programme.slug)


@login_required
def programme_open_enrolment_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Open enrolment: how many invitations go out per cohort and the email, then confirm."""
    programme = programme_get_for_admin(user=request.user, slug=slug)
    base_url = site_base_url(request)
    option = programme_transition_option(programme=programme, target=Programme.Status.ENROLLING)
    form = OpenEnrolmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and option is not None and form.is_valid():
        try:
            sent = programme_open_enrolment(
                programme=programme,
                by=request.user,
                base_url=base_url,
                expected_invitations=form.cleaned_data["expected_invitations"],
            )
        except TransitionNotAllowed as exc:
            messages.error(request, f"Not yet: {' '.join(exc.blockers)}")
            return redirect("programmes:programme_detail", slug=programme.slug)
        except RuleViolation as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                "The programme is now enrolling. "
                + (
                    f"{sent} invitation{'s are' if sent != 1 else ' is'} being emailed."
                    if sent
                    else "No invitation was waiting; the ones you add from now on go out at once."
                ),
            )
            return redirect("programmes:programme_detail", slug=programme.slug)
    preview = enrolment_opening_preview(programme=programme, base_url=base_url)
    context = {
        "programme": programme,
        "option": option,
        "preview": preview,
        "form": form,
    }
    return render(request, "programmes/open_enrolment.html", context)


@login_required
def programme_close_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Close the programme, irreversibly: the admin types its name to confirm."""
    programme = programme_get_for_admin(user=request.user, slug=slug)
    option = programme_transition_option(programme=programme, target=Programme.Status.CLOSED)
    form = CloseProgrammeForm(
        request.POST if request.method == "POST" else None, programme=programme
    )
    if request.method == "POST" and option is not None and form.is_valid():
        try:
            completed = programme_transition_counted(
                programme=programme,
                target=Programme.Status.CLOSED,
                by=request.user,
                base_url=site_base_url(request),
            )
        except TransitionNotAllowed as exc:
            form.add_error(None, f"Not yet: {' '.join(exc.blockers)}")
        else:
            messages.success(
                request,
                f"The programme is now closed. {completed} paired participant"
                f"{'s were' if completed != 1 else ' was'} marked completed.",
            )
            return redirect("programmes:programme_detail", slug=programme.slug)
    context = {
        "programme": programme,
        "option": option,
        "form": form,
        "paired": programme_paired_count(programme=programme),
    }
    return render(request, "programmes/programme_close.html", context)
