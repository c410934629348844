"""Reads of the stored metrics for the admins' pair-health pages (list, summary, detail).

Nothing here computes a metric: pages read what ``feedback.services.metrics`` stored.
Every function runs a fixed number of queries, however many pairs there are. (A member's
own balance card on the pair page is ``feedback.selectors.balance``.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from feedback.models import BenefitItem, PairMetric, SideMetric
from pairing.models import FlagSnooze, Pair
from pairing.selectors.pair_admin import snoozes_running, snoozes_running_for
from pairing.selectors.sides import seat_queryset, seats, seats_remember
from programmes.models import Programme

FLAGS = {
    "stalled": ("Stalled", "No session within the cadence plus 50 %."),
    "lopsided": ("Lopsided", "Reciprocity below the programme's threshold."),
    "one_way": ("One-way", "One side has never mentored after 3 sessions."),
    "unconfirmed": (
        "Unconfirmed items",
        "Ledger items waiting more than 14 days for confirmation.",
    ),
}
FLAG_FILTERS = {
    "stalled": Q(metric__stalled=True),
    "lopsided": Q(metric__lopsided=True),
    "one_way": Q(metric__one_way=True),
    "unconfirmed": Q(metric__unconfirmed_items__gt=0),
}


def flag_open_q(flag: str, *, now: datetime, metric: str = "metric__", pair: str = "pk") -> Q:
    """``flag`` is raised by the stored metrics and not snoozed at ``now``.

    ``metric``: the path from the queried model to PairMetric's fields; ``pair``: the field
    holding the pair's id (a snoozed flag stops counting until the snooze ends or is lifted).
    """
    snoozed = snoozes_running(now=now).filter(pair=OuterRef(pair), flag=flag)
    raised = Q(
        **{f"{metric}unconfirmed_items__gt": 0}
        if flag == "unconfirmed"
        else {f"{metric}{flag}": True}
    )
    return raised & ~Exists(snoozed)


def any_flag_open_q(*, now: datetime, metric: str = "metric__", pair: str = "pk") -> Q:
    """At least one flag raised and not snoozed."""
    q = Q()
    for flag in FLAGS:
        q |= flag_open_q(flag, now=now, metric=metric, pair=pair)
    return q


SORTS = {
    "reciprocity": (F("metric__reciprocity_index").asc(nulls_last=True),),
    "-reciprocity": (F("metric__reciprocity_index").desc(nulls_last=True),),
    "last_session": (F("metric__last_session_at").asc(nulls_first=True),),
    "-last_session": (F("metric__last_session_at").desc(nulls_last=True),),
    "sessions": (F("metric__sessions_held").asc(nulls_first=True),),
    "-sessions": (F("metric__sessions_held").desc(nulls_last=True),),
}
DEFAULT_SORT = "reciprocity"
LISTED_STATUSES = (
    Pair.Status.PUBLISHED,
    Pair.Status.ACTIVE,
    Pair.Status.COMPLETED,
    Pair.Status.ENDED_EARLY,
)


def pair_health_rows(
    *,
    programme: Programme,
    filters: dict[str, Any] | None = None,
    sort: str = DEFAULT_SORT,
    now: datetime | None = None,
) -> QuerySet[Pair]:
    """The programme's published-or-later pairs with their stored metrics, for one table.

    ``filters``: ``flag`` (a key of FLAGS or "any"), ``cohort`` (a Cohort), ``status``.
    ``sort``: a key of SORTS. Members and side metrics are prefetched (two queries per
    page, whatever its length); no note or reflection text is ever selected. A flag filter
    leaves out pairs whose flag is snoozed at ``now``; their running snoozes are prefetched
    (``running_snoozes``, one query per page).
    """
    filters = filters or {}
    now = now or timezone.now()
    pairs = Pair.objects.filter(cohort__programme=programme, status__in=LISTED_STATUSES)
    flag = filters.get("flag")
    if flag == "any":
        pairs = pairs.filter(any_flag_open_q(now=now))
    elif flag in FLAG_FILTERS:
        pairs = pairs.filter(flag_open_q(flag, now=now))
    if filters.get("cohort"):
        pairs = pairs.filter(cohort=filters["cohort"])
    if filters.get("status"):
        pairs = pairs.filter(status=filters["status"])
    members = seat_queryset().only(
        "pair_id",
        "position",
        "participant__first_name",
        "participant__last_name",
        "participant__email",
    )
    return (
        pairs.select_related("cohort", "metric")
        .only(
            "pk",
            "status",
            "published_at",
            "ended_at",
            "cohort__name",
            *(f"metric__{name}" for name in _METRIC_FIELDS),
        )
        .prefetch_related(
            Prefetch("members", queryset=members),
            Prefetch("side_metrics", queryset=SideMetric.objects.only(*_SIDE_FIELDS)),
            Prefetch(
                "flag_snoozes",
                queryset=snoozes_running(now=now).select_related("created_by"),
                to_attr="running_snoozes",
            ),
        )
        .order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]), "pk")
    )


_METRIC_FIELDS = (
    "id", "sessions_held", "last_session_at", "role_balance", "reciprocity_index",
    "stalled", "lopsided", "one_way", "unconfirmed_items", "computed_at",
)  # fmt: skip
# No rating and no benefit score (it holds the side's own learning rating): admins see
# ratings only mixed across the sides (``pooled_ratings``).
_SIDE_FIELDS = (
    "id", "pair", "participant", "sessions_as_mentor", "sessions_as_mentee",
    "minutes_as_mentor", "minutes_as_mentee", "items_received", "items_given",
    "computed_at",
)  # fmt: skip


@dataclass(frozen=True)
class SideView:
    name: str
    position: int
    metric: SideMetric | None
    short_name: str = ""

    @property
    def label(self) -> str:
        """Side A, B (C for the third member of a trio)."""
        return "ABC"[self.position] if self.position < 3 else str(self.position + 1)

    @property
    def received_by_kind(self) -> list[tuple[str, int]]:
        return _kind_labels(self.metric.items_received_by_kind if self.metric else {})

    @property
    def given_by_kind(self) -> list[tuple[str, int]]:
        return _kind_labels(self.metric.items_given_by_kind if self.metric else {})


def _kind_labels(by_kind: dict[str, int]) -> list[tuple[str, int]]:
    labels = dict(BenefitItem.Kind.choices)
    return [(labels.get(kind, kind), n) for kind, n in sorted(by_kind.items()) if n]


@dataclass(frozen=True)
class PairHealthRow:
    pair: Pair
    metric: PairMetric | None
    sides: list[SideView]
    expected_sessions: int
    snoozes: dict[str, FlagSnooze] = field(default_factory=dict)  # running, by flag key

    @property
    def flags(self) -> list[tuple[str, str, str]]:
        """The raised flags that are not snoozed."""
        return [f for f in flags_of(self.metric) if f[0] not in self.snoozes]

    @property
    def snoozed_flags(self) -> list[tuple[str, str, str, FlagSnooze]]:
        return [(*f, self.snoozes[f[0]]) for f in flags_of(self.metric) if f[0] in self.snoozes]

    @property
    def reciprocity_percent(self) -> int | None:
        if self.metric is None or self.metric.reciprocity_index is None:
            return None
        return round(self.metric.reciprocity_index * 100)


def flags_of(metric: PairMetric | None) -> list[tuple[str, str, str]]:
    """(key, label, explanation) of each flag the stored metrics raise."""
    if metric is None:
        return []
    raised = {
        "stalled": metric.stalled,
        "lopsided": metric.lopsided,
        "one_way": metric.one_way,
        "unconfirmed": metric.unconfirmed_items > 0,
    }
    return [(key, *FLAGS[key]) for key, on in raised.items() if on]


def expected_sessions(
    *, published_at: datetime | None, ended_at: datetime | None, cadence_days: int, now: datetime
) -> int:
    """Sessions a pair should have held by ``now`` at the programme's cadence."""
    if published_at is None or cadence_days <= 0:
        return 0
    until = min(now, ended_at) if ended_at else now
    days = (until - published_at).total_seconds() / 86400
    return max(0, math.floor(days / cadence_days))


def _metric_of(pair: Pair) -> PairMetric | None:
    try:
        return pair.metric
    except PairMetric.DoesNotExist:
        return None


def pair_health_row(*, pair: Pair, programme: Programme, now: datetime) -> PairHealthRow:
    """One table row from a pair fetched by ``pair_health_rows`` (no further queries)."""
    side_metrics = {m.participant_id: m for m in pair.side_metrics.all()}
    sides = [
        SideView(
            name=member.participant.display_name,
            short_name=member.participant.first_name or member.participant.display_name,
            position=member.position,
            metric=side_metrics.get(member.participant_id),
        )
        for member in pair.members.all()
    ]
    return PairHealthRow(
        pair=pair,
        metric=_metric_of(pair),
        sides=sides,
        snoozes={s.flag: s for s in getattr(pair, "running_snoozes", ())},
        expected_sessions=expected_sessions(
            published_at=pair.published_at,
            ended_at=pair.ended_at,
            cadence_days=programme.cadence_days,
            now=now,
        ),
    )


def pair_health_summary(*, programme: Programme, now: datetime | None = None) -> dict[str, Any]:
    """Counts of flagged pairs and how fresh the figures are (one query).

    A flag snoozed at ``now`` does not count (``snoozed``: pairs with a snoozed flag)."""
    now = now or timezone.now()
    metrics = PairMetric.objects.filter(
        pair__cohort__programme=programme, pair__status__in=LISTED_STATUSES
    )

    def open_(flag: str) -> Q:
        return flag_open_q(flag, now=now, metric="", pair="pair_id")

    snoozed = Exists(snoozes_running(now=now).filter(pair=OuterRef("pair_id")))
    # Aliases must not shadow the field names the filters refer to, hence the "n_" prefix.
    counts = metrics.aggregate(
        n_computed=Count("pk"),
        n_stalled=Count("pk", filter=open_("stalled")),
        n_lopsided=Count("pk", filter=open_("lopsided")),
        n_one_way=Count("pk", filter=open_("one_way")),
        n_unconfirmed=Count("pk", filter=open_("unconfirmed")),
        n_flagged=Count("pk", filter=any_flag_open_q(now=now, metric="", pair="pair_id")),
        n_snoozed=Count("pk", filter=Q(snoozed)),
        oldest=Min("computed_at"),
        newest=Max("computed_at"),
    )
    return {key.removeprefix("n_"): value for key, value in counts.items()}


def programmes_needing_attention(
    *, programmes: QuerySet[Programme], now: datetime | None = None
) -> list[Programme]:
    """The given programmes annotated with ``flagged`` / ``lopsided`` / ``stalled`` pair counts.

    One query (for the home card), programmes with flagged pairs first. A flag snoozed at
    ``now`` does not count.
    """
    now = now or timezone.now()
    live = Pair.objects.filter(cohort__programme=OuterRef("pk"), status__in=LISTED_STATUSES)

    def count(q: Q) -> Coalesce:
        counted = live.filter(q).values("cohort__programme").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted), 0)

    return list(
        programmes.annotate(
            flagged=count(any_flag_open_q(now=now)),
            lopsided=count(flag_open_q("lopsided", now=now)),
            stalled=count(flag_open_q("stalled", now=now)),
        ).order_by("-flagged", "name")
    )


#: The ratings an admin sees mixed across the sides. "Learned" is left out: it is part of
#: the reciprocity index, and the index with its average would give back each side's own.
POOLED_RATINGS = (
    ("challenged_mean", "Challenged"),
    ("listened_mean", "Listened to and affirmed"),
    ("power_shared_mean", "Power shared evenly"),
)


@dataclass(frozen=True)
class PooledRatings:
    """The pair's ratings with both sides weighing equally, or why there are none yet.

    ``rows``: (label, mean of the sides' own means, 1–5), only once every side has
    reflected at least once; before that a "mix" would be one person's rating.
    """

    rows: list[tuple[str, float]]
    waiting_for: int  # sides that have not reflected yet (0 when ``rows`` are shown)


def pooled_ratings(side_metrics: list[SideMetric], members: int) -> PooledRatings:
    """Mix the sides' rating means so that no single person's rating can be read."""
    reflected = [m for m in side_metrics if m.learned_mean is not None]
    if members < 2 or len(reflected) < members:
        return PooledRatings(rows=[], waiting_for=max(0, members - len(reflected)))
    rows = [
        (label, math.fsum(getattr(m, field) for m in reflected) / len(reflected))
        for field, label in POOLED_RATINGS
    ]
    return PooledRatings(rows=rows, waiting_for=0)


def pair_health_detail(*, pair: Pair, now: datetime) -> dict[str, Any]:
    """Figures of one pair for its admins: dates, counts, durations, flags — never text
    but the end reason (the end form says the admins read it), and ratings only mixed."""
    members = seats(pairs=[pair.pk])
    seats_remember(pair=pair, seated=members)  # the page's title names the pair from them
    all_side_metrics = list(SideMetric.objects.filter(pair=pair))
    side_metrics = {m.participant_id: m for m in all_side_metrics}
    metric = PairMetric.objects.filter(pair=pair).first()
    snoozes = snoozes_running_for(pair=pair, now=now)
    programme = pair.cohort.programme  # select_related by pair_get_for_admin
    sides = [
        SideView(
            name=member.participant.display_name,
            position=member.position,
            metric=side_metrics.get(member.participant_id),
        )
        for member in members
    ]
    ender = next(
        (m.participant for m in members if m.participant_id == pair.end_requested_by_id), None
    )
    return {
        "metric": metric,
        "sides": sides,
        "pooled": pooled_ratings(all_side_metrics, len(members)),
        "ended_by": ender,
        # Snoozed flags are shown apart, with who snoozed them, until when and why.
        "flags": [f for f in flags_of(metric) if f[0] not in snoozes],
        "snoozed_flags": [(*f, snoozes[f[0]]) for f in flags_of(metric) if f[0] in snoozes],
        "expected_sessions": expected_sessions(
            published_at=pair.published_at,
            ended_at=pair.ended_at,
            cadence_days=programme.cadence_days,
            now=now,
        ),
    }
