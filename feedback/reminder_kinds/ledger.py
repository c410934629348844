"""``ledger_unconfirmed``: 3 days after a ledger item was recorded, to its receiving side
if they have neither confirmed nor disputed it (it counts in metrics only once confirmed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.urls import reverse

from feedback.models import BenefitItem
from mentoring.notifications.registry import Due, Kind, RenderedMessage
from pairing.models import Pair, PairMember
from programmes.reminder_kinds.common import SCAN_CHUNK, absolute, reminder_message, windows

if TYPE_CHECKING:
    from mentoring.notifications.models import Delivery

CODE = "ledger_unconfirmed"


def ledger_scan(now: dt.datetime) -> Iterator[Due]:
    """Per programme and offset, on the (status, created_at) index."""
    for window in windows(code=CODE, now=now):
        items = (
            BenefitItem.objects.filter(
                status=BenefitItem.Status.PENDING,
                created_at__gt=window.low,
                created_at__lte=window.high,
                pair__cohort__programme_id=window.programme_id,
                pair__status__in=Pair.LIVE_STATUSES,
                receiver__user__isnull=False,
            )
            .values_list("receiver__user_id", "pk", "created_at")
            .order_by()
        )
        for user_id, item_id, created_at in items.iterator(chunk_size=SCAN_CHUNK):
            yield Due(
                recipient_id=user_id,
                object_key=f"benefit_item:{item_id}",
                due_at=created_at + window.offset,
                programme_id=window.programme_id,
                context={"item_id": item_id},
            )


def ledger_render(delivery: Delivery) -> RenderedMessage | None:
    """None once the item is confirmed or disputed, the pair ended, or the receiver left."""
    user = delivery.recipient
    item = (
        BenefitItem.objects.select_related("giver", "receiver", "pair__cohort__programme")
        .filter(
            pk=delivery.context.get("item_id"),
            status=BenefitItem.Status.PENDING,
            pair__status__in=Pair.LIVE_STATUSES,
        )
        .first()
    )
    if item is None or user is None or item.receiver.user_id != user.pk:
        return None
    if not PairMember.objects.filter(
        pair=item.pair, participant=item.receiver, current=True
    ).exists():
        return None
    link = absolute(reverse("feedback:ledger", kwargs={"pair_id": item.pair_id}))
    return reminder_message(
        code=CODE,
        subject=f"{item.giver.display_name} recorded something for you: please confirm it",
        link=link,
        zone_name=user.time_zone,
        context={
            "me": item.receiver,
            "item": item,
            "giver": item.giver,
            "programme": item.pair.cohort.programme,
        },
    )


KIND = Kind(
    code=CODE,
    label="Ledger confirmation reminders",
    description="3 days after your partner recorded something they did for you, if you "
    "have not confirmed or disputed it.",
    default_offsets=(72,),
    scan=ledger_scan,
    render=ledger_render,
)
