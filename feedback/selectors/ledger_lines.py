"""How a ledger item reads for one viewer: who recorded it, who gave what to whom.

The item shows "Ben recorded: you → Ben" to the eye; the arrow and the short form are
hidden from screen readers, which read one sentence instead: "Ben recorded that you gave
Ben an introduction on 3 Dec 2026." Names are first names, and "you" for the viewer.
Pure: no query (the item's giver and receiver are loaded with it; the recorder is always
one of them, ``feedback.services.ledger.benefit_item_record``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import dateformat

from feedback.models import BenefitItem

# What the giver did, per kind: (after "that <giver>", after "recorded").
KIND_PHRASES: dict[str, tuple[str, str]] = {
    BenefitItem.Kind.INTRODUCTION: ("gave {r} an introduction", "giving {r} an introduction"),
    BenefitItem.Kind.ADVOCACY: ("advocated for {r}", "advocating for {r}"),
    BenefitItem.Kind.STRETCH: ("gave {r} a stretch assignment", "giving {r} a stretch assignment"),
    BenefitItem.Kind.VISIBILITY: (
        "gave {r} credit or visibility",
        "giving {r} credit or visibility",
    ),
    BenefitItem.Kind.RESOURCE: ("shared a resource with {r}", "sharing a resource with {r}"),
    BenefitItem.Kind.FEEDBACK: ("gave {r} feedback", "giving {r} feedback"),
    BenefitItem.Kind.ASK_FULFILLED: ("fulfilled an ask from {r}", "fulfilling an ask from {r}"),
}


@dataclass(frozen=True)
class LedgerLine:
    """One item as the viewer reads it."""

    recorder: str  # "You" or a first name, to start a line
    giver: str  # "you" or a first name
    receiver: str
    sentence: str  # the whole statement, for screen readers


def _name(participant, *, me_id: int, start: bool = False) -> str:
    if participant.pk == me_id:
        return "You" if start else "you"
    return participant.first_name or participant.display_name


def ledger_line(item: BenefitItem, *, me_id: int) -> LedgerLine:
    """``item`` (with giver and receiver loaded) as the member ``me_id`` reads it."""
    people = {item.giver_id: item.giver, item.receiver_id: item.receiver}
    recorder = people.get(item.recorded_by_id) or item.recorded_by
    giver = _name(item.giver, me_id=me_id)
    receiver = _name(item.receiver, me_id=me_id)
    who = _name(recorder, me_id=me_id, start=True)
    past, gerund = KIND_PHRASES.get(item.kind, ("did something for {r}", "doing something for {r}"))
    if item.recorded_by_id == item.giver_id:
        what = f"{who} recorded {gerund.format(r=receiver)}"
    else:
        what = f"{who} recorded that {giver} {past.format(r=receiver)}"
    when = dateformat.format(item.occurred_on, "j M Y")
    return LedgerLine(recorder=who, giver=giver, receiver=receiver, sentence=f"{what} on {when}.")
