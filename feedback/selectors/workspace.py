"""Reads for the pair's goals, ledger and asks, as one of the pair's members sees them.

Fixed query counts; the callers have already fetched the pair and the viewer's seat
through ``pairing.permissions.pair_get_for_member``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from feedback.models import Ask, BenefitItem, Goal, GoalComment, GoalProgress, PairRetrospective
from feedback.permissions import asks_enabled, items_awaiting_answer_from, junior_side
from pairing.models import Pair
from programmes.models import Participant

# --- ledger --------------------------------------------------------------------------------
AWAITING_ITEMS_SHOWN = 5  # the pair page lists the oldest few; the ledger page has them all


@dataclass
class LedgerSummary:
    """What the pair page shows of the ledger for one viewer."""

    received: dict[int, int]  # participant id -> confirmed items received
    awaiting_me: list[BenefitItem]  # the oldest pending items the viewer must answer
    awaiting_me_total: int  # how many the viewer must answer in all
    awaiting_partner: int  # pending items the viewer recorded

    def received_by(self, participant: Participant) -> int:
        return self.received.get(participant.pk, 0)


def ledger_summary(
    *, pair: Pair, me: Participant, shown: int = AWAITING_ITEMS_SHOWN
) -> LedgerSummary:
    """Confirmed items per receiver, pending items on each side, and the oldest ``shown``
    items awaiting the viewer (two queries, whatever the size of the ledger)."""
    received: dict[int, int] = {}
    awaiting_partner = 0
    counts = (
        BenefitItem.objects.filter(pair=pair)
        .values("receiver_id", "status", "recorded_by_id")
        .annotate(n=Count("pk"), mine=Count("pk", filter=items_awaiting_answer_from(me)))
        .order_by()
    )
    awaiting_me_total = 0
    for row in counts:
        awaiting_me_total += row["mine"]
        if row["status"] == BenefitItem.Status.CONFIRMED:
            received[row["receiver_id"]] = received.get(row["receiver_id"], 0) + row["n"]
        elif row["status"] == BenefitItem.Status.PENDING and row["recorded_by_id"] == me.pk:
            awaiting_partner += row["n"]
    awaiting_me = []
    if awaiting_me_total and shown:
        awaiting_me = list(ledger_items(pair=pair, awaiting=me)[:shown])
    return LedgerSummary(
        received=received,
        awaiting_me=awaiting_me,
        awaiting_me_total=awaiting_me_total,
        awaiting_partner=awaiting_partner,
    )


def ledger_items(*, pair: Pair, awaiting: Participant | None = None) -> QuerySet[BenefitItem]:
    """Every item of the pair, latest first, with the people on it (for a paginated list);
    with ``awaiting``, only the pending items that participant answers, oldest first."""
    items = BenefitItem.objects.filter(pair=pair).select_related(
        "giver", "receiver", "recorded_by", "ask"
    )
    if awaiting is not None:
        items = items.filter(items_awaiting_answer_from(awaiting)).order_by("created_at", "pk")
    return items


# --- goals ---------------------------------------------------------------------------------
def goals_of_pair(*, pair: Pair) -> list[Goal]:
    """All goals of the pair with their owner and comment count (one query)."""
    return list(
        Goal.objects.filter(pair=pair)
        .select_related("owner")
        .annotate(comment_count=Count("comments"))
        .order_by("owner_id", "status", "due_on", "pk")
    )


def goal_detail(*, goal: Goal) -> dict[str, Any]:
    """A goal's history (latest first) and comments (oldest first)."""
    history = list(GoalProgress.objects.filter(goal=goal).select_related("changed_by"))
    comments = list(GoalComment.objects.filter(goal=goal).select_related("author"))
    return {"history": history, "comments": comments}


# --- asks (reverse programmes) -------------------------------------------------------------
def ask_question(ask: Ask) -> str:
    """The question as the asker meant it: "Would you introduce me to the head of data?"."""
    label = ask.get_kind_display()
    if "…" in label and ask.detail:
        return label.replace("…", ask.detail.rstrip("?. "))
    if ask.detail:
        return f"{label} ({ask.detail})"
    return label


@dataclass
class AskBoard:
    """Structured asks in a reverse programme, from the viewer's side."""

    enabled: bool
    junior: Participant | None
    senior: list[Participant]
    asks: list[Ask]

    def is_junior(self, me: Participant) -> bool:
        """``may_ask``, from the junior side the board already worked out."""
        return self.junior is not None and self.junior.pk == me.pk


def ask_board(*, pair: Pair, sides: list[Participant]) -> AskBoard:
    """The asks of a reverse pair (one query), or a disabled board elsewhere (none)."""
    if not asks_enabled(pair):
        return AskBoard(enabled=False, junior=None, senior=[], asks=[])
    junior = junior_side(sides=sides, first_mentor_id=pair.first_mentor_id)
    asks = list(
        Ask.objects.filter(pair=pair)
        .select_related("asked_by")
        .prefetch_related(
            Prefetch("benefit_items", queryset=BenefitItem.objects.only("pk", "ask_id", "status"))
        )
        .order_by("-created_at")
    )
    for ask in asks:
        ask.question = ask_question(ask)
    return AskBoard(
        enabled=True,
        junior=junior,
        senior=[p for p in sides if p.pk != junior.pk],
        asks=asks,
    )


# --- closing -------------------------------------------------------------------------------
def retrospectives(*, pair: Pair) -> list[PairRetrospective]:
    return list(PairRetrospective.objects.filter(pair=pair).select_related("author"))
