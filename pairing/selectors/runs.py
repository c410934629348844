"""Reads for the pairing pages: runs, the proposal table and its counts, swap previews.

The engine's inputs (rules, candidates, a group's score) come from ``pairing.candidates``.
Every function here runs a constant number of queries whatever the cohort size.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from pairing import engine
from pairing.candidates import candidates_build, group_score, rules_for_programme
from pairing.models import MatchRun, Pair, PairMember
from programmes.models import Cohort, Participant, Programme

#: A queued or running run older than this never finished (worker lost, broker outage
#: longer than the task's own time limit): it no longer blocks the cohort.
RUN_STALE_AFTER = timedelta(minutes=40)
ACTIVE_RUN_STATUSES = (MatchRun.Status.QUEUED, MatchRun.Status.RUNNING)
#: Programme statuses in which an admin may propose and publish pairs. ``running`` is
#: included so people whose pair ended early, or who joined late, can be re-paired.
PAIRING_PROGRAMME_STATUSES = (
    Programme.Status.ENROLLING,
    Programme.Status.MATCHING,
    Programme.Status.RUNNING,
)
HISTOGRAM_BUCKETS = 10
#: A proposal matching below this percent is flagged on its row, listed on the publish
#: confirmation, and published only with the admin's explicit tick. 40 % is where a pair
#: shares little more than a one-way skill fit: a perfect one-way fit alone is 33 %.
LOW_MATCH_PERCENT = 40
#: The publish confirmation lists at most this many pairs (the proposal lists them all).
PUBLISH_LIST_LIMIT = 200


# --- runs and the proposal ---------------------------------------------------------------
def match_run_latest(*, cohort: Cohort) -> MatchRun | None:
    return MatchRun.objects.filter(cohort=cohort).select_related("started_by").first()


def match_run_is_active(run: MatchRun | None) -> bool:
    """Queued or running, and not stale (see ``RUN_STALE_AFTER``)."""
    return (
        run is not None
        and run.status in ACTIVE_RUN_STATUSES
        and run.created_at > timezone.now() - RUN_STALE_AFTER
    )


def match_run_active(*, cohort: Cohort) -> MatchRun | None:
    run = (
        MatchRun.objects.filter(
            cohort=cohort,
            status__in=ACTIVE_RUN_STATUSES,
            created_at__gt=timezone.now() - RUN_STALE_AFTER,
        )
        .order_by("-created_at")
        .first()
    )
    return run


def proposed_pairs(*, cohort: Cohort) -> QuerySet[Pair]:
    """The cohort's proposal, best first, members and their names prefetched (2 queries)."""
    members = PairMember.objects.select_related("participant").only(
        "id",
        "pair_id",
        "position",
        "participant_id",
        "participant__first_name",
        "participant__last_name",
        "participant__email",
        "participant__department",
        "participant__job_title",
        "participant__seniority",
    )
    return (
        Pair.objects.filter(cohort=cohort, status=Pair.Status.PROPOSED)
        .prefetch_related(Prefetch("members", queryset=members.order_by("position")))
        .order_by("-locked", "-percent", "pk")
    )


def proposal_pair(*, pair_id: int) -> Pair:
    """One proposed pair with the same prefetches as the table (for an htmx row refresh)."""
    return Pair.objects.filter(pk=pair_id).prefetch_related(
        Prefetch(
            "members",
            queryset=PairMember.objects.select_related("participant").order_by("position"),
        )
    )[0]


def proposal_overview(*, cohort: Cohort) -> dict:
    """Counts for the cohort's pairing page, in two queries.

    ``histogram`` counts the proposed pairs per match-percent bucket (0–9, …, 90–100);
    ``low`` those below ``LOW_MATCH_PERCENT``.
    """
    proposed = Q(status=Pair.Status.PROPOSED)
    buckets = {}
    for k in range(HISTOGRAM_BUCKETS):
        low, high = k * 10, (k + 1) * 10 if k < HISTOGRAM_BUCKETS - 1 else 101
        buckets[f"b{k}"] = Count("pk", filter=proposed & Q(percent__gte=low, percent__lt=high))
    counts = Pair.objects.filter(cohort=cohort).aggregate(
        proposed=Count("pk", filter=proposed),
        locked=Count("pk", filter=proposed & Q(locked=True)),
        live=Count("pk", filter=Q(status__in=Pair.LIVE_STATUSES)),
        low=Count("pk", filter=proposed & Q(percent__lt=LOW_MATCH_PERCENT)),
        proposed_weight=Sum("score", filter=proposed),
        **buckets,
    )
    waiting = (
        Participant.objects.filter(
            cohort=cohort,
            status=Participant.Status.ENROLLED,
            charter_accepted_at__isnull=False,
        )
        .exclude(pair_memberships__current=True)
        .count()
    )
    return {
        "proposed": counts["proposed"],
        "locked": counts["locked"],
        "unlocked": counts["proposed"] - counts["locked"],
        "live": counts["live"],
        "low": counts["low"],
        "proposed_weight": counts["proposed_weight"] or 0.0,
        "histogram": [counts[f"b{k}"] for k in range(HISTOGRAM_BUCKETS)],
        "waiting": waiting,
    }


def histogram_labels() -> list[str]:
    return [f"{k * 10}–{k * 10 + 9} %" if k < 9 else "90–100 %" for k in range(HISTOGRAM_BUCKETS)]


def swap_choices(*, cohort: Cohort) -> list[tuple[int, str]]:
    """(participant id, label) for everyone in an unlocked proposed pair, in one query."""
    rows = (
        PairMember.objects.filter(
            pair__cohort=cohort, pair__status=Pair.Status.PROPOSED, pair__locked=False
        )
        .order_by("participant__last_name", "participant__first_name", "participant_id")
        .values_list(
            "pair_id",
            "pair__percent",
            "participant_id",
            "participant__first_name",
            "participant__last_name",
            "participant__email",
        )
    )
    members: dict[int, list[tuple[int, str]]] = defaultdict(list)
    flat = []
    for pair_id, percent, pid, first, last, email in rows:
        name = f"{first} {last}".strip() or email
        members[pair_id].append((pid, name))
        flat.append((pair_id, percent, pid, name))
    choices = []
    for pair_id, percent, pid, name in flat:
        partners = " and ".join(n for other, n in members[pair_id] if other != pid)
        choices.append((pid, f"{name} — now with {partners} ({percent} %)"))
    return choices


@dataclass(frozen=True)
class SwapPreview:
    """What swapping ``person_a`` (of ``pair_a``) with ``person_b`` (of ``pair_b``) does.

    ``before``/``after`` are (pair A's score, pair B's score); ``after`` entries are ``None``
    when a hard rule forbids the new group, explained in ``forbidden``. ``delta`` is the
    change in total weight (``None`` when forbidden).
    """

    pair_a: Pair
    pair_b: Pair
    person_a: Participant
    person_b: Participant
    old_a: list[Participant]
    old_b: list[Participant]
    new_a: list[Participant]
    new_b: list[Participant]
    before: tuple[engine.Score | None, engine.Score | None]
    after: tuple[engine.Score | None, engine.Score | None]
    forbidden: list[str]

    @property
    def allowed(self) -> bool:
        return not self.forbidden

    @property
    def delta(self) -> float | None:
        if not self.allowed:
            return None
        before = sum(s.weight for s in self.before if s is not None)
        return sum(s.weight for s in self.after if s is not None) - before


def swap_preview(*, cohort: Cohort, person_a_id: int, person_b_id: int) -> SwapPreview:
    """Score the two groups a swap would form; ``ValueError`` if the people are not in two
    different unlocked proposed pairs of ``cohort``."""
    seats = {
        m.participant_id: m
        for m in PairMember.objects.filter(
            participant_id__in=[person_a_id, person_b_id],
            current=True,
            pair__cohort=cohort,
            pair__status=Pair.Status.PROPOSED,
        ).select_related("pair")
    }
    if person_a_id not in seats or person_b_id not in seats:
        raise ValueError("Both people must be in a proposed pair of this cohort.")
    pair_a, pair_b = seats[person_a_id].pair, seats[person_b_id].pair
    if pair_a.pk == pair_b.pk:
        raise ValueError("Pick two people from two different pairs.")
    if pair_a.locked or pair_b.locked:
        raise ValueError("A locked pair cannot be changed: unlock it first.")
    members = list(
        PairMember.objects.filter(pair__in=[pair_a, pair_b])
        .select_related("participant")
        .order_by("pair_id", "position")
    )
    people = {m.participant_id: m.participant for m in members}
    old_a = [m.participant_id for m in members if m.pair_id == pair_a.pk]
    old_b = [m.participant_id for m in members if m.pair_id == pair_b.pk]
    new_a = [person_b_id if p == person_a_id else p for p in old_a]
    new_b = [person_a_id if p == person_b_id else p for p in old_b]
    candidates = candidates_build(cohort=cohort, participants=people.values())
    rules = rules_for_programme(programme=cohort.programme)

    def scored(ids: list[int]) -> tuple[engine.Score | None, list[str]]:
        return group_score([candidates[i] for i in ids], rules)

    after_a, why_a = scored(new_a)
    after_b, why_b = scored(new_b)
    forbidden = [r for r in [*why_a, *why_b] if r]
    forbidden = list(dict.fromkeys(forbidden))
    return SwapPreview(
        pair_a=pair_a,
        pair_b=pair_b,
        person_a=people[person_a_id],
        person_b=people[person_b_id],
        old_a=[people[i] for i in old_a],
        old_b=[people[i] for i in old_b],
        new_a=[people[i] for i in new_a],
        new_b=[people[i] for i in new_b],
        before=(scored(old_a)[0], scored(old_b)[0]),
        after=(after_a, after_b),
        forbidden=forbidden,
    )
