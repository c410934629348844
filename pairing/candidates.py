"""The engine's adapter: programme settings and participant rows → ``pairing.engine`` inputs.

``pairing.engine`` knows nothing of Django. This module reads what it needs (the programme's
pairing rules, the cohort's participants with their skills, earlier partners and opt-outs)
and builds the engine's :class:`~pairing.engine.Rules` and :class:`~pairing.engine.Candidate`
objects; :func:`group_score` scores a pair or a trio the way the engine totals it, and
:func:`first_mentor_for` says who mentors first. The pairing services (runs, hand-made
proposals, swaps, publishing, forgetting demographics) and the pages that preview them (the
proposal table, the swap preview, the publish confirmation) all go through here, so everyone
scores a group, and picks its first mentor, the same way.

Every function here runs a constant number of queries whatever the cohort size.
"""

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import combinations

from django.db.models import Q

from pairing import engine
from pairing.engine.reasons import TRIO
from pairing.models import Pair, PairingExclusion, PairMember
from programmes.models import Cohort, Participant, Programme

# --- rules --------------------------------------------------------------------------------
RULE_FIELDS = (
    "skill_weight",
    "cross_gender_weight",
    "cross_generation_weight",
    "cross_department_weight",
    "cross_location_weight",
    "forbid_same_department",
    "max_utc_offset_difference",
    "allow_trio",
)


def rules_snapshot(*, programme: Programme) -> dict:
    """The programme's pairing settings as JSON (stored on the run, so a run is reproducible)."""
    return {name: getattr(programme, name) for name in RULE_FIELDS}


def rules_from_snapshot(snapshot: dict) -> engine.Rules:
    return engine.Rules(**{name: snapshot[name] for name in RULE_FIELDS if name in snapshot})


def rules_for_programme(*, programme: Programme) -> engine.Rules:
    return rules_from_snapshot(rules_snapshot(programme=programme))


# --- candidates ---------------------------------------------------------------------------
@cache
def utc_offset_hours(time_zone: str, on: dt.date) -> float | None:
    """The zone's offset from UTC at noon on ``on``, in hours (``None`` for an unknown zone).

    Noon, not midnight: a daylight-saving switch happens at night, so noon gives the offset
    people actually live with that day.
    """
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    offset = dt.datetime.combine(on, dt.time(12), tzinfo=zone).utcoffset()
    return None if offset is None else offset.total_seconds() / 3600


def compared_gender(participant: Participant) -> str | None:
    """The gender the engine compares: a code from ``Participant.COMPARED_GENDERS`` shared
    with consent, else ``None`` (unknown: no cross-gender bonus). A self-description is the
    person's own words and "prefer not to say" is no answer: neither is compared."""
    if not participant.demographics_consent:
        return None
    gender = participant.gender
    return gender if gender in Participant.COMPARED_GENDERS else None


@dataclass(frozen=True)
class CandidatePool:
    """Who a run pairs: ``candidates`` by participant id (the pool plus the locked pairs'
    members), the ``locked`` pairs as participant ids (``locked_pair_ids`` their rows),
    locked trios kept out of the engine (``kept_aside_pair_ids``) and the ``names`` to show."""

    candidates: dict[int, engine.Candidate]
    locked: list[tuple[int, int]]
    locked_pair_ids: list[int]
    kept_aside_pair_ids: list[int]
    names: dict[int, str]


def candidates_build(
    *, cohort: Cohort, participants: Iterable[Participant]
) -> dict[int, engine.Candidate]:
    """Engine candidates for ``participants`` (all of ``cohort``), in five queries.

    Demographics are used only with consent, genders as codes (:func:`compared_gender`).
    Exclusions: everyone the person has been paired
    with in a published, live or ended pair (a proposal is a draft, not history) and every
    opt-out or admin exclusion, in either direction.
    """
    people = list(participants)
    if not people:
        return {}
    programme = cohort.programme
    start = programme.starts_on

    offers: dict[int, set[str]] = defaultdict(set)
    wants: dict[int, set[str]] = defaultdict(set)
    offered = Participant.skills_offered.through.objects.filter(participant__cohort=cohort)
    for participant_id, name in offered.values_list("participant_id", "skill__name"):
        offers[participant_id].add(name)
    wanted = Participant.skills_wanted.through.objects.filter(participant__cohort=cohort)
    for participant_id, name in wanted.values_list("participant_id", "skill__name"):
        wants[participant_id].add(name)

    excluded: dict[int, set[int]] = defaultdict(set)
    history = (
        PairMember.objects.filter(pair__cohort=cohort)
        .exclude(pair__status=Pair.Status.PROPOSED)
        .values_list("pair_id", "participant_id")
    )
    by_pair: dict[int, list[int]] = defaultdict(list)
    for pair_id, participant_id in history:
        by_pair[pair_id].append(participant_id)
    for members in by_pair.values():
        for a, b in combinations(members, 2):
            excluded[a].add(b)
            excluded[b].add(a)
    opt_outs = PairingExclusion.objects.filter(
        Q(participant__cohort=cohort) | Q(excluded__cohort=cohort)
    ).values_list("participant_id", "excluded_id")
    for a, b in opt_outs:
        excluded[a].add(b)
        excluded[b].add(a)

    candidates = {}
    for p in people:
        consent = p.demographics_consent
        candidates[p.pk] = engine.Candidate(
            id=p.pk,
            offers=frozenset(offers[p.pk]),
            wants=frozenset(wants[p.pk]),
            gender=compared_gender(p),
            birth_year=p.birth_year if consent else None,
            department=p.department or None,
            location=p.location or None,
            seniority=p.seniority,
            manager_id=p.manager_id,
            utc_offset_hours=utc_offset_hours(p.time_zone, start),
            excluded_ids=frozenset(excluded[p.pk] - {p.pk}),
        )
    return candidates


CANDIDATE_FIELDS = (
    "id",
    "cohort_id",
    "first_name",
    "last_name",
    "email",
    "department",
    "location",
    "seniority",
    "manager_id",
    "time_zone",
    "demographics_consent",
    "gender",
    "birth_year",
    "status",
)


def candidate_pool(*, cohort: Cohort) -> CandidatePool:
    """The people a new run pairs, and the locked proposals it keeps.

    The pool is every enrolled participant (charter signed) who is not in a live pair or a
    kept locked proposal; the unlocked proposals are about to be replaced, so their people
    are in the pool. Members of locked two-person proposals are candidates too, passed to
    the engine as locked pairs; a locked trio is kept aside. A locked proposal with someone
    no longer enrolled (withdrawn) is not kept: its other members return to the pool.
    """
    people = list(
        Participant.objects.filter(
            cohort=cohort, status=Participant.Status.ENROLLED, charter_accepted_at__isnull=False
        )
        .only(*CANDIDATE_FIELDS)
        .order_by("pk")
    )
    enrolled = {p.pk for p in people}
    busy_rows = PairMember.objects.filter(pair__cohort=cohort, current=True).exclude(
        pair__status=Pair.Status.PROPOSED, pair__locked=False
    )
    busy: dict[int, list[int]] = defaultdict(list)
    is_proposal: dict[int, bool] = {}
    for pair_id, participant_id, status in busy_rows.values_list(
        "pair_id", "participant_id", "pair__status"
    ):
        busy[pair_id].append(participant_id)
        is_proposal[pair_id] = status == Pair.Status.PROPOSED
    locked: list[tuple[int, int]] = []
    locked_pair_ids: list[int] = []
    kept_aside: list[int] = []
    taken: set[int] = set()
    for pair_id, members in sorted(busy.items()):
        if not is_proposal[pair_id]:
            taken.update(members)  # a live pair
        elif not enrolled.issuperset(members):
            continue  # a stale locked proposal: replaced by this run
        elif len(members) == 2:
            a, b = sorted(members)
            locked.append((a, b))
            locked_pair_ids.append(pair_id)
        else:
            kept_aside.append(pair_id)
            taken.update(members)
    chosen = [p for p in people if p.pk not in taken]
    return CandidatePool(
        candidates=candidates_build(cohort=cohort, participants=chosen),
        locked=locked,
        locked_pair_ids=locked_pair_ids,
        kept_aside_pair_ids=kept_aside,
        names={p.pk: p.display_name for p in chosen},
    )


# --- who mentors first --------------------------------------------------------------------
def skills_of(*, participant_ids: Iterable[int]) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """``(offers, wants)``: skill names by participant id, for these people only (2 queries)."""
    ids = list(participant_ids)
    offers: dict[int, set[str]] = defaultdict(set)
    wants: dict[int, set[str]] = defaultdict(set)
    offered = Participant.skills_offered.through.objects.filter(participant_id__in=ids)
    for participant_id, name in offered.values_list("participant_id", "skill__name"):
        offers[participant_id].add(name)
    wanted = Participant.skills_wanted.through.objects.filter(participant_id__in=ids)
    for participant_id, name in wanted.values_list("participant_id", "skill__name"):
        wants[participant_id].add(name)
    return offers, wants


def first_mentor_for(
    *,
    kind: str,
    members: list[Participant],
    offers: Mapping[int, Collection[str]],
    wants: Mapping[int, Collection[str]],
) -> Participant:
    """Who mentors first in a pair or trio (``offers``/``wants``: skill names by id).

    ``reverse``: the more junior side (lower seniority; unknown counts as most senior).
    ``reciprocal``/``peer``: the side whose offered skills cover most of what the others
    want. Ties go to the lower participant id, so the choice is stable.
    """
    if kind == Programme.Kind.REVERSE:
        return min(members, key=lambda p: (p.seniority is None, p.seniority or 0, p.pk))

    def coverage(person: Participant) -> int:
        mine = set(offers.get(person.pk, ()))
        return sum(len(mine & set(wants.get(o.pk, ()))) for o in members if o.pk != person.pk)

    return min(members, key=lambda p: (-coverage(p), p.pk))


# --- scoring a group ----------------------------------------------------------------------
def group_score(
    members: list[engine.Candidate], rules: engine.Rules
) -> tuple[engine.Score | None, list[str]]:
    """Score a pair, or a trio as the sum of its three edges (as the engine totals it).

    Returns ``(score, why_forbidden)``: ``score`` is ``None`` when a hard rule forbids any
    edge, and ``why_forbidden`` then names the rules broken.
    """
    if len(members) == 2:
        a, b = members
        result = engine.score(a, b, rules)
        return result, ([] if result else engine.hard_rule_violations(a, b, rules))
    edges = []
    broken: list[str] = []
    for a, b in combinations(members, 2):
        result = engine.score(a, b, rules)
        if result is None:
            broken.extend(r for r in engine.hard_rule_violations(a, b, rules) if r not in broken)
        edges.append(result)
    if broken:
        return None, broken
    weight = sum(e.weight for e in edges)
    percent = round(sum(e.percent for e in edges) / len(edges))
    details = [engine.Reason(TRIO)]
    details += [r for e in edges for r in e.details if r not in details]
    bonus = sum(e.demographic_bonus for e in edges)
    return engine.Score(
        weight=weight, percent=percent, details=tuple(details), demographic_bonus=bonus
    ), []
