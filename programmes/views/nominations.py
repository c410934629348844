"""Self-nomination pages: the public sign-up link, the admins' queue and decisions, and
switching the link on and off."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from mentoring.errors import RuleViolation
from mentoring.forms import apply_service_errors
from mentoring.links import site_base_url
from programmes.forms.nominations import (
    MOTIVATION_PROMISE,
    ApplicationApproveForm,
    ApplicationDeclineForm,
    ApplicationForm,
    NominationLinkForm,
)
from programmes.models import Application
from programmes.permissions import (
    application_get_for_admin,
    nomination_link_get_for_admin,
    programme_get_for_admin,
)
from programmes.selectors import application_counts, applications_for_admin
from programmes.services.applications import (
    application_approve,
    application_decline,
    application_refusal,
    application_submit,
    nomination_link_disable,
    nomination_link_enable,
    nomination_link_get_by_token,
)

QUEUE_PAGE_SIZE = 20


def apply(request: HttpRequest, token: str) -> HttpResponse:
    """Public (anyone with the link): what the programme is; signed in, the application."""
    link = nomination_link_get_by_token(token=token)
    if link is None:
        return render(request, "programmes/apply_invalid.html", status=404)
    programme = link.programme
    context = {
        "link": link,
        "programme": programme,
        "cohort": link.cohort,
        "promise": MOTIVATION_PROMISE,
        "next": request.path,
    }
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.path)
        return render(request, "programmes/apply.html", context)
    application = Application.objects.filter(programme=programme, user=request.user).first()
    refusal = application_refusal(programme=programme, user=request.user)
    form = None
    if not refusal:
        form = ApplicationForm(
            request.POST if request.method == "POST" else None,
            programme=programme,
            user=request.user,
        )
        if request.method == "POST" and form.is_valid():
            try:
                application_submit(link=link, user=request.user, **form.cleaned_data)
            except RuleViolation as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"Your application to {programme.name} is sent. The programme admins "
                    "decide and you get an email; your home page shows where it stands.",
                )
                return redirect("home")
    context.update({"form": form, "refusal": refusal, "application": application})
    return render(request, "programmes/apply.html", context)


@login_required
@require_GET
def application_queue(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_get_for_admin(user=request.user, slug=slug)
    status = request.GET.get("status", Application.Status.NEW)
    if status not in Application.Status.values:
        status = Application.Status.NEW
    page = Paginator(
        applications_for_admin(programme=programme, status=status), QUEUE_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {
        "programme": programme,
        "status": status,
        "statuses": Application.Status.choices,
        "counts": application_counts(programme=programme),
        "page": page,
        "approve_form": ApplicationApproveForm(programme=programme),
        "has_cohorts": programme.cohorts.exists(),
        "query": f"status={status}",
    }
    return render(request, "programmes/applications.html", context)


@login_required
@require_POST
def application_approve_view(request: HttpRequest, application_id: int) -> HttpResponse:
    application = application_get_for_admin(user=request.user, application_id=application_id)
    form = ApplicationApproveForm(request.POST, programme=application.programme)
    if not form.is_valid():
        messages.error(request, "Choose the cohort they join.")
    else:
        try:
            participant = application_approve(
                application=application,
                cohort=form.cleaned_data["cohort"],
                by=request.user,
                base_url=site_base_url(request),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"{participant.display_name} joins {participant.cohort.name}. They are emailed "
                "and now sign the charter and complete their profile.",
            )
    return redirect("programmes:application_queue", slug=application.programme.slug)


@login_required
def application_decline_view(request: HttpRequest, application_id: int) -> HttpResponse:
    application = application_get_for_admin(user=request.user, application_id=application_id)
    form = ApplicationDeclineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            application_decline(
                application=application,
                by=request.user,
                message=form.cleaned_data["message"],
                base_url=site_base_url(request),
            )
        except RuleViolation as exc:
            if not hasattr(exc, "error_dict"):  # decided meanwhile: back to the queue
                messages.error(request, " ".join(exc.messages))
                return redirect("programmes:application_queue", slug=application.programme.slug)
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, f"{application.display_name}'s application is declined; they are emailed."
            )
            return redirect("programmes:application_queue", slug=application.programme.slug)
    context = {"application": application, "programme": application.programme, "form": form}
    return render(request, "programmes/application_decline.html", context)


@login_required
@require_POST
def nomination_link_enable_view(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_get_for_admin(user=request.user, slug=slug)
    form = NominationLinkForm(request.POST, programme=programme)
    if not form.is_valid():
        messages.error(request, "Choose a cohort of this programme, or none.")
    else:
        try:
            nomination_link_enable(
                programme=programme, cohort=form.cleaned_data["cohort"], by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The sign-up link is on: copy it and share it.")
    return redirect("programmes:programme_detail", slug=programme.slug)


@login_required
@require_POST
def nomination_link_disable_view(request: HttpRequest, link_id: int) -> HttpResponse:
    link = nomination_link_get_for_admin(user=request.user, link_id=link_id)
    nomination_link_disable(link=link, by=request.user)
    messages.success(
        request, "The sign-up link is off; it no longer works. Applications already sent stay."
    )
    return redirect("programmes:programme_detail", slug=link.programme.slug)
