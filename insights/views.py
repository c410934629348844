"""The HR dashboard: aggregates of a programme for its HR viewers and admins."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from insights.forms import DashboardFilterForm
from insights.permissions import (
    cohorts_for_dashboard,
    dashboard_programmes,
    programme_get_for_dashboard,
)
from insights.selectors import dashboard_build, dashboard_chart


@login_required
@require_GET
def dashboard_index(request: HttpRequest) -> HttpResponse:
    """The programmes whose dashboards the user may read; 404 if none."""
    programmes = list(dashboard_programmes(user=request.user).order_by("name"))
    if not programmes and not request.user.is_superuser:
        raise Http404("No dashboards for you.")
    return render(request, "insights/index.html", {"programmes": programmes})


def _filters(request: HttpRequest, programme):
    cohorts = list(cohorts_for_dashboard(programme=programme))
    form = DashboardFilterForm(request.GET or None, programme=programme, cohorts=cohorts)
    return form, form.filters()


@login_required
@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_get_for_dashboard(user=request.user, slug=slug)
    form, filters = _filters(request, programme)
    board = dashboard_build(programme=programme, filters=filters)
    context = {
        "programme": programme,
        "form": form,
        "board": board,
        "query": request.GET.urlencode(),
        "chart_data": [chart.chartjs() for chart in board.charts],
    }
    return render(request, "insights/dashboard.html", context)


@login_required
@require_GET
def chart_csv(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """Exactly the aggregate a chart's table shows, with the page's filters."""
    programme = programme_get_for_dashboard(user=request.user, slug=slug)
    _, filters = _filters(request, programme)
    chart = dashboard_chart(programme=programme, filters=filters, key=key)
    if chart is None:
        raise Http404("No such chart.")
    response = HttpResponse(chart.csv_text(), content_type="text/csv; charset=utf-8")
    name = f"{slugify(programme.slug)}-{key.replace('_', '-')}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
