"""Pair health for programme admins: stored metrics and flags, never notes or reflections."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from feedback.forms.health import PairHealthFilterForm
from feedback.selectors.metrics import (
    pair_health_row,
    pair_health_rows,
    pair_health_summary,
    programmes_needing_attention,
)
from feedback.selectors.recompute import recompute_state
from feedback.services.metrics import metrics_recompute_request
from feedback.views.health_actions import pair_health_detail_render
from pairing.permissions import pair_get_for_admin
from programmes.permissions import programme_get_for_admin, programmes_for_admin

PAGE_SIZE = 50


@login_required
@require_GET
def pair_health(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_get_for_admin(user=request.user, slug=slug)
    form = PairHealthFilterForm(request.GET or None, programme=programme)
    filters, sort = form.filters()
    pairs = pair_health_rows(programme=programme, filters=filters, sort=sort)
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "programme": programme,
        "form": form,
        "page": page,
        "rows": [pair_health_row(pair=p, programme=programme, now=now) for p in page.object_list],
        "summary": pair_health_summary(programme=programme),
        "filtered": any(filters.values()),
        "query": query.urlencode(),
        "sort": sort,
        "recompute": recompute_state(programme=programme),
    }
    return render(request, "feedback/health/pair_list.html", context)


@login_required
@require_POST
def pair_health_recompute(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_get_for_admin(user=request.user, slug=slug)
    job, queued = metrics_recompute_request(programme=programme, by=request.user)
    if queued:
        messages.success(
            request,
            f"Recomputing the metrics of this programme's {job.total} "
            f"pair{'s' if job.total != 1 else ''}: the progress is below, and the figures "
            "refresh when it is done.",
        )
    else:
        messages.info(request, "A recompute is already on its way: its progress is below.")
    return redirect("feedback:pair_health", slug=programme.slug)


@login_required
@require_GET
def pair_health_recompute_progress(request: HttpRequest, slug: str) -> HttpResponse:
    """htmx partial polled every second while a recompute is queued or running.

    Once it has finished, ``HX-Refresh`` makes htmx reload the whole page, so the fresh
    figures show (as the pairing run's progress does).
    """
    programme = programme_get_for_admin(user=request.user, slug=slug)
    state = recompute_state(programme=programme)
    context = {"programme": programme, "recompute": state}
    response = render(request, "feedback/health/_recompute_progress.html", context)
    if not state.active and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
def pair_health_detail_view(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair = pair_get_for_admin(user=request.user, pair_id=pair_id)
    return pair_health_detail_render(request, pair)  # with the admins' actions on the pair


@login_required
@require_GET
def programme_health_summary(request: HttpRequest, slug: str) -> HttpResponse:
    """The small "Pair health" block of the programme page (htmx fragment)."""
    programme = programme_get_for_admin(user=request.user, slug=slug)
    context = {"programme": programme, "summary": pair_health_summary(programme=programme)}
    return render(request, "feedback/health/_programme_summary.html", context)


@login_required
@require_GET
def attention(request: HttpRequest) -> HttpResponse:
    """The home card's body: the admin's programmes with their flagged pairs (htmx fragment)."""
    programmes = programmes_needing_attention(programmes=programmes_for_admin(user=request.user))
    if not programmes and not request.user.is_superuser:
        raise Http404("No programmes to watch.")
    return render(request, "feedback/health/_attention.html", {"programmes": programmes})
