"""Answering one ask twice at once (two tabs, a double click) makes one ledger item.

PostgreSQL only: the proof needs two real concurrent transactions and row locks.
"""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.models import Ask, BenefitItem
from feedback.services.ledger import ask_answer, ask_create
from programmes.models import Participant, Programme
from tests.races import at_once, hold_then_run

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_ask(world):
    """A reverse-mentoring pair: the junior member asked the senior partner something."""
    Programme.objects.filter(pk=world.programme.pk).update(kind=Programme.Kind.REVERSE)
    Participant.objects.filter(pk=world.member.pk).update(seniority=2)
    Participant.objects.filter(pk=world.partner.pk).update(seniority=8)
    world.pair.refresh_from_db()
    world.member.refresh_from_db()
    world.partner.refresh_from_db()
    ask = ask_create(
        pair=world.pair,
        by=world.member,
        sides=[world.member, world.partner],
        kind=Ask.Kind.INTRODUCE,
        detail="the head of data",
    )
    world.ask = ask
    return world


def _answer_request(world, answer: str, *, follow: bool = False):
    def post():
        client = Client()
        client.force_login(world.partner.user)
        return client.post(
            reverse("feedback:ask_answer", args=[world.ask.pk]),
            {"outcome": "fulfilled", "answer": answer},
            follow=follow,
        )

    return post


def test_an_answer_sent_while_another_is_committing_is_told_and_records_nothing(open_ask):
    w = open_ask

    def first_answer():
        ask = Ask.objects.get(pk=w.ask.pk)
        return ask_answer(ask=ask, by=w.partner, fulfilled=True, answer="Introduced you Monday")

    first, second = hold_then_run(first_answer, _answer_request(w, "Emailed her today"))

    assert isinstance(first, Ask), first
    assert not isinstance(second, Exception), second
    assert second.status_code == 200  # the form again, with the reason, not a 500
    assert "This ask has already been answered." in second.content.decode()
    item = BenefitItem.objects.get(ask=w.ask)  # exactly one
    assert "Introduced you Monday" in item.description
    w.ask.refresh_from_db()
    assert w.ask.answer == "Introduced you Monday"


def test_two_answers_sent_at_once_make_one_item(open_ask):
    w = open_ask
    responses = at_once(
        _answer_request(w, "First tab", follow=True),
        _answer_request(w, "Second tab", follow=True),
    )

    assert not [r for r in responses if isinstance(r, Exception)], responses
    assert [r.status_code for r in responses] == [200, 200]
    pages = [r.content.decode() for r in responses]
    # One is thanked; the other is told, whether it lost inside the database (the form
    # again) or arrived after the first had committed (back on the pair page).
    assert sum("Thank you for sponsoring your partner" in page for page in pages) == 1
    assert sum("This ask has already been answered." in page for page in pages) == 1
    assert BenefitItem.objects.filter(ask=w.ask).count() == 1


def test_the_database_refuses_a_second_item_for_one_ask(open_ask):
    w = open_ask
    ask_answer(ask=w.ask, by=w.partner, fulfilled=True, answer="Done")
    item = BenefitItem.objects.get(ask=w.ask)
    item.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        item.save()
    # Items without an ask are not affected by the constraint.
    for _ in range(2):
        BenefitItem.objects.create(
            pair=w.pair,
            giver=w.partner,
            receiver=w.member,
            kind=BenefitItem.Kind.INTRODUCTION,
            description="Lunch with the CFO",
            occurred_on=timezone.localdate(),
            recorded_by=w.member,
        )
    assert BenefitItem.objects.filter(ask__isnull=True).count() == 2
