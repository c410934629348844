"""The proposal's quality figure, kept current while the admin edits the proposal.

A run stores how close its proposal is to the best possible pairing. Every lock, unlock,
swap, exclusion and hand-made proposal changes that, so each of those writes calls
:func:`proposal_quality_changed`, which stores the figure again where the pairing page reads
it: ``summary["current"]`` of the cohort's latest successful run (``MatchRun.summary``).

The figure is ``total / best``: ``total`` is the summed score of the proposals (as the
engine totals them: pairs, and a trio's three edges), ``best`` what the best pairing of the
same people could reach, keeping the locked pairs: the engine's exact optimum when it solved
the pool exactly (up to ``EXACT_POOL_LIMIT`` people, no trio), else its certified upper bound
(``pairing/engine/match.py``: no pairing can score more). Both come from running the engine
on the pool a re-run would pair (``candidate_pool``) — the same logic, the same bound.

Cost of one recompute (the pool's queries and the engine), measured on the 2-core reference
machine with PostgreSQL, two skills offered and two wanted each: 120 people 0.34 s (the exact
solver), 1,000 people 0.52 s, 5,000 people 6.4 s (the engine alone: 10–17 s and 475 MB on the
benchmark cohort, ``make bench``); the total alone is one aggregate query (under 10 ms).
So up to ``QUALITY_SYNC_POOL_LIMIT`` people the figure is recomputed in the admin's request;
above it a worker recomputes it (``pairing.tasks.proposal_quality_refresh_task``, bounded by
its time limit) and the page says so until it is done. Meanwhile nothing false is shown:

- a swap (or an unlocked hand-made proposal) changes neither the people nor the locks, so
  ``best`` stays exactly what it was and only ``total`` moves (one aggregate query, whatever
  the size);
- a lock, an exclusion or a hand-made proposal only forbids pairings, so the old ``best`` is
  still an upper bound (possibly a loose one) until the worker tightens it;
- an unlock allows pairings the old ``best`` did not cover: no figure until the worker's.

Every caller holds the cohort row lock (``cohort_lock_for_pairing``), so the read-modify-write
of the run's summary never interleaves; the worker takes the same lock to store its result,
and drops it when the proposal changed again meanwhile (``revision``).
"""

import math

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from mentoring.outbox import enqueue
from pairing import engine
from pairing.candidates import candidate_pool, rules_for_programme
from pairing.models import MatchRun, Pair
from pairing.services.cohort_lock import cohort_lock
from programmes.models import Cohort, Participant

#: Pools of at most this many people get their figure in the admin's request (≤ 0.6 s).
QUALITY_SYNC_POOL_LIMIT = 1000
REFRESH_TASK = "pairing.tasks.proposal_quality_refresh_task"
#: Changes that keep the people and the locks: the best possible is exactly what it was.
SAME_POOL_CHANGES = ("swap", "add")
#: Changes after which the last ``best`` still bounds every admissible pairing.
RESTRICTING_CHANGES = ("lock", "exclude", "propose")
CHANGES = ("run", "unlock", *SAME_POOL_CHANGES, *RESTRICTING_CHANGES)


def quality_ratio(total: float, best: float | None) -> float | None:
    """``total / best`` clamped to 0–1 (1 = as good as the best possible); ``None`` unknown.

    A proposal that pairs fewer people than the engine would (someone was excluded) can
    score more than the engine's best, which pairs as many people as possible first: that
    is still "as good as the best possible", never more than 100 %.
    """
    if best is None or not math.isfinite(best) or not math.isfinite(total):
        return None
    if best <= 0:
        return 1.0
    return max(0.0, min(1.0, total / best))


def current_figure(
    *, total: float, best: float | None, exact: bool, change: str, revision: int, pending: bool
) -> dict:
    """The ``summary["current"]`` record the pairing page reads."""
    return {
        "total_weight": total,
        "best": best,
        "best_is_exact": exact,
        "quality": quality_ratio(total, best),
        "pending": pending,
        "change": change,
        "revision": revision,
        "computed_at": timezone.now().isoformat(),
    }


def best_of_matching(matching: engine.Matching) -> tuple[float, bool]:
    """``(best, exact)`` from an engine result: its own total when it solved the pool exactly
    (the optimum), else its certified upper bound. A trio is attached greedily, so a result
    with a trio is not claimed optimal."""
    if matching.exact and matching.trio is None:
        return matching.total_weight, True
    return matching.upper_bound, False


def _proposal_total(cohort: Cohort) -> float:
    """Summed score of the cohort's proposals, as the engine totals the pool it pairs: a
    locked trio is kept out of runs (``candidate_pool``), so it counts in neither figure."""
    totals = (
        Pair.objects.filter(cohort=cohort, status=Pair.Status.PROPOSED)
        .annotate(size=Count("members"))
        .exclude(Q(locked=True) & Q(size__gt=2))
        .aggregate(total=Sum("score"))
    )
    return float(totals["total"] or 0.0)


def _pool_size(cohort: Cohort) -> int:
    """At most the number of people a re-run pairs (enrolled, charter signed): it decides
    whether the figure is computed now or by a worker."""
    return Participant.objects.filter(
        cohort=cohort, status=Participant.Status.ENROLLED, charter_accepted_at__isnull=False
    ).count()


def _best_possible(cohort: Cohort) -> tuple[float, bool]:
    pool = candidate_pool(cohort=cohort)
    rules = rules_for_programme(programme=cohort.programme)
    matching = engine.match(pool.candidates.values(), rules, locked=pool.locked)
    return best_of_matching(matching)


def _latest_success(cohort: Cohort) -> MatchRun | None:
    return (
        MatchRun.objects.filter(cohort=cohort, status=MatchRun.Status.SUCCEEDED)
        .order_by("-created_at")
        .first()
    )


def _store(run: MatchRun, figure: dict) -> None:
    run.summary = {**run.summary, "current": figure}
    MatchRun.objects.filter(pk=run.pk).update(summary=run.summary)


def proposal_quality_changed(*, cohort: Cohort, change: str) -> None:
    """Store the quality figure again after ``change`` (one of ``CHANGES``) to the proposal.

    Precondition: the caller holds the cohort row lock in its transaction. Without a
    successful run there is no figure to keep (the page shows none either).
    """
    if change not in CHANGES:
        raise ValueError(f"unknown change {change!r}")
    run = _latest_success(cohort)
    if run is None:
        return
    last = run.summary.get("current") or {}
    revision = int(last.get("revision", 0)) + 1
    total = _proposal_total(cohort)
    best, exact = last.get("best"), bool(last.get("best_is_exact"))
    if change in SAME_POOL_CHANGES and best is not None and not last.get("pending"):
        # Same people, same locks: the best possible is unchanged, only the total moved.
        _store(run, current_figure(total=total, best=best, exact=exact, change=change,
                                   revision=revision, pending=False))  # fmt: skip
        return
    if _pool_size(cohort) <= QUALITY_SYNC_POOL_LIMIT:
        best, exact = _best_possible(cohort)
        _store(run, current_figure(total=total, best=best, exact=exact, change=change,
                                   revision=revision, pending=False))  # fmt: skip
        return
    if change not in RESTRICTING_CHANGES and change not in SAME_POOL_CHANGES:
        best = None  # an unlock: the old best may be exceeded now
    # A restriction keeps the old best a valid bound, but no longer an attained optimum.
    _store(run, current_figure(total=total, best=best, exact=False, change=change,
                               revision=revision, pending=True))  # fmt: skip
    enqueue(REFRESH_TASK, cohort.pk, revision)


def proposal_quality_recompute(*, cohort_id: int, revision: int) -> bool:
    """The worker's side: compute the figure of a large pool and store it, unless the
    proposal changed again since ``revision`` (a newer task is queued then). Returns
    whether it stored the figure; a vanished cohort or run stores nothing."""
    cohort = Cohort.objects.select_related("programme").filter(pk=cohort_id).first()
    if cohort is None:
        return False
    # The engine runs outside any lock: at 5,000 people it takes seconds.
    best, exact = _best_possible(cohort)
    with transaction.atomic():
        cohort_lock(cohort_id=cohort_id)
        run = _latest_success(cohort)
        last = (run.summary.get("current") or {}) if run is not None else {}
        if run is None or int(last.get("revision", 0)) != revision:
            return False
        figure = current_figure(
            total=_proposal_total(cohort),
            best=best,
            exact=exact,
            change=str(last.get("change", "run")),
            revision=revision,
            pending=False,
        )
        _store(run, figure)
    return True
