"""Pairing runs: start one (queued for a worker) and execute it (the worker's side)."""

import logging
import math
import time
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from mentoring.errors import RuleViolation
from mentoring.models import User
from mentoring.outbox import enqueue
from pairing import engine
from pairing.candidates import (
    candidate_pool,
    candidates_build,
    compared_gender,
    group_score,
    rules_for_programme,
    rules_from_snapshot,
    rules_snapshot,
)
from pairing.models import MatchRun, Pair, PairMember
from pairing.selectors.runs import HISTOGRAM_BUCKETS, RUN_STALE_AFTER
from pairing.services.cohort_lock import cohort_lock, cohort_lock_for_pairing
from pairing.services.demographics import pair_demographics_forget
from pairing.services.quality import best_of_matching, current_figure, proposal_quality_changed
from programmes.models import Cohort, Participant
from programmes.services.audit import audit_record

logger = logging.getLogger(__name__)

#: Progress is written at most this often (seconds) unless it moved by PROGRESS_MIN_STEP.
PROGRESS_MIN_INTERVAL = 0.5
PROGRESS_MIN_STEP = 0.05
#: Share of the run's progress bar that the engine covers (the rest: loading and saving).
ENGINE_SPAN = (0.05, 0.9)


def match_run_start(*, cohort: Cohort, by: User) -> MatchRun:
    """Queue a pairing run for ``cohort``; a worker executes it (``match_run_execute``).

    Refused (``RuleViolation``) as ``match_run_create`` says.
    """
    with transaction.atomic():
        run = match_run_create(cohort=cohort, by=by)
        enqueue("pairing.tasks.match_run_execute_task", run.pk)
    return run


def match_run_create(*, cohort: Cohort, by: User | None) -> MatchRun:
    """Record a queued run with a snapshot of the rules, without enqueueing it.

    ``match_run_start`` enqueues it for a worker; the demo seeder executes it in-process.
    Refused while another run of the cohort is queued or running, outside the programme
    statuses that allow pairing, and when fewer than two people could be paired.
    """
    with transaction.atomic():
        cohort = cohort_lock_for_pairing(
            cohort_id=cohort.pk,
            pairs_can_be="proposed",
            while_running="A pairing run is already in progress for this cohort; "
            "wait until it finishes.",
        )
        programme = cohort.programme
        # Runs that never finished (a lost worker) must not run later and overwrite newer work.
        MatchRun.objects.filter(
            cohort=cohort,
            status__in=[MatchRun.Status.QUEUED, MatchRun.Status.RUNNING],
        ).update(
            status=MatchRun.Status.FAILED,
            finished_at=timezone.now(),
            error=f"Did not finish within {RUN_STALE_AFTER}; superseded by a newer run.",
        )
        pool = candidate_pool(cohort=cohort)
        if len(pool.candidates) < 2:
            raise RuleViolation(
                "Nobody to pair: fewer than two enrolled participants (charter signed) are "
                "without a pair."
            )
        run = MatchRun.objects.create(
            cohort=cohort,
            started_by=by,
            parameters={
                **rules_snapshot(programme=programme),
                "programme_kind": programme.kind,
                "locked_pair_ids": pool.locked_pair_ids,
                "candidate_count": len(pool.candidates),
            },
        )
        audit_record(
            programme=programme,
            actor=by,
            action="pairing.run_started",
            cohort_id=cohort.pk,
            run_id=run.pk,
            locked=len(pool.locked),
        )
    return run


def _quality(total: float, upper_bound: float) -> float | None:
    """``total / upper_bound`` (0–1, 1 = provably optimal); ``None`` when undefined."""
    if upper_bound <= 0:
        return 1.0 if total >= upper_bound else None
    ratio = total / upper_bound
    return ratio if math.isfinite(ratio) else None


def _progress_writer(run_id: int) -> Callable[[float], None]:
    """A callback that stores the run's progress (0–1), throttled to a few writes a second."""
    last = {"value": -1.0, "at": 0.0}

    def write(value: float) -> None:
        now = time.monotonic()
        if (
            value < 1.0
            and now - last["at"] < PROGRESS_MIN_INTERVAL
            and value - last["value"] < PROGRESS_MIN_STEP
        ):
            return
        last["value"], last["at"] = value, now
        MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.RUNNING).update(
            progress=round(value, 4)
        )

    return write


def match_run_execute(*, run_id: int) -> MatchRun | None:
    """Run the engine for a queued run and replace the cohort's unlocked proposals.

    Idempotent: a run that already succeeded or failed is returned untouched; a vanished
    run returns ``None``. Any error marks the run failed with its text (not re-raised: the
    admin sees it on the page, and a retry would fail the same way).
    """
    claimed = MatchRun.objects.filter(
        pk=run_id, status__in=[MatchRun.Status.QUEUED, MatchRun.Status.RUNNING]
    ).update(status=MatchRun.Status.RUNNING, started_at=timezone.now(), progress=0.0)
    run = MatchRun.objects.select_related("cohort__programme").filter(pk=run_id).first()
    if run is None or not claimed:
        return run
    started = time.monotonic()
    try:
        _execute(run, started)
    except Exception as exc:  # noqa: BLE001 - every failure is shown to the admin
        logger.exception("Pairing run %s failed", run_id)
        MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.RUNNING).update(
            status=MatchRun.Status.FAILED,
            finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
    run.refresh_from_db()
    return run


def _execute(run: MatchRun, started: float) -> None:
    cohort = run.cohort
    rules = rules_from_snapshot(run.parameters)
    report = _progress_writer(run.pk)
    pool = candidate_pool(cohort=cohort)
    report(ENGINE_SPAN[0])
    low, high = ENGINE_SPAN
    matching = engine.match(
        pool.candidates.values(),
        rules,
        locked=pool.locked,
        progress=lambda done: report(low + (high - low) * done),
    )
    locked_set = set(pool.locked)
    groups = [ids for ids in matching.pairs if ids not in locked_set]
    if matching.trio is not None:
        groups.append(matching.trio)

    new_pairs: list[Pair] = []
    for ids in groups:
        result, broken = group_score([pool.candidates[i] for i in ids], rules)
        if result is None:  # the engine never forms a forbidden pair; guard the invariant
            raise RuntimeError(f"engine proposed a forbidden group {ids}: {', '.join(broken)}")
        new_pairs.append(
            Pair(
                cohort=cohort,
                match_run=run,
                status=Pair.Status.PROPOSED,
                score=result.weight,
                percent=result.percent,
                reasons=engine.reasons_as_json(result.details),
                demographic_bonus=result.demographic_bonus,
            )
        )

    with transaction.atomic():
        cohort_lock(cohort_id=cohort.pk)
        current = MatchRun.objects.select_for_update().get(pk=run.pk)
        if current.status != MatchRun.Status.RUNNING:
            return  # superseded while computing: leave the newer work alone
        expected = [*pool.locked_pair_ids, *pool.kept_aside_pair_ids]
        kept = set(
            Pair.objects.filter(
                pk__in=expected, status=Pair.Status.PROPOSED, locked=True
            ).values_list("pk", flat=True)
        )
        if len(kept) != len(expected):
            raise RuntimeError("a locked pair changed while the run was computing; run again")
        # Unlocked proposals are replaced; a locked one that cannot be kept (a member
        # withdrew since) goes too, so nobody who left is ever published.
        Pair.objects.filter(cohort=cohort, status=Pair.Status.PROPOSED).exclude(
            pk__in=kept
        ).delete()
        created = Pair.objects.bulk_create(new_pairs, batch_size=500)
        PairMember.objects.bulk_create(
            [
                PairMember(pair=pair, participant_id=pid, position=position, current=True)
                for pair, ids in zip(created, groups, strict=True)
                for position, pid in enumerate(ids)
            ],
            batch_size=1000,
        )
        _forget_withdrawn_demographics(pool.candidates)
        # Created and kept proposals, with any percent the line above lowered.
        percents = list(
            Pair.objects.filter(cohort=cohort, status=Pair.Status.PROPOSED).values_list(
                "percent", flat=True
            )
        )
        histogram = [0] * HISTOGRAM_BUCKETS
        for percent in percents:
            histogram[min(HISTOGRAM_BUCKETS - 1, percent // 10)] += 1
        summary = {
            "total_weight": matching.total_weight,
            "upper_bound": matching.upper_bound,
            "quality": _quality(matching.total_weight, matching.upper_bound),
            # Only the fields of the engine's documented API are relied on; ``exact`` is extra.
            "exact": bool(getattr(matching, "exact", False)),
            "pair_count": len(created) + len(kept),
            "new_pair_count": len(created),
            "locked_count": len(kept),
            "trio": matching.trio is not None,
            "candidate_count": len(pool.candidates),
            "unmatched": [
                {
                    "participant_id": pid,
                    "name": pool.names.get(pid, str(pid)),
                    "reason": matching.unmatched_reasons.get(pid, ""),
                }
                for pid in matching.unmatched
            ],
            "histogram": histogram,
            "seconds": round(time.monotonic() - started, 3),
        }
        # What the page shows, in words, and keeps current as the admin edits the proposal.
        best, exact = best_of_matching(matching)
        summary["current"] = current_figure(
            total=matching.total_weight,
            best=best,
            exact=exact,
            change="run",
            revision=0,
            pending=False,
        )
        MatchRun.objects.filter(pk=run.pk).update(
            status=MatchRun.Status.SUCCEEDED,
            progress=1.0,
            summary=summary,
            finished_at=timezone.now(),
            error="",
        )


def _forget_withdrawn_demographics(candidates: dict[int, engine.Candidate]) -> None:
    """Re-derive the new proposals of anyone whose demographics changed while the engine ran.

    Someone may untick their consent after the pool was read: the service that erased the
    values ran before this run took the cohort lock, so it could not see these proposals.
    The caller holds that lock (a later erasure waits for it): compare again here.
    """
    read = {
        pid: (c.gender, c.birth_year)
        for pid, c in candidates.items()
        if c.gender is not None or c.birth_year is not None
    }
    if not read:
        return
    people = Participant.objects.filter(pk__in=read).only(
        "id", "cohort_id", "demographics_consent", "gender", "birth_year"
    )
    for person in people:
        consent = person.demographics_consent
        now = (compared_gender(person), person.birth_year if consent else None)
        if now != read[person.pk]:
            pair_demographics_forget(participant=person)


def pair_propose(
    *, cohort: Cohort, participants: list[Participant], by: User | None, locked: bool = True
) -> Pair:
    """Propose a pair (or trio) chosen by hand, locked by default so runs keep it.

    Everyone must be enrolled in ``cohort`` (charter signed) and in no current pair, and the
    group must break no hard rule; it is scored like an engine proposal.
    """
    if len({p.pk for p in participants}) not in (2, 3):
        raise RuleViolation("A pair has two people (three for a trio).")
    with transaction.atomic():
        cohort = cohort_lock_for_pairing(
            cohort_id=cohort.pk,
            while_running="A pairing run is in progress for this cohort; wait for it.",
        )
        people = list(
            Participant.objects.filter(
                pk__in=[p.pk for p in participants],
                cohort=cohort,
                status=Participant.Status.ENROLLED,
                charter_accepted_at__isnull=False,
            ).order_by("pk")
        )
        if len(people) != len(participants):
            raise RuleViolation(
                "Everyone must be enrolled in this cohort and have signed the charter."
            )
        if PairMember.objects.filter(participant__in=people, current=True).exists():
            raise RuleViolation("Someone is already in a pair or a proposal.")
        candidates = candidates_build(cohort=cohort, participants=people)
        rules = rules_for_programme(programme=cohort.programme)
        result, broken = group_score([candidates[p.pk] for p in people], rules)
        if result is None:
            raise RuleViolation(f"This pair breaks a hard rule ({', '.join(broken)}).")
        pair = Pair.objects.create(
            cohort=cohort,
            status=Pair.Status.PROPOSED,
            locked=locked,
            score=result.weight,
            percent=result.percent,
            reasons=engine.reasons_as_json(result.details),
            demographic_bonus=result.demographic_bonus,
        )
        PairMember.objects.bulk_create(
            [
                PairMember(pair=pair, participant=p, position=position, current=True)
                for position, p in enumerate(people)
            ]
        )
        audit_record(
            programme=cohort.programme,
            actor=by,
            action="pairing.pair_proposed_by_hand",
            pair_id=pair.pk,
            participant_ids=[p.pk for p in people],
        )
        proposal_quality_changed(cohort=cohort, change="propose" if locked else "add")
    return pair
