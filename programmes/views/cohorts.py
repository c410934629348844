"""Cohorts: create/edit, the participant table with its CSV export, invite one person."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from mentoring.errors import RuleViolation
from mentoring.forms import apply_service_errors
from mentoring.links import site_base_url
from programmes.csv_utils import csv_stream
from programmes.forms.cohorts import CohortForm, InviteForm, ParticipantFilterForm
from programmes.permissions import (
    cohort_get_for_admin,
    participant_get_for_admin,
    programme_get_for_admin,
)
from programmes.selectors import cohort_departments, cohort_participants, cohort_status_counts
from programmes.services.cohorts import cohort_create, cohort_update
from programmes.services.imports import COLUMNS
from programmes.services.participants import invitation_resend, participant_invite

PAGE_SIZE = 50


@login_required
def cohort_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_get_for_admin(user=request.user, slug=slug)
    form = CohortForm(request.POST if request.method == "POST" else None, programme=programme)
    if request.method == "POST" and form.is_valid():
        cohort = cohort_create(programme=programme, by=request.user, **form.cleaned_data)
        messages.success(request, f"Cohort “{cohort.name}” added. Now invite its participants.")
        return redirect("programmes:cohort_detail", cohort_id=cohort.pk)
    return render(
        request,
        "programmes/cohort_form.html",
        {"form": form, "programme": programme, "cohort": None},
    )


@login_required
def cohort_edit(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_get_for_admin(user=request.user, cohort_id=cohort_id)
    # A copy: the form writes onto its instance while validating.
    form = CohortForm(
        request.POST if request.method == "POST" else None,
        programme=cohort.programme,
        instance=copy.copy(cohort),
    )
    if request.method == "POST" and form.is_valid():
        cohort_update(cohort=cohort, by=request.user, **form.cleaned_data)
        messages.success(request, "The cohort was saved.")
        return redirect("programmes:cohort_detail", cohort_id=cohort.pk)
    context = {"form": form, "programme": cohort.programme, "cohort": cohort}
    return render(request, "programmes/cohort_form.html", context)


def _filtered(request: HttpRequest, cohort):
    departments = cohort_departments(cohort=cohort)
    form = ParticipantFilterForm(request.GET or None, cohort=cohort, departments=departments)
    filters = form.filters()
    return form, filters, cohort_participants(cohort=cohort, **filters)


@login_required
@require_GET
def cohort_detail(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_get_for_admin(user=request.user, cohort_id=cohort_id)
    form, filters, participants = _filtered(request, cohort)
    page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "programme": cohort.programme,
        "cohort": cohort,
        "form": form,
        "page": page,
        "counts": cohort_status_counts(cohort=cohort),
        "filtered": any(filters.values()),
        "query": query.urlencode(),
        "now": timezone.now(),
    }
    return render(request, "programmes/cohort_detail.html", context)


@login_required
@require_GET
def cohort_export(request: HttpRequest, cohort_id: int) -> StreamingHttpResponse:
    """The (filtered) participant table as CSV; cells that look like formulas are escaped."""
    cohort = cohort_get_for_admin(user=request.user, cohort_id=cohort_id)
    _, _, participants = _filtered(request, cohort)
    header = [
        *COLUMNS,
        "status",
        "charter_accepted_at",
        "invitation_sent_at",
        "invitation_accepted_at",
    ]

    def when(value) -> str:
        return value.isoformat(timespec="seconds") if value else ""

    def rows():
        for p in participants.iterator(chunk_size=1000):
            invitation = getattr(p, "invitation", None)
            yield [
                p.email,
                p.first_name,
                p.last_name,
                p.department,
                p.location,
                p.job_title,
                p.seniority or "",
                p.manager_email,
                p.time_zone,
                ";".join(s.name for s in p.skills_offered.all()),
                ";".join(s.name for s in p.skills_wanted.all()),
                p.status,
                when(p.charter_accepted_at),
                when(invitation.sent_at if invitation else None),
                when(invitation.accepted_at if invitation else None),
            ]

    filename = f"{slugify(cohort.programme.slug)}-{slugify(cohort.name)}-participants.csv"
    response = StreamingHttpResponse(
        csv_stream(header, rows()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def participant_invite_view(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_get_for_admin(user=request.user, cohort_id=cohort_id)
    form = InviteForm(request.POST if request.method == "POST" else None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            participant = participant_invite(
                cohort=cohort, by=request.user, base_url=site_base_url(request), **form.cleaned_data
            )
        except ValidationError as exc:  # a RuleViolation, or the model's own checks
            apply_service_errors(form, exc)
        else:
            for warning in form.warnings:
                messages.warning(request, warning)
            sent_later = cohort.programme.status == cohort.programme.Status.DRAFT
            messages.success(
                request,
                f"{participant.display_name} is invited."
                + (
                    " The email goes out when you open enrolment."
                    if sent_later
                    else " The email is on its way."
                ),
            )
            if "another" in request.POST:
                return redirect("programmes:participant_invite", cohort_id=cohort.pk)
            return redirect("programmes:cohort_detail", cohort_id=cohort.pk)
    context = {"form": form, "cohort": cohort, "programme": cohort.programme}
    return render(request, "programmes/participant_invite.html", context)


@login_required
@require_POST
def participant_resend(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = participant_get_for_admin(user=request.user, participant_id=participant_id)
    try:
        invitation_resend(participant=participant, by=request.user, base_url=site_base_url(request))
    except RuleViolation as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"A new invitation is on its way to {participant.email}.")
    if request.POST.get("back") == "participant":  # sent from the participant's own page
        return redirect("programmes:participant_manage", participant_id=participant.pk)
    return redirect("programmes:cohort_detail", cohort_id=participant.cohort_id)
