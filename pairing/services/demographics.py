"""Forgetting what pairing derived from a participant's gender and birth year.

Consented demographics serve pairing and aggregates only. When consent ends (the participant
unticks it, withdraws, or erases them after the programme), ``programmes.services.
participants`` erases the values and calls :func:`pair_demographics_forget`, which removes
what the engine derived from them: each pair's ``demographic_bonus`` and the part of its
``score`` and ``percent`` that the bonus made up. Reasons never hold demographic text (see
``pairing.engine``), so they need no change.
"""

import math
from collections import defaultdict
from dataclasses import replace

from django.db import transaction

from pairing import engine
from pairing.candidates import (
    candidates_build,
    group_score,
    rules_for_programme,
    rules_from_snapshot,
)
from pairing.models import Pair, PairMember
from programmes.models import Cohort, Participant


def _rules_of(pair: Pair) -> engine.Rules:
    """The rules the pair was scored with: its run's snapshot, else the programme's."""
    if pair.match_run is not None:
        return rules_from_snapshot(pair.match_run.parameters)
    return rules_for_programme(programme=pair.cohort.programme)


def _shifted_percent(pair: Pair, removed: float, rules: engine.Rules, members: int) -> int:
    """``pair.percent`` without ``removed`` weight; a trio's percent is its edges' mean."""
    best = rules.max_possible_weight
    if best <= 0 or not removed:
        return pair.percent
    edges = members * (members - 1) // 2
    shifted = pair.percent - 100 * removed / (best * max(1, edges))
    return min(100, max(0, math.floor(shifted + 0.5)))  # halves up, as the engine rounds


def pair_demographics_forget(*, participant: Participant) -> int:
    """Re-derive, without ``participant``'s demographics, every pair they are or were in.

    Precondition: their gender and birth year are already erased (or their consent is off),
    so the engine's candidates no longer carry them. A proposal is re-scored as a swap would
    re-score it (its percent and score are what the admin compares). A published or ended
    pair keeps its skill, department and location parts as scored and loses only the
    demographic part this person took part in; in a trio the other two still count between
    themselves. The bonus only ever goes down. Returns how many pairs changed.
    """
    with transaction.atomic():
        # The cohort row lock orders this after a pairing run, swap or publication that is
        # writing now; a run that read the old values re-checks consent under this lock.
        Cohort.objects.select_for_update().filter(pk=participant.cohort_id).first()
        pairs = list(
            Pair.objects.filter(members__participant=participant, demographic_bonus__gt=0)
            .select_related("match_run", "cohort__programme")
            .order_by("pk")
        )
        if not pairs:
            return 0
        seats: dict[int, list[Participant]] = defaultdict(list)
        for member in (
            PairMember.objects.filter(pair__in=pairs)
            .select_related("participant")
            .order_by("pair_id", "position")
        ):
            seats[member.pair_id].append(member.participant)
        people = {p.pk: p for group in seats.values() for p in group}
        candidates = candidates_build(cohort=participant.cohort, participants=people.values())
        for pair in pairs:
            group = [candidates[p.pk] for p in seats[pair.pk]]
            proposal = pair.status == Pair.Status.PROPOSED
            rules = (
                rules_for_programme(programme=pair.cohort.programme)
                if proposal
                else _rules_of(pair)
            )
            if not proposal:
                # The pair exists: its members now exclude each other as earlier partners,
                # and the rules may have changed since. Only the demographic terms matter.
                group = [replace(c, excluded_ids=frozenset(), manager_id=None) for c in group]
                rules = replace(rules, forbid_same_department=False, max_utc_offset_difference=None)
            result, _broken = group_score(group, rules)
            if proposal and result is not None:
                pair.score, pair.percent, pair.reasons = (
                    result.weight,
                    result.percent,
                    engine.reasons_as_json(result.details),
                )
                pair.demographic_bonus = result.demographic_bonus
                continue
            # History, or a proposal that now breaks a hard rule: only ever take away.
            bonus = min(pair.demographic_bonus, result.demographic_bonus if result else 0.0)
            removed = pair.demographic_bonus - bonus
            pair.percent = _shifted_percent(pair, removed, rules, len(group))
            pair.score -= removed
            pair.demographic_bonus = bonus
        Pair.objects.bulk_update(pairs, ["score", "percent", "reasons", "demographic_bonus"])
    return len(pairs)
