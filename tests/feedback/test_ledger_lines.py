"""Ledger items say who recorded them, in words a screen reader reads correctly.

The eye reads "[Introduction] Ben recorded: you → Ben"; the arrow and that short form are
``aria-hidden``, and a visually hidden sentence says the same in words: "Ben recorded that
you gave Ben an introduction on 3 Dec 2026." Each side reads "you" for themselves.
"""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.models import BenefitItem
from feedback.selectors.ledger_lines import KIND_PHRASES, ledger_line
from feedback.services.ledger import benefit_item_record
from programmes.models import Participant

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 11, 3)


@pytest.fixture
def ana_and_ben(world):
    for participant, first in ((world.member, "Ana"), (world.partner, "Ben")):
        Participant.objects.filter(pk=participant.pk).update(first_name=first)
        participant.first_name = first
    return world


def record(world, *, by, giver, receiver, kind=BenefitItem.Kind.INTRODUCTION):
    return benefit_item_record(
        pair=world.pair,
        by=by,
        giver=giver,
        receiver=receiver,
        kind=kind,
        description="Introduced me to the head of data",
        occurred_on=ON,
    )


def client_of(participant: Participant) -> Client:
    client = Client()
    client.force_login(participant.user)
    return client


def items_on(page: str) -> list[tuple[str, str]]:
    """Each item's (visible line, screen-reader sentence), in page order."""
    found = []
    for block in page.split('data-testid="ledger-who"')[1:]:
        visible = re.search(r'<span aria-hidden="true">(.*?)</span><span class="visually', block)
        sentence = re.search(r'data-testid="ledger-sentence">([^<]*)<', block)
        text = re.sub(r"<[^>]+>", "", visible.group(1))
        found.append((re.sub(r"\s+", " ", text).strip(), sentence.group(1)))
    return found


@pytest.mark.parametrize(
    ("recorded_by", "viewer", "visible", "sentence"),
    [
        # Ben received the introduction and recorded it.
        (
            "partner",
            "member",
            "Introduction Ben recorded: you → Ben",
            "Ben recorded that you gave Ben an introduction on 3 Nov 2026.",
        ),
        (
            "partner",
            "partner",
            "Introduction You recorded: Ana → you",
            "You recorded that Ana gave you an introduction on 3 Nov 2026.",
        ),
        # Ana gave it and recorded it herself.
        (
            "member",
            "member",
            "Introduction You recorded: you → Ben",
            "You recorded giving Ben an introduction on 3 Nov 2026.",
        ),
        (
            "member",
            "partner",
            "Introduction Ana recorded: Ana → you",
            "Ana recorded giving you an introduction on 3 Nov 2026.",
        ),
    ],
)
def test_the_ledger_page_says_who_recorded_each_item_as_each_side_reads_it(
    ana_and_ben, recorded_by, viewer, visible, sentence
):
    w = ana_and_ben
    ana, ben = w.member, w.partner
    record(w, by=getattr(w, recorded_by), giver=ana, receiver=ben)
    page = client_of(getattr(w, viewer)).get(reverse("feedback:ledger", args=[w.pair.pk]))
    html = page.content.decode()
    assert items_on(html) == [(visible, sentence)]
    # No arrow reaches a screen reader: the page's only "→" is the one in the hidden line.
    assert html.count("→") == 1


def test_the_pair_page_waiting_item_tells_the_giver_who_recorded_it(ana_and_ben):
    w = ana_and_ben
    ana, ben = w.member, w.partner
    record(w, by=ben, giver=ana, receiver=ben)  # waits for Ana's confirmation
    page = client_of(ana).get(reverse("feedback:pair_detail", args=[w.pair.pk])).content.decode()
    awaiting = page.split('data-testid="awaiting-me"', 1)[1]
    assert items_on(awaiting)[0] == (
        "Introduction Ben recorded: you → Ben",
        "Ben recorded that you gave Ben an introduction on 3 Nov 2026.",
    )


@pytest.mark.parametrize("kind", BenefitItem.Kind.values)
def test_every_kind_has_a_sentence_both_ways(ana_and_ben, kind):
    w = ana_and_ben
    ana, ben = w.member, w.partner
    assert kind in KIND_PHRASES
    by_giver = record(w, by=ana, giver=ana, receiver=ben, kind=kind)
    by_receiver = record(w, by=ben, giver=ana, receiver=ben, kind=kind)
    giver_sentence = ledger_line(by_giver, me_id=ben.pk).sentence
    receiver_sentence = ledger_line(by_receiver, me_id=ben.pk).sentence
    assert giver_sentence.startswith("Ana recorded ")
    assert receiver_sentence.startswith("You recorded that Ana ")
    assert "you" in giver_sentence and "you" in receiver_sentence.removeprefix("You")
    assert giver_sentence.endswith(" on 3 Nov 2026.")


def test_saying_who_recorded_an_item_costs_no_query(ana_and_ben):
    """The recorder is the giver or the receiver, both loaded with the item: the pair page
    and the ledger run as many queries for five waiting items as for one."""
    w = ana_and_ben
    ana, ben = w.member, w.partner
    client = client_of(ana)
    pages = [
        reverse("feedback:pair_detail", args=[w.pair.pk]),
        reverse("feedback:ledger", args=[w.pair.pk]),
    ]

    def counts() -> list[int]:
        found = []
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    record(w, by=ben, giver=ana, receiver=ben)
    counts()  # warm-up: sessions, caches
    one = counts()
    for kind in ("advocacy", "stretch", "feedback", "resource"):
        record(w, by=ben, giver=ana, receiver=ben, kind=kind)
    assert counts() == one
