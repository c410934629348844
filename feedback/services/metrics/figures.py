"""The figures of a chunk of pairs, read with GROUP BY queries (conditional aggregation).

Each function takes the chunk's id *range* (``span``): an index range scan with two
parameters rather than an IN list of thousands; rows of pairs in the range but not asked
for are dropped. Eight queries per chunk in all, whatever the number of sessions.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db.models import Avg, Case, Count, F, IntegerField, Max, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from feedback.models import BenefitItem, Goal, OutcomeEvent, Reflection
from feedback.services.outcomes.events import POSITIVE_FILTER
from pairing.models import MentoringSession, Pair, PairMember, SessionParticipation, SessionRole
from programmes.models import Programme

from .formula import UNCONFIRMED_AFTER, BenefitWeights, PairContext, PairFigures, SideFigures


def in_span(field: str, span: tuple[int, int]) -> dict[str, int]:
    """Filter keywords for ``field`` within the chunk's id range (both ends included)."""
    return {f"{field}__gte": span[0], f"{field}__lte": span[1]}


def pair_contexts(span: tuple[int, int], wanted: set[int]) -> dict[int, PairContext]:
    """The pairs of the chunk with their programme's cadence, threshold and weights."""
    rows = [
        row
        for row in Pair.objects.filter(**in_span("pk", span)).values_list(
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


def side_figures(
    span: tuple[int, int], contexts: dict[int, PairContext]
) -> dict[int, dict[int, SideFigures]]:
    """pair id → participant id → figures, from four GROUP BY queries and the members."""
    sides: dict[int, dict[int, SideFigures]] = defaultdict(dict)
    for pair_id, participant_id, position in PairMember.objects.filter(
        **in_span("pair_id", span)
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
            **in_span("session__pair_id", span), session__status=MentoringSession.Status.HELD
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
            **in_span("session__pair_id", span), session__status=MentoringSession.Status.HELD
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
        Goal.objects.filter(**in_span("pair_id", span))
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
        BenefitItem.objects.filter(**in_span("pair_id", span), status=BenefitItem.Status.CONFIRMED)
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

    # Positive career outcomes of each side since its cohort started (promotion, role
    # change, pay rise), by kind: one GROUP BY over the chunk's seats.
    for row in (
        OutcomeEvent.objects.filter(
            POSITIVE_FILTER,
            **in_span("participant__pair_memberships__pair_id", span),
            occurred_on__gte=F("participant__cohort__starts_on"),
        )
        .values("participant__pair_memberships__pair_id", "participant_id", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        s = side(row["participant__pair_memberships__pair_id"], row["participant_id"])
        if s is not None:
            s.outcomes[row["kind"]] = row["n"]
    return sides


def pair_figures_of(span: tuple[int, int], *, now: datetime) -> dict[int, PairFigures]:
    """pair id → sessions held, last session and items left unconfirmed (two queries)."""
    figures: dict[int, PairFigures] = defaultdict(PairFigures)
    for row in (
        MentoringSession.objects.filter(
            **in_span("pair_id", span), status=MentoringSession.Status.HELD
        )
        .values("pair_id")
        .annotate(n=Count("pk"), last=Max("scheduled_start"))
        .order_by()
    ):
        figures[row["pair_id"]].sessions_held = row["n"]
        figures[row["pair_id"]].last_session_at = row["last"]
    for row in (
        BenefitItem.objects.filter(
            **in_span("pair_id", span),
            status=BenefitItem.Status.PENDING,
            created_at__lt=now - UNCONFIRMED_AFTER,
        )
        .values("pair_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        figures[row["pair_id"]].unconfirmed_items = row["n"]
    return figures
