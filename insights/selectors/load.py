"""The dashboard's queries: a fixed number, whatever the programme's size.

Each returns plain rows (``insights.aggregates.facts``). Only aggregate-safe columns are
selected: never a name, an email, a note, a reflection's text or a survey's free text.
Demographics are read only where ``demographics_consent`` is true.

The rows are many (one per person, pair and side), so the queries read plain rows
(``values_list`` tuples, or ``values`` for the seats several loaders share), never model
instances, and a date range is applied to each timestamp's local date by the database
(``__date`` and ``TruncDate`` use the current time zone, like ``timezone.localdate``):
a filter in SQL, or a comparison of dates, not a time-zone conversion per row in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from feedback.models import ComparisonCount, OutcomeEvent, SideMetric, Survey, SurveyResponse
from feedback.outcome_models import SURVEY_SCORES
from insights.aggregates.breakdowns import SideFacts
from insights.aggregates.facts import (
    ComparisonTotals,
    MonthFacts,
    OutcomePerson,
    PairFacts,
    PersonFacts,
    SurveyChange,
)
from insights.models import DASHBOARD_PAIR_STATUSES, CohortMonth
from pairing.models import Pair, PairMember
from programmes.models import Participant, Programme

ENROLLED_STATUSES = (
    Participant.Status.ENROLLED,
    Participant.Status.PAIRED,
    Participant.Status.COMPLETED,
)


@dataclass(frozen=True)
class Scope:
    """Which part of a programme a dashboard shows (validated filters)."""

    programme: Programme
    cohort_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def in_range(self, day: dt.date | None) -> bool:
        if day is None:
            return self.date_from is None and self.date_to is None
        return (self.date_from is None or day >= self.date_from) and (
            self.date_to is None or day <= self.date_to
        )

    def period(self) -> tuple[dt.date, dt.date]:
        """The outcome period: the range, else the programme's start to today."""
        start = self.date_from or self.programme.starts_on
        end = self.date_to or min(self.programme.ends_on, timezone.localdate())
        return start, max(start, end)

    def dates_q(self, field: str) -> Q:
        """``in_range`` of ``field``'s local date, as a filter (the date itself is not null)."""
        q = Q()
        if self.date_from is not None:
            q &= Q(**{f"{field}__date__gte": self.date_from})
        if self.date_to is not None:
            q &= Q(**{f"{field}__date__lte": self.date_to})
        return q

    def cohort_q(self, prefix: str) -> Q:
        if self.cohort_id is None:
            return Q(**{f"{prefix}programme": self.programme})
        return Q(**{f"{prefix}programme": self.programme, f"{prefix}id": self.cohort_id})


@dataclass
class DashboardData:
    people: list[PersonFacts] = field(default_factory=list)
    pairs: list[PairFacts] = field(default_factory=list)
    sides: list[SideFacts] = field(default_factory=list)
    months: list[MonthFacts] = field(default_factory=list)
    survey_changes: list[SurveyChange] = field(default_factory=list)
    outcome_people: list[OutcomePerson] = field(default_factory=list)
    comparison: ComparisonTotals = field(default_factory=ComparisonTotals)
    has_surveys: bool = False
    has_outcome_data: bool = False


def load_memberships(scope: Scope) -> list[dict]:
    """Every seat in a pair shown to its members, with the aggregate-safe fields
    (``published_on``: the pair's local publication date)."""
    return list(
        PairMember.objects.filter(
            scope.cohort_q("pair__cohort__"),
            pair__status__in=DASHBOARD_PAIR_STATUSES,
            pair__published_at__isnull=False,
        ).values(
            "participant_id",
            "pair_id",
            "pair__status",
            "pair__published_at",
            "pair__first_mentor_id",
            "pair__insight_fact__active",
            "participant__seniority",
            "participant__demographics_consent",
            "participant__gender",
            "participant__birth_year",
            "participant__department",
            published_on=TruncDate("pair__published_at"),
        )
    )


def load_people(scope: Scope, memberships: list[dict]) -> list[PersonFacts]:
    """Invited in the range: how far each got (their latest pair)."""
    people = Participant.objects.filter(
        scope.cohort_q("cohort__"), scope.dates_q("created_at")
    ).values_list(
        "id",
        "status",
        ExpressionWrapper(Q(charter_accepted_at__isnull=False), output_field=BooleanField()),
        "cohort__name",
    )
    latest: dict[int, dict] = {}
    for seat in memberships:
        pid = seat["participant_id"]
        if pid not in latest or seat["pair__published_at"] > latest[pid]["pair__published_at"]:
            latest[pid] = seat
    facts = []
    for pid, status, charter_accepted, cohort in people:
        seat = latest.get(pid)
        facts.append(
            PersonFacts(
                participant_id=pid,
                cohort=cohort,
                enrolled=seat is not None or status in ENROLLED_STATUSES or charter_accepted,
                pair_status=seat["pair__status"] if seat else None,
                active=bool(seat and seat["pair__insight_fact__active"])
                and seat["pair__status"] in Pair.LIVE_STATUSES,
            )
        )
    return facts


def load_pairs(scope: Scope, memberships: list[dict]) -> list[PairFacts]:
    members: dict[int, int] = defaultdict(int)
    for seat in memberships:
        members[seat["pair_id"]] += 1
    rows = Pair.objects.filter(
        scope.cohort_q("cohort__"),
        scope.dates_q("published_at"),
        status__in=DASHBOARD_PAIR_STATUSES,
        published_at__isnull=False,
    ).values_list(
        "id",
        "status",
        "insight_fact__days_to_first_session",
        "insight_fact__cadence_windows",
        "insight_fact__windows_with_session",
        "metric__id",
        "metric__role_balance",
        "metric__reciprocity_index",
        "metric__stalled",
        "metric__lopsided",
        "metric__one_way",
    )
    return [
        PairFacts(
            pair_id=pair_id,
            members=members.get(pair_id, 2),
            status=status,
            days_to_first_session=days_to_first,
            cadence_adherence=with_session / windows if windows else None,
            role_balance=role_balance,
            reciprocity_index=reciprocity,
            has_metric=metric_id is not None,
            stalled=bool(stalled),
            lopsided=bool(lopsided),
            one_way=bool(one_way),
        )
        for (
            pair_id,
            status,
            days_to_first,
            windows,
            with_session,
            metric_id,
            role_balance,
            reciprocity,
            stalled,
            lopsided,
            one_way,
        ) in rows
    ]


def load_sides(scope: Scope, memberships: list[dict]) -> list[SideFacts]:
    """Per-side figures from feedback's stored ``SideMetric`` rows of pairs in range."""
    seats = {
        (seat["pair_id"], seat["participant_id"]): seat
        for seat in memberships
        if scope.in_range(seat["published_on"])
    }
    seniority_by_pair: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    for (pair_id, pid), seat in seats.items():
        seniority_by_pair[pair_id].append((pid, seat["participant__seniority"]))
    metrics = SideMetric.objects.filter(
        scope.cohort_q("pair__cohort__"), scope.dates_q("pair__published_at")
    ).values_list(
        "pair_id",
        "participant_id",
        "learned_mean",
        "challenged_mean",
        "listened_mean",
        "power_shared_mean",
        "goal_progress_mean",
        "items_received",
        "items_received_by_kind",
        "outcomes",
        "benefit_score",
    )
    sides = []
    for (
        pair_id,
        participant_id,
        learned,
        challenged,
        listened,
        power_shared,
        goal_progress,
        items_received,
        items_by_kind,
        outcomes,
        benefit_score,
    ) in metrics:
        seat = seats.get((pair_id, participant_id))
        if seat is None:
            continue
        others = [s for pid, s in seniority_by_pair[pair_id] if pid != participant_id]
        partner = max(others) if others and None not in others else None
        consented = bool(seat["participant__demographics_consent"])
        first = seat["pair__first_mentor_id"]
        sides.append(
            SideFacts(
                participant_id=participant_id,
                pair_id=pair_id,
                seniority=seat["participant__seniority"],
                partner_seniority=partner,
                mentored_first=None if first is None else first == participant_id,
                gender=seat["participant__gender"] if consented else "",
                birth_year=seat["participant__birth_year"] if consented else None,
                department=seat["participant__department"] or "",
                learned_mean=learned,
                challenged_mean=challenged,
                listened_mean=listened,
                power_shared_mean=power_shared,
                goal_progress_mean=goal_progress,
                items_received=items_received,
                items_received_by_kind=dict(items_by_kind or {}),
                outcome_count=sum(int(v) for v in (outcomes or {}).values()),
                benefit_score=benefit_score,
            )
        )
    return sides


def load_months(scope: Scope) -> list[MonthFacts]:
    rows = CohortMonth.objects.filter(programme=scope.programme)
    if scope.cohort_id is not None:
        rows = rows.filter(cohort_id=scope.cohort_id)
    if scope.date_from:
        rows = rows.filter(month__gte=scope.date_from.replace(day=1))
    if scope.date_to:
        rows = rows.filter(month__lte=scope.date_to)
    summed = (
        rows.values("month")
        .annotate(
            live=Sum("pairs_live"),
            people=Sum("people_live"),
            held=Sum("sessions_held"),
            met=Sum("pairs_met"),
        )
        .order_by("month")
    )
    return [
        MonthFacts(
            month=row["month"],
            pairs_live=row["live"],
            people_live=row["people"],
            sessions_held=row["held"],
            pairs_met=row["met"],
        )
        for row in summed
    ]


def load_survey_changes(scope: Scope) -> list[SurveyChange]:
    """Baseline and end scores of each participant in scope (never ``private_text``)."""
    rows = SurveyResponse.objects.filter(
        scope.cohort_q("participant__cohort__"),
        survey__programme=scope.programme,
        survey__wave__in=[Survey.Wave.BASELINE, Survey.Wave.END],
    ).values("participant_id", "survey__wave", *SURVEY_SCORES)
    answers: dict[int, dict[str, dict[str, int]]] = defaultdict(dict)
    for row in rows:
        scores = {k: row[k] for k in SURVEY_SCORES if row[k] is not None}
        answers[row["participant_id"]][row["survey__wave"]] = scores
    return [
        SurveyChange(participant_id=pid, baseline=waves["baseline"], end=waves["end"])
        for pid, waves in answers.items()
        if "baseline" in waves and "end" in waves
    ]


def load_outcomes(scope: Scope, paired_ids: set[int]) -> tuple[list[OutcomePerson], bool]:
    start, end = scope.period()
    events = OutcomeEvent.objects.filter(
        scope.cohort_q("participant__cohort__"),
        kind__in=[OutcomeEvent.Kind.LEFT, OutcomeEvent.Kind.PROMOTION],
        occurred_on__gte=start,
        occurred_on__lte=end,
    ).values_list("participant_id", "kind")
    left, promoted = set(), set()
    any_event = False
    for pid, kind in events:
        any_event = True
        (left if kind == OutcomeEvent.Kind.LEFT else promoted).add(pid)
    people = [
        OutcomePerson(participant_id=pid, left=pid in left, promoted=pid in promoted)
        for pid in sorted(paired_ids)
    ]
    return people, any_event


def load_comparison(scope: Scope) -> ComparisonTotals:
    """The organisation's counts for periods overlapping the outcome period."""
    start, end = scope.period()
    totals = ComparisonCount.objects.filter(
        programme=scope.programme, period_start__lte=end, period_end__gte=start
    ).aggregate(headcount=Sum("headcount"), leavers=Sum("leavers"), promotions=Sum("promotions"))
    return ComparisonTotals(
        headcount=totals["headcount"] or 0,
        leavers=totals["leavers"] or 0,
        promotions=totals["promotions"] or 0,
    )


def dashboard_load(scope: Scope) -> DashboardData:
    memberships = load_memberships(scope)
    people = load_people(scope, memberships)
    paired_ids = {
        seat["participant_id"] for seat in memberships if scope.in_range(seat["published_on"])
    }
    outcome_people, any_event = load_outcomes(scope, paired_ids)
    comparison = load_comparison(scope)
    changes = load_survey_changes(scope)
    return DashboardData(
        people=people,
        pairs=load_pairs(scope, memberships),
        sides=load_sides(scope, memberships),
        months=load_months(scope),
        survey_changes=changes,
        outcome_people=outcome_people,
        comparison=comparison,
        has_surveys=bool(changes),
        has_outcome_data=any_event or comparison.headcount > 0,
    )
