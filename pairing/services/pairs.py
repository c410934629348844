"""Writes on proposed and live pairs: lock, swap, exclude, publish, end early.

Each write on a proposal takes the cohort lock (``pairing.services.cohort_lock``) and stores
the proposal's quality figure again (``pairing.services.quality``); the emails these writes
trigger are sent after commit by ``pairing.tasks`` (``pair_emails``).
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mentoring.errors import RuleViolation
from mentoring.models import User
from mentoring.outbox import enqueue
from pairing import engine
from pairing.candidates import first_mentor_for, skills_of
from pairing.models import Pair, PairingExclusion, PairMember
from pairing.selectors.runs import LOW_MATCH_PERCENT, swap_preview
from pairing.services.cohort_lock import cohort_lock_for_pairing
from pairing.services.quality import proposal_quality_changed
from programmes.models import Cohort, Participant, Programme
from programmes.permissions import user_is_programme_admin
from programmes.services.audit import audit_record

EXCLUDED_BY_ADMIN = "Excluded from a proposal by a programme admin"
END_REASON_MAX_LENGTH = 2000


def _locked_proposal(pair: Pair) -> Pair:
    """Re-read ``pair`` under a row lock; it must still be a proposal."""
    current = Pair.objects.select_for_update().filter(pk=pair.pk).first()
    if current is None or current.status != Pair.Status.PROPOSED:
        raise RuleViolation("This pair is no longer a proposal (it was published or removed).")
    return current


def _audit(programme: Programme, by: User | None, action: str, **detail) -> None:
    audit_record(programme=programme, actor=by, action=action, **detail)


def pair_lock(*, pair: Pair, by: User, locked: bool) -> Pair:
    """Lock (keep in the next run) or unlock a proposed pair."""
    with transaction.atomic():
        cohort = cohort_lock_for_pairing(cohort_id=pair.cohort_id)
        pair = _locked_proposal(pair)
        if pair.locked != locked:
            pair.locked = locked
            pair.save(update_fields=["locked", "updated_at"])
            _audit(
                cohort.programme,
                by,
                "pairing.pair_locked" if locked else "pairing.pair_unlocked",
                pair_id=pair.pk,
            )
            proposal_quality_changed(cohort=cohort, change="lock" if locked else "unlock")
    return pair


@dataclass(frozen=True)
class SwapResult:
    """``delta``: change in total weight; ``scores``: the new scores of pair A and pair B."""

    delta: float
    scores: tuple[engine.Score, engine.Score]


def pairs_swap(
    *, pair_a: Pair, pair_b: Pair, person_a_id: int, person_b_id: int, by: User
) -> SwapResult:
    """Swap ``person_a`` (in ``pair_a``) with ``person_b`` (in ``pair_b``), both proposals.

    Both new groups are re-scored with the engine; a swap that breaks a hard rule is
    refused with the rules it breaks.
    """
    with transaction.atomic():
        cohort = cohort_lock_for_pairing(cohort_id=pair_a.cohort_id)
        if pair_b.cohort_id != cohort.pk:
            raise RuleViolation("Both pairs must be in the same cohort.")
        for pair in (pair_a, pair_b):
            _locked_proposal(pair)
        try:
            preview = swap_preview(cohort=cohort, person_a_id=person_a_id, person_b_id=person_b_id)
        except ValueError as exc:
            raise RuleViolation(str(exc)) from None
        if {preview.pair_a.pk, preview.pair_b.pk} != {pair_a.pk, pair_b.pk}:
            raise RuleViolation("These people are no longer in these pairs; reload the page.")
        if not preview.allowed:
            raise RuleViolation(
                "This swap is not allowed: it breaks a hard rule ("
                + ", ".join(preview.forbidden)
                + ")."
            )
        seats = list(
            PairMember.objects.filter(
                Q(pair=preview.pair_a, participant_id=person_a_id)
                | Q(pair=preview.pair_b, participant_id=person_b_id)
            )
        )
        PairMember.objects.filter(pk__in=[s.pk for s in seats]).delete()
        PairMember.objects.bulk_create(
            [
                PairMember(
                    pair_id=seat.pair_id,
                    participant_id=person_b_id
                    if seat.participant_id == person_a_id
                    else person_a_id,
                    position=seat.position,
                    current=True,
                )
                for seat in seats
            ]
        )
        new_a, new_b = preview.after
        assert new_a is not None and new_b is not None  # noqa: S101 - checked by .allowed
        for pair, result in ((preview.pair_a, new_a), (preview.pair_b, new_b)):
            pair.score, pair.percent = result.weight, result.percent
            pair.reasons = engine.reasons_as_json(result.details)
            pair.demographic_bonus = result.demographic_bonus
        Pair.objects.bulk_update(
            [preview.pair_a, preview.pair_b],
            ["score", "percent", "reasons", "demographic_bonus", "updated_at"],
        )
        _audit(
            cohort.programme,
            by,
            "pairing.pairs_swapped",
            pair_ids=[preview.pair_a.pk, preview.pair_b.pk],
            participant_ids=[person_a_id, person_b_id],
            delta=preview.delta,
        )
        proposal_quality_changed(cohort=cohort, change="swap")
    return SwapResult(delta=preview.delta or 0.0, scores=(new_a, new_b))


def pair_exclude(*, pair: Pair, by: User) -> list[int]:
    """Drop a proposed pair; its people return to the pool and will not be proposed together
    again (a ``PairingExclusion`` is recorded). Returns the freed participant ids."""
    with transaction.atomic():
        cohort = cohort_lock_for_pairing(cohort_id=pair.cohort_id)
        pair = _locked_proposal(pair)
        member_ids = list(
            PairMember.objects.filter(pair=pair)
            .order_by("position")
            .values_list("participant_id", flat=True)
        )
        PairingExclusion.objects.bulk_create(
            [
                PairingExclusion(participant_id=a, excluded_id=b, reason=EXCLUDED_BY_ADMIN)
                for i, a in enumerate(member_ids)
                for b in member_ids[i + 1 :]
            ],
            ignore_conflicts=True,
        )
        pair_id = pair.pk
        pair.delete()
        _audit(
            cohort.programme,
            by,
            "pairing.pair_excluded",
            pair_id=pair_id,
            participant_ids=member_ids,
        )
        proposal_quality_changed(cohort=cohort, change="exclude")
    return member_ids


def pairs_publish(
    *,
    cohort: Cohort,
    by: User,
    notify: bool = True,
    base_url: str = "",
    low_matches_confirmed: bool = True,
) -> int:
    """Publish every proposed pair of ``cohort``; returns how many were published.

    ``low_matches_confirmed=False`` (the publish page without the admin's tick) refuses when
    any proposal matches below ``LOW_MATCH_PERCENT``: checked under the lock, so a pair
    made low by another admin's swap since the page was shown is not published unseen.

    Sets each pair's first mentor by the programme kind, marks the members paired, records
    an audit event and (after commit) emails the members once, with links on ``base_url``
    (scheme and host). Two admins publishing at the
    same moment cannot publish twice: the cohort row and the proposals are locked, and the
    second sees nothing left to publish.
    """
    with transaction.atomic():
        cohort = cohort_lock_for_pairing(cohort_id=cohort.pk, pairs_can_be="published")
        programme = cohort.programme
        pairs = list(
            Pair.objects.select_for_update().filter(cohort=cohort, status=Pair.Status.PROPOSED)
        )
        if not pairs:
            return 0
        low = sum(1 for pair in pairs if pair.percent < LOW_MATCH_PERCENT)
        if low and not low_matches_confirmed:
            raise RuleViolation(
                f"{low} pair{'s' if low != 1 else ''} match{'es' if low == 1 else ''} below "
                f"{LOW_MATCH_PERCENT} %: review {'it' if low == 1 else 'them'}, or tick "
                "“Publish the low matches too” to publish anyway."
            )
        members = list(
            PairMember.objects.filter(pair__in=pairs)
            .select_related("participant")
            .order_by("pair_id", "position")
        )
        people = [m.participant for m in members]
        gone = sorted({p.display_name for p in people if p.status != Participant.Status.ENROLLED})
        if gone:
            raise RuleViolation(
                "Some people in the proposal are no longer enrolled ("
                + ", ".join(gone)
                + "): exclude their pairs or re-run the pairing before publishing."
            )
        offers, wants = skills_of(participant_ids=[p.pk for p in people])
        by_pair: dict[int, list[Participant]] = {}
        for m in members:
            by_pair.setdefault(m.pair_id, []).append(m.participant)
        now = timezone.now()
        for pair in pairs:
            members_of_pair = by_pair.get(pair.pk)
            pair.first_mentor = (
                first_mentor_for(
                    kind=programme.kind, members=members_of_pair, offers=offers, wants=wants
                )
                if members_of_pair
                else None
            )
        pair_ids = [pair.pk for pair in pairs]
        Pair.objects.bulk_update(pairs, ["first_mentor"], batch_size=500)
        # The cohort row lock keeps new proposals out until commit, so this is ``pairs``.
        Pair.objects.filter(cohort=cohort, status=Pair.Status.PROPOSED).update(
            status=Pair.Status.PUBLISHED, published_at=now, locked=False, updated_at=now
        )
        Participant.objects.filter(pk__in=[p.pk for p in people]).update(
            status=Participant.Status.PAIRED, updated_at=now
        )
        _audit(
            programme,
            by,
            "pairing.pairs_published",
            cohort_id=cohort.pk,
            count=len(pairs),
            pair_ids=pair_ids[:1000],
        )
        if notify:
            enqueue("pairing.tasks.pair_published_notify_task", pair_ids, base_url)
    return len(pairs)


def pair_request_end(
    *,
    pair: Pair,
    by_participant: Participant | None = None,
    by_admin: User | None = None,
    reason: str,
    base_url: str = "",
) -> Pair:
    """A member (``by_participant``) ends their live pair early, with a reason; or a
    programme admin (``by_admin``) ends it on the members' behalf. Exactly one of the two.

    The pair becomes ``ended_early``; its members leave it (``current`` off) and go back to
    ``enrolled``, so the next run can pair them again — never with each other, since the
    engine excludes earlier partners. The partner(s) and the programme admins are told; when
    an admin ended it every member is told "ended by the programme admin", without the
    reason (only the admins read it).
    """
    if (by_participant is None) == (by_admin is None):
        raise ValueError("Pass exactly one of by_participant and by_admin.")
    reason = reason.strip()
    if not reason:
        raise RuleViolation("Say briefly why the pair should end.")
    if len(reason) > END_REASON_MAX_LENGTH:
        raise RuleViolation(f"Keep the reason under {END_REASON_MAX_LENGTH} characters.")
    with transaction.atomic():
        current = Pair.objects.select_for_update().filter(pk=pair.pk).first()
        if current is None or current.status not in Pair.LIVE_STATUSES:
            raise RuleViolation("Only a published or active pair can be ended.")
        member_ids = list(
            PairMember.objects.filter(pair=current).values_list("participant_id", flat=True)
        )
        programme = Programme.objects.get(cohorts__pairs=current)
        if by_participant is not None and by_participant.pk not in member_ids:
            raise RuleViolation("Only a member of the pair can end it.")
        if by_admin is not None and not user_is_programme_admin(user=by_admin, programme=programme):
            raise RuleViolation("Only an admin of the pair's programme can end it for its members.")
        now = timezone.now()
        current.status = Pair.Status.ENDED_EARLY
        current.ended_at = now
        current.end_reason = reason
        current.end_requested_by = by_participant
        current.ended_by_admin = by_admin
        current.save(
            update_fields=[
                "status",
                "ended_at",
                "end_reason",
                "end_requested_by",
                "ended_by_admin",
                "updated_at",
            ]
        )
        PairMember.objects.filter(pair=current).update(current=False)
        Participant.objects.filter(pk__in=member_ids, status=Participant.Status.PAIRED).update(
            status=Participant.Status.ENROLLED, updated_at=now
        )
        _audit(
            programme,
            by_participant.user if by_participant is not None else by_admin,
            "pairing.pair_ended_early",
            pair_id=current.pk,
            requested_by=by_participant.pk if by_participant is not None else None,
            on_behalf=by_admin is not None,
        )
        enqueue("pairing.tasks.pair_ended_notify_task", current.pk, base_url)
    return current
