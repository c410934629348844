"""The benefit ledger ("what has your partner done for you?") and structured asks.

Either side records an item; the *other* side of the item confirms or disputes it.
Only confirmed items count in the metrics. In reverse programmes the junior side asks
the senior side four structured questions; a fulfilled ask becomes a ledger item that
the junior side confirms like any other. Who may do what is decided in
``feedback.permissions`` (the views ask the same predicates).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from feedback.models import Ask, BenefitItem
from feedback.permissions import (
    asks_enabled,
    may_answer_ask,
    may_answer_item,
    may_ask,
)
from feedback.services.metrics import pair_metrics_changed
from mentoring.errors import RuleViolation
from pairing.models import Pair
from pairing.selectors.sides import pair_sides
from programmes.models import Participant

RECORDABLE_STATUSES = (*Pair.LIVE_STATUSES, Pair.Status.COMPLETED)
ASK_ALREADY_ANSWERED = "This ask has already been answered."


@transaction.atomic
def benefit_item_record(
    *,
    pair: Pair,
    by: Participant,
    giver: Participant,
    receiver: Participant,
    kind: str,
    description: str,
    occurred_on: dt.date,
    ask: Ask | None = None,
) -> BenefitItem:
    """Record something one side did for the other; it waits for the other side's answer.

    ``by`` must be the giver or the receiver; both must be members of ``pair``.
    """
    if pair.status not in RECORDABLE_STATUSES:
        raise RuleViolation("This pair has ended early; its ledger is closed.")
    member_ids = {p.pk for p in pair_sides(pair=pair)}
    if {giver.pk, receiver.pk} - member_ids or giver.pk == receiver.pk:
        raise RuleViolation("An item is between the two of you.")
    if by.pk not in (giver.pk, receiver.pk):
        raise PermissionDenied("Record what you gave or what you received.")
    if kind not in BenefitItem.Kind.values:
        raise RuleViolation({"kind": "Choose a kind from the list."})
    if occurred_on > timezone.localdate():
        raise RuleViolation({"occurred_on": "This date is in the future."})
    item = BenefitItem(
        pair=pair,
        giver=giver,
        receiver=receiver,
        kind=kind,
        description=description.strip(),
        occurred_on=occurred_on,
        ask=ask,
        recorded_by=by,
    )
    item.full_clean()
    item.save()
    return item


def _respond(item: BenefitItem, by: Participant) -> None:
    if not may_answer_item(item=item, me=by):
        if by.pk == item.recorded_by_id:
            raise PermissionDenied("You recorded this item: your partner confirms it.")
        raise PermissionDenied("Only the other side of this item can answer it.")
    if item.status != BenefitItem.Status.PENDING:
        raise RuleViolation("This item has already been answered.")


@transaction.atomic
def benefit_item_confirm(*, item: BenefitItem, by: Participant) -> BenefitItem:
    """The other side confirms: from now on the item counts in the metrics."""
    _respond(item, by)
    item.status = BenefitItem.Status.CONFIRMED
    item.responded_at = timezone.now()
    item.save(update_fields=["status", "responded_at"])
    pair_metrics_changed(pair_id=item.pair_id)
    return item


@transaction.atomic
def benefit_item_dispute(*, item: BenefitItem, by: Participant, reason: str) -> BenefitItem:
    """The other side disputes the item, saying why; it never counts."""
    _respond(item, by)
    reason = reason.strip()
    if not reason:
        raise RuleViolation({"reason": "Say briefly what you see differently."})
    item.status = BenefitItem.Status.DISPUTED
    item.dispute_reason = reason[:500]
    item.responded_at = timezone.now()
    item.save(update_fields=["status", "dispute_reason", "responded_at"])
    pair_metrics_changed(pair_id=item.pair_id)
    return item


# --- structured asks (reverse programmes) ------------------------------------------------
@transaction.atomic
def ask_create(
    *, pair: Pair, by: Participant, sides: Sequence[Participant], kind: str, detail: str = ""
) -> Ask:
    """The junior side asks the senior side one of the four structured questions."""
    if not asks_enabled(pair):
        raise RuleViolation("Structured asks belong to reverse-mentoring programmes.")
    if pair.status not in Pair.LIVE_STATUSES:
        raise RuleViolation("This pair has ended.")
    if not may_ask(pair=pair, me=by, sides=sides):
        raise PermissionDenied("The junior side asks; answer the asks you receive instead.")
    if kind not in Ask.Kind.values:
        raise RuleViolation({"kind": "Choose one of the four questions."})
    detail = detail.strip()
    if kind in (Ask.Kind.ADVOCATE, Ask.Kind.INTRODUCE) and not detail:
        raise RuleViolation(
            {"detail": "Say in what, or to whom (for example “the Q3 promotion panel”)."}
        )
    ask = Ask(pair=pair, asked_by=by, kind=kind, detail=detail)
    ask.full_clean()
    ask.save()
    return ask


@transaction.atomic
def ask_answer(
    *,
    ask: Ask,
    by: Participant,
    fulfilled: bool,
    answer: str,
    occurred_on: dt.date | None = None,
) -> Ask:
    """The asked side answers. A fulfilled ask becomes a pending ledger item for the asker.

    The asker then confirms (or disputes) that item like any other.
    """
    if not may_answer_ask(ask=ask, me=by):
        raise PermissionDenied("Your partner answers your asks.")
    if ask.status != Ask.Status.OPEN:
        raise RuleViolation(ASK_ALREADY_ANSWERED)
    answer = answer.strip()
    if not answer:
        raise RuleViolation({"answer": "Write your answer."})
    status = Ask.Status.FULFILLED if fulfilled else Ask.Status.DECLINED
    # The row count of a conditional update decides who answers: two answers sent at once
    # (two tabs, a double click) both saw the ask open, but the database lets only one of
    # them move it out of "open"; the other waits for that commit, then updates nothing.
    won = Ask.objects.filter(pk=ask.pk, status=Ask.Status.OPEN).update(
        status=status, answer=answer, updated_at=timezone.now()
    )
    if not won:
        raise RuleViolation(ASK_ALREADY_ANSWERED)
    ask.refresh_from_db(fields=["status", "answer", "updated_at"])
    if fulfilled:
        question = f"{ask.get_kind_display()} {ask.detail}".strip()
        benefit_item_record(
            pair=ask.pair,
            by=by,
            giver=by,
            receiver=ask.asked_by,
            kind=BenefitItem.Kind.ASK_FULFILLED,
            description=f"{question} — {answer}"[:500],
            occurred_on=occurred_on or timezone.localdate(),
            ask=ask,
        )
    return ask
