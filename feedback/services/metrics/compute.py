"""``metrics_compute``: the pairs' figures, scored and stored with a bulk upsert.

Per chunk of pairs: the figures from eight GROUP BY queries (``figures``), one Python
pass over the *aggregated* rows (a few per side, never the raw rows), then
``bulk_create(update_conflicts=True)`` of ``SideMetric`` and ``PairMetric`` for the
pairs whose figures changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from feedback.models import PairMetric, SideMetric
from pairing.models import Pair, PairMember

from .figures import in_span, pair_contexts, pair_figures_of, side_figures
from .formula import PairFigures, PairResult, SideFigures, pair_assess

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

    Set-based: per chunk of pairs, eight aggregate queries and two bulk upserts.
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


def _compute_chunk(pair_ids: list[int], *, now: datetime) -> int:
    """Compute and store one chunk. Queries filter on the id range and drop other pairs.

    Only pairs whose figures changed are upserted; the others just get the new
    ``computed_at`` (one UPDATE per table). Most pairs do not change from one night
    to the next, so this spares most of the writes (and the dead rows they leave).
    """
    span = (pair_ids[0], pair_ids[-1])
    contexts = pair_contexts(span, set(pair_ids))
    sides = side_figures(span, contexts)
    pair_figures = pair_figures_of(span, now=now)
    stored_pairs = {
        row[0]: row[1:]
        for row in PairMetric.objects.filter(**in_span("pair_id", span)).values_list(
            "pair_id", *PAIR_VALUES
        )
    }
    stored_sides = {
        (row[0], row[1]): row[2:]
        for row in SideMetric.objects.filter(**in_span("pair_id", span)).values_list(
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
        SideMetric.objects.filter(**in_span("pair_id", span)).exclude(
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


def metrics_pair_ids_for_programme(*, programme_id: int) -> list[int]:
    return list(
        Pair.objects.filter(cohort__programme_id=programme_id, status__in=COMPUTED_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
