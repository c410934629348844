"""A programme's dashboard: sections of charts built from ``load``'s rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from insights.aggregates import Chart
from insights.aggregates.breakdowns import BREAKDOWNS
from insights.aggregates.charts_outcomes import promotion_chart, retention_chart
from insights.aggregates.charts_programme import (
    cadence_chart,
    first_session_chart,
    flags_chart,
    funnel_chart,
    match_rate_chart,
    reciprocity_chart,
    role_balance_chart,
    sessions_over_time_chart,
)
from insights.aggregates.charts_sides import (
    benefit_chart,
    items_chart,
    ratings_chart,
    survey_change_chart,
)
from insights.aggregates.contract import chart_from_dict, chart_to_dict
from insights.models import DashboardRefresh, DashboardSnapshot
from programmes.models import Cohort, Programme

from .load import DashboardData, Scope, dashboard_load


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    charts: list[Chart]
    intro: str = ""


@dataclass
class Dashboard:
    programme: Programme
    breakdown: str
    sections: list[Section] = field(default_factory=list)
    computed_at: dt.datetime | None = None
    stored: bool = False  # read from a snapshot (else computed for a date range)

    @property
    def charts(self) -> list[Chart]:
        return [chart for section in self.sections for chart in section.charts]


def _sections(scope: Scope, breakdown: str, data: DashboardData) -> list[Section]:
    programme = scope.programme
    label = BREAKDOWNS[breakdown][0].lower()
    start, end = scope.period()
    period = f"Period: {start:%d %b %Y} to {end:%d %b %Y}."
    sections = [
        Section(
            "participation",
            "Participation",
            [
                funnel_chart(data.people),
                match_rate_chart(data.people),
                first_session_chart(data.pairs),
            ],
        ),
        Section(
            "activity",
            "Activity and balance",
            [
                sessions_over_time_chart(
                    data.months, current_month=timezone.localdate().replace(day=1)
                ),
                cadence_chart(data.pairs, cadence_days=programme.cadence_days),
                role_balance_chart(data.pairs),
                reciprocity_chart(data.pairs),
                flags_chart(data.pairs),
            ],
        ),
        Section(
            "sides",
            f"Who benefits: per side, by {label}",
            [
                benefit_chart(breakdown, data.sides),
                items_chart(breakdown, data.sides),
                # What each side received, always by gender and by side of the pair (the
                # first source article asks whether women are pushed as hard as men), and
                # by the chosen breakdown when it is another one.
                ratings_chart("gender", data.sides, key="ratings_gender"),
                ratings_chart("seniority", data.sides, key="ratings_side"),
                *(
                    []
                    if breakdown in ("gender", "seniority")
                    else [ratings_chart(breakdown, data.sides)]
                ),
            ],
            intro="A side is one person in one pair. Gender and generation use only "
            "values given with consent; everyone else is “Not given or no consent”.",
        ),
        Section(
            "surveys",
            f"Survey change, baseline to end, by {label}",
            [survey_change_chart(breakdown, data.sides, data.survey_changes)],
        ),
        Section(
            "outcomes",
            "Retention and promotion against the comparison group",
            [
                retention_chart(data.outcome_people, data.comparison, period=period),
                promotion_chart(data.outcome_people, data.comparison, period=period),
            ],
            intro="Participants: everyone paired in the chosen cohorts and range. "
            "Comparison group: the organisation-wide counts imported for the same period.",
        ),
    ]
    return sections


def _sections_to_json(sections: list[Section]) -> list[dict]:
    return [
        {
            "key": section.key,
            "title": section.title,
            "intro": section.intro,
            "charts": [chart_to_dict(chart) for chart in section.charts],
        }
        for section in sections
    ]


def _sections_from_json(data: list[dict]) -> list[Section]:
    return [
        Section(
            key=section["key"],
            title=section["title"],
            intro=section["intro"],
            charts=[chart_from_dict(chart) for chart in section["charts"]],
        )
        for section in data
    ]


def dashboard_snapshots_build(*, programme: Programme, now: dt.datetime) -> list[DashboardSnapshot]:
    """Unsaved snapshots of every cohort (and all cohorts) × every breakdown.

    One load per cohort scope; the breakdowns only regroup the loaded rows.
    """
    snapshots = []
    cohort_ids = [None, *Cohort.objects.filter(programme=programme).values_list("pk", flat=True)]
    for cohort_id in cohort_ids:
        scope = Scope(programme=programme, cohort_id=cohort_id)
        data = dashboard_load(scope)
        for breakdown in BREAKDOWNS:
            snapshots.append(
                DashboardSnapshot(
                    programme=programme,
                    cohort_id=cohort_id,
                    breakdown=breakdown,
                    charts=_sections_to_json(_sections(scope, breakdown, data)),
                    computed_at=now,
                )
            )
    return snapshots


def dashboard_build(*, programme: Programme, filters: dict) -> Dashboard:
    """The charts for ``filters``: the stored snapshot when no date range is chosen (one
    query), else computed from the stored metrics and summaries (a fixed number of
    queries, more time)."""
    scope = Scope(
        programme=programme,
        cohort_id=filters.get("cohort_id"),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    breakdown = filters.get("breakdown") or "seniority"
    if scope.date_from is None and scope.date_to is None:
        snapshot = (
            DashboardSnapshot.objects.filter(
                programme=programme, cohort_id=scope.cohort_id, breakdown=breakdown
            )
            .order_by("-computed_at")
            .first()
        )
        if snapshot is not None:
            return Dashboard(
                programme=programme,
                breakdown=breakdown,
                sections=_sections_from_json(snapshot.charts),
                computed_at=snapshot.computed_at,
                stored=True,
            )
    refresh = DashboardRefresh.objects.filter(programme=programme).first()
    return Dashboard(
        programme=programme,
        breakdown=breakdown,
        sections=_sections(scope, breakdown, dashboard_load(scope)),
        computed_at=refresh.computed_at if refresh else None,
    )


def dashboard_chart(*, programme: Programme, filters: dict, key: str) -> Chart | None:
    """One chart of the dashboard (for its CSV), with the same filters."""
    for chart in dashboard_build(programme=programme, filters=filters).charts:
        if chart.key == key:
            return chart
    return None
