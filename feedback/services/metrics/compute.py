"""``metrics_compute``: set-based aggregation of the pairs' figures and a bulk upsert.

Per chunk of pairs: seven GROUP BY queries (conditional aggregation in the database),
one Python pass over the *aggregated* rows (a few per side, never the raw rows), then
``bulk_create(update_conflicts=True)`` of ``SideMetric`` and ``PairMetric``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

from django.db import transaction
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from feedback.models import BenefitItem, Goal, PairMetric, Reflection, SideMetric
from pairing.models import MentoringSession, Pair, PairMember, SessionParticipation, SessionRole
from programmes.models import Programme

from .formula import (
    UNCONFIRMED_AFTER,
    BenefitWeights,
    PairContext,
    PairFigures,
    PairResult,
    SideFigures,
    pair_assess,
)

CHUNK_PAIRS = 2000  # pairs per round of queries: bounds memory and statement size
MAX_SPAN = 4
COMPUTED_STATUSES = (
    Pair.Status.PUBLISHED,
    Pair.Status.ACTIVE,
    Pair.Status.COMPLETED,
    Pair.Status.ENDED_EARLY,
)


def metrics_compute(*, pair_ids: Iterable[int] | None = None, now: datetime | None = None) -> int:
    """Recompute and store the metrics of ``pair_ids`` (every non-proposed pair if None).

    Set-based: per chunk of pairs, seven aggregate queries and two bulk upserts.
    Idempotent: running it twice on unchanged data writes the same figures (only
    ``computed_at`` moves). Proposed pairs and vanished ids are skipped.
    Returns the number of pairs written.
    """
    now = now or timezone.now()
    scope = Pair.objects.filter(status__in=COMPUTED_STATUSES)
    if pair_ids is None:
        ids = list(scope.order_by("pk").values_list("pk", flat=True))
    else:
        wanted = sorted(set(pair_ids))
        ids = []
        for start in range(0, len(wanted), CHUNK_PAIRS):
            batch = wanted[start : start + CHUNK_PAIRS]
            ids.extend(scope.filter(pk__in=batch).order_by("pk").values_list("pk", flat=True))
    written = 0
    for chunk in _chunks(ids):
        written += _compute_chunk(chunk, now=now)
    return written


def _chunks(ids: Sequence[int], size: int = CHUNK_PAIRS) -> Iterator[list[int]]:
    """Sorted ids in runs of at most ``size`` spanning at most ``MAX_SPAN × size`` ids.

    Each chunk is queried as an id *range* (an index range scan with two parameters,
    not an IN list of thousands); the span bound keeps the rows of pairs that are
    in the range but not asked for (another programme's) few.
    """
    chunk: list[int] = []
    for pk in ids:
        if chunk and (len(chunk) >= size or pk - chunk[0] >= MAX_SPAN * size):
            yield chunk
            chunk = []
        chunk.append(pk)
    if chunk:
        yield chunk


def _in_span(field: str, span: tuple[int, int]) -> dict[str, int]:
    return {f"{field}__gte": span[0], f"{field}__lte": span[1]}


def _compute_chunk(pair_ids: list[int], *, now: datetime) -> int:
    """Compute and store one chunk. Queries filter on the id range and drop other pairs.

    Only pairs whose figures changed are upserted; the others just get the new
    ``computed_at`` (one UPDATE per table). Most pairs do not change from one night
    to the next, so this spares most of the writes (and the dead rows they leave).
    """
    span = (pair_ids[0], pair_ids[-1])
    contexts = _pair_contexts(span, set(pair_ids))
    sides = _side_figures(span, contexts)
    pair_figures = _pair_figures(span, now=now)
    stored_pairs = {
        row[0]: row[1:]
        for row in PairMetric.objects.filter(**_in_span("pair_id", span)).values_list(
            "pair_id", *PAIR_VALUES
        )
    }
    stored_sides = {
        (row[0], row[1]): row[2:]
        for row in SideMetric.objects.filter(**_in_span("pair_id", span)).values_list(
            "pair_id", "participant_id", *SIDE_VALUES
        )
    }

    side_rows: list[SideMetric] = []
    pair_rows: list[PairMetric] = []
    unchanged: list[int] = []
    for pair_id, context in contexts.items():
        pair_sides = sorted(sides.get(pair_id, {}).values(), key=lambda s: s.position)
        figures = pair_figures.get(pair_id, PairFigures())
        result = pair_assess(context=context, figures=figures, sides=pair_sides, now=now)
        pair_values = _pair_values(figures, result)
        side_values = {
            side.participant_id: _side_values(side, result.benefit_scores[side.participant_id])
            for side in pair_sides
        }
        if stored_pairs.get(pair_id) == pair_values and all(
            stored_sides.get((pair_id, participant_id)) == values
            for participant_id, values in side_values.items()
        ):
            unchanged.append(pair_id)
            continue
        pair_rows.append(
            PairMetric(
                pair_id=pair_id, computed_at=now, **dict(zip(PAIR_VALUES, pair_values, strict=True))
            )
        )
        side_rows.extend(
            SideMetric(
                pair_id=pair_id,
                participant_id=participant_id,
                computed_at=now,
                **dict(zip(SIDE_VALUES, values, strict=True)),
            )
            for participant_id, values in side_values.items()
        )

    # Lock order is the same in every run (side rows, then pair rows), so a nightly run
    # and a per-pair refresh touching the same pair wait for each other, never deadlock.
    with transaction.atomic():
        # A member who left the pair (a swap) keeps no stale side row.
        SideMetric.objects.filter(**_in_span("pair_id", span)).exclude(
            Exists(
                PairMember.objects.filter(
                    pair_id=OuterRef("pair_id"), participant_id=OuterRef("participant_id")
                )
            )
        ).delete()
        SideMetric.objects.bulk_create(
            side_rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["pair", "participant"],
            update_fields=[*SIDE_VALUES, "computed_at"],
        )
        if unchanged:
            SideMetric.objects.filter(pair_id__in=unchanged).update(computed_at=now)
        PairMetric.objects.bulk_create(
            pair_rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["pair"],
            update_fields=[*PAIR_VALUES, "computed_at"],
        )
        if unchanged:
            PairMetric.objects.filter(pair_id__in=unchanged).update(computed_at=now)
    return len(contexts)


# The stored figures, in a fixed order (compared as tuples to skip unchanged rows).
SIDE_VALUES = (
    "sessions_as_mentor",
    "minutes_as_mentor",
    "sessions_as_mentee",
    "minutes_as_mentee",
    "learned_mean",
    "challenged_mean",
    "listened_mean",
    "power_shared_mean",
    "goal_progress_mean",
    "goals_achieved",
    "items_received",
    "items_given",
    "items_received_by_kind",
    "items_given_by_kind",
    "outcomes",
    "benefit_score",
)
PAIR_VALUES = (
    "sessions_held",
    "last_session_at",
    "role_balance",
    "reciprocity_index",
    "stalled",
    "lopsided",
    "one_way",
    "unconfirmed_items",
)


def _rounded(value: float | None, digits: int = 4) -> float | None:
    """Stored figures are rounded so a recompute on equal data writes equal values."""
    return None if value is None else round(value, digits)


def _side_values(side: SideFigures, score: float) -> tuple:
    return (
        side.sessions_as_mentor,
        side.minutes_as_mentor,
        side.sessions_as_mentee,
        side.minutes_as_mentee,
        _rounded(side.learned_mean),
        _rounded(side.challenged_mean),
        _rounded(side.listened_mean),
        _rounded(side.power_shared_mean),
        _rounded(side.goal_progress_mean),
        side.goals_achieved,
        side.items_received,
        side.items_given,
        dict(sorted(side.items_received_by_kind.items())),
        dict(sorted(side.items_given_by_kind.items())),
        side.outcomes,
        _rounded(score),
    )


def _pair_values(figures: PairFigures, result: PairResult) -> tuple:
    return (
        figures.sessions_held,
        figures.last_session_at,
        _rounded(result.role_balance),
        _rounded(result.reciprocity_index),
        result.stalled,
        result.lopsided,
        result.one_way,
        figures.unconfirmed_items,
    )


def _pair_contexts(span: tuple[int, int], wanted: set[int]) -> dict[int, PairContext]:
    """The pairs of the chunk with their programme's cadence, threshold and weights."""
    rows = [
        row
        for row in Pair.objects.filter(**_in_span("pk", span)).values_list(
            "pk", "status", "published_at", "created_at", "cohort__programme_id"
        )
        if row[0] in wanted
    ]
    settings = {
        programme["pk"]: (
            programme["cadence_days"],
            float(programme["reciprocity_threshold"]),
            BenefitWeights(
                learning=programme["benefit_weight_learning"],
                goals=programme["benefit_weight_goals"],
                ledger=programme["benefit_weight_ledger"],
                mentee_time=programme["benefit_weight_mentee_time"],
                outcomes=programme["benefit_weight_outcomes"],
            ),
        )
        for programme in Programme.objects.filter(pk__in={row[4] for row in rows}).values(
            "pk",
            "cadence_days",
            "reciprocity_threshold",
            "benefit_weight_learning",
            "benefit_weight_goals",
            "benefit_weight_ledger",
            "benefit_weight_mentee_time",
            "benefit_weight_outcomes",
        )
    }
    contexts = {}
    for pk, status, published_at, created_at, programme_id in rows:
        cadence, threshold, weights = settings[programme_id]
        contexts[pk] = PairContext(
            pair_id=pk,
            live=status in Pair.LIVE_STATUSES,
            published_at=published_at,
            created_at=created_at,
            cadence_days=cadence,
            reciprocity_threshold=threshold,
            weights=weights,
        )
    return contexts


def _side_figures(
    span: tuple[int, int], contexts: dict[int, PairContext]
) -> dict[int, dict[int, SideFigures]]:
    """pair id → participant id → figures, from four GROUP BY queries and the members."""
    sides: dict[int, dict[int, SideFigures]] = defaultdict(dict)
    for pair_id, participant_id, position in PairMember.objects.filter(
        **_in_span("pair_id", span)
    ).values_list("pair_id", "participant_id", "position"):
        if pair_id not in contexts:
            continue
        sides[pair_id][participant_id] = SideFigures(
            participant_id=participant_id, position=position
        )

    def side(pair_id: int, participant_id: int) -> SideFigures | None:
        # Rows of someone no longer seated in the pair (data from before a swap) are ignored.
        return sides.get(pair_id, {}).get(participant_id)

    minutes = Coalesce("session__actual_minutes", "session__planned_minutes")
    mentor, mentee, both = SessionRole.MENTOR, SessionRole.MENTEE, SessionRole.BOTH
    for row in (
        SessionParticipation.objects.filter(
            **_in_span("session__pair_id", span), session__status=MentoringSession.Status.HELD
        )
        .values("session__pair_id", "participant_id")
        .annotate(
            as_mentor=Count("pk", filter=Q(role__in=[mentor, both])),
            as_mentee=Count("pk", filter=Q(role__in=[mentee, both])),
            mentor_minutes=Sum(minutes, filter=Q(role=mentor), default=0),
            mentee_minutes=Sum(minutes, filter=Q(role=mentee), default=0),
            both_minutes=Sum(minutes, filter=Q(role=both), default=0),
        )
        .order_by()
    ):
        s = side(row["session__pair_id"], row["participant_id"])
        if s is None:
            continue
        # A "both" session (split mode) is half mentoring, half being mentored.
        half = row["both_minutes"] // 2
        s.sessions_as_mentor = row["as_mentor"]
        s.sessions_as_mentee = row["as_mentee"]
        s.minutes_as_mentor = row["mentor_minutes"] + half
        s.minutes_as_mentee = row["mentee_minutes"] + row["both_minutes"] - half

    for row in (
        Reflection.objects.filter(
            **_in_span("session__pair_id", span), session__status=MentoringSession.Status.HELD
        )
        .values("session__pair_id", "author_id")
        .annotate(
            learned=Avg("learned"),
            challenged=Avg("challenged"),
            listened=Avg("listened"),
            power_shared=Avg("power_shared"),
        )
        .order_by()
    ):
        s = side(row["session__pair_id"], row["author_id"])
        if s is None:
            continue
        s.learned_mean = float(row["learned"])
        s.challenged_mean = float(row["challenged"])
        s.listened_mean = float(row["listened"])
        s.power_shared_mean = float(row["power_shared"])

    achieved = Goal.Status.ACHIEVED
    for row in (
        Goal.objects.filter(**_in_span("pair_id", span))
        .exclude(status=Goal.Status.DROPPED)
        .values("pair_id", "owner_id")
        .annotate(
            progress=Avg(
                Case(
                    When(status=achieved, then=Value(100)),
                    default=F("progress"),
                    output_field=IntegerField(),
                )
            ),
            achieved=Count("pk", filter=Q(status=achieved)),
        )
        .order_by()
    ):
        s = side(row["pair_id"], row["owner_id"])
        if s is None:
            continue
        s.goal_progress_mean = float(row["progress"])
        s.goals_achieved = row["achieved"]

    for row in (
        BenefitItem.objects.filter(**_in_span("pair_id", span), status=BenefitItem.Status.CONFIRMED)
        .values("pair_id", "giver_id", "receiver_id", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        receiver = side(row["pair_id"], row["receiver_id"])
        giver = side(row["pair_id"], row["giver_id"])
        if receiver is not None:
            receiver.items_received += row["n"]
            by_kind = receiver.items_received_by_kind
            by_kind[row["kind"]] = by_kind.get(row["kind"], 0) + row["n"]
        if giver is not None:
            giver.items_given += row["n"]
            by_kind = giver.items_given_by_kind
            by_kind[row["kind"]] = by_kind.get(row["kind"], 0) + row["n"]

    # Outcomes (promotion, role change) arrive with Step 7: fill ``s.outcomes`` here
    # from one GROUP BY (participant, kind) query and set OUTCOMES_TRACKED.
    return sides


def _pair_figures(span: tuple[int, int], *, now: datetime) -> dict[int, PairFigures]:
    figures: dict[int, PairFigures] = defaultdict(PairFigures)
    for row in (
        MentoringSession.objects.filter(
            **_in_span("pair_id", span), status=MentoringSession.Status.HELD
        )
        .values("pair_id")
        .annotate(n=Count("pk"), last=Max("scheduled_start"))
        .order_by()
    ):
        figures[row["pair_id"]].sessions_held = row["n"]
        figures[row["pair_id"]].last_session_at = row["last"]
    for row in (
        BenefitItem.objects.filter(
            **_in_span("pair_id", span),
            status=BenefitItem.Status.PENDING,
            created_at__lt=now - UNCONFIRMED_AFTER,
        )
        .values("pair_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        figures[row["pair_id"]].unconfirmed_items = row["n"]
    return figures


def metrics_pair_ids_for_programme(*, programme_id: int) -> list[int]:
    return list(
        Pair.objects.filter(cohort__programme_id=programme_id, status__in=COMPUTED_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
