"""The benefit ledger, structured asks, and ending a pair well (the issue's "Benefit ledger")."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.models import Ask, BenefitItem, PairRetrospective
from feedback.permissions import junior_side
from feedback.selectors.workspace import ledger_summary
from feedback.services.closing import pair_complete
from feedback.services.ledger import (
    ask_answer,
    ask_create,
    benefit_item_confirm,
    benefit_item_dispute,
    benefit_item_record,
)
from pairing.models import MentoringSession, Pair, PairMember
from pairing.services.sessions import session_schedule
from programmes.models import Participant, Programme
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def client_of(participant: Participant) -> Client:
    client = Client()
    client.force_login(participant.user)
    return client


def record(world, *, by, giver, receiver, kind=BenefitItem.Kind.INTRODUCTION, **extra):
    return benefit_item_record(
        pair=world.pair,
        by=by,
        giver=giver,
        receiver=receiver,
        kind=kind,
        description=extra.pop("description", "Introduced me to the CFO"),
        occurred_on=extra.pop("occurred_on", TODAY()),
        **extra,
    )


@pytest.fixture
def reverse_world(world):
    """The world's programme as reverse mentoring: the member is junior, the partner senior."""
    world.programme.kind = Programme.Kind.REVERSE
    world.programme.save(update_fields=["kind"])
    Participant.objects.filter(pk=world.member.pk).update(seniority=2)
    Participant.objects.filter(pk=world.partner.pk).update(seniority=8)
    world.member.refresh_from_db()
    world.partner.refresh_from_db()
    return world


# --- recording, confirming, disputing --------------------------------------------------------
def test_either_side_records_and_only_the_other_side_confirms(world):
    a, b = world.member, world.partner
    received = record(world, by=a, giver=b, receiver=a)
    given = record(world, by=a, giver=a, receiver=b, kind=BenefitItem.Kind.FEEDBACK)
    assert received.status == given.status == BenefitItem.Status.PENDING
    with pytest.raises(PermissionDenied):
        benefit_item_confirm(item=received, by=a)  # the recorder cannot confirm
    benefit_item_confirm(item=received, by=b)  # the giver confirms what A says B did
    benefit_item_confirm(item=given, by=b)  # the receiver confirms what A says A gave
    received.refresh_from_db()
    assert received.status == BenefitItem.Status.CONFIRMED
    assert received.responded_at is not None
    with pytest.raises(ValidationError):
        benefit_item_confirm(item=received, by=b)  # already answered


def test_the_confirm_button_works_for_the_other_side_only(world):
    item = record(world, by=world.member, giver=world.partner, receiver=world.member)
    url = reverse("feedback:ledger_confirm", args=[item.pk])
    assert world.client_for("member").post(url).status_code == 403
    item.refresh_from_db()
    assert item.status == BenefitItem.Status.PENDING
    partner = client_of(world.partner)
    ledger_page = partner.get(reverse("feedback:ledger", args=[world.pair.pk])).content.decode()
    assert 'data-testid="confirm-item"' in ledger_page
    response = partner.post(url, {"next": "https://evil.example/"})
    assert response.headers["Location"] == reverse("feedback:ledger", args=[world.pair.pk])
    item.refresh_from_db()
    assert item.status == BenefitItem.Status.CONFIRMED


def test_disputed_items_need_a_reason_and_never_count(world):
    a, b = world.member, world.partner
    confirmed = record(world, by=a, giver=b, receiver=a)
    benefit_item_confirm(item=confirmed, by=b)
    disputed = record(world, by=a, giver=b, receiver=a, description="Promoted me")
    with pytest.raises(ValidationError):
        benefit_item_dispute(item=disputed, by=b, reason=" ")
    response = client_of(b).post(
        reverse("feedback:ledger_dispute", args=[disputed.pk]),
        {"reason": "I only mentioned you in passing"},
    )
    assert response.status_code == 302
    disputed.refresh_from_db()
    assert disputed.status == BenefitItem.Status.DISPUTED
    assert disputed.dispute_reason == "I only mentioned you in passing"
    record(world, by=a, giver=b, receiver=a, description="Still pending")
    summary = ledger_summary(pair=world.pair, me=a)
    assert summary.received_by(a) == 1  # confirmed only
    assert summary.awaiting_partner == 1
    assert ledger_summary(pair=world.pair, me=b).awaiting_me[0].description == "Still pending"
    # The recorder cannot dispute their own item either.
    mine = record(world, by=a, giver=a, receiver=b)
    assert client_of(a).get(reverse("feedback:ledger_dispute", args=[mine.pk])).status_code == 403


def test_items_are_only_between_the_two_sides_and_not_in_the_future(world):
    a, b = world.member, world.partner
    with pytest.raises(ValidationError):
        record(world, by=a, giver=world.other_member, receiver=a)
    with pytest.raises(ValidationError):
        record(world, by=a, giver=a, receiver=a)
    third = ParticipantFactory(cohort=world.cohort)
    PairMember.objects.create(pair=world.pair, participant=third, position=2)
    with pytest.raises(PermissionDenied):  # in a trio, nobody records for the other two
        record(world, by=third, giver=b, receiver=a)
    with pytest.raises(ValidationError):
        record(world, by=a, giver=b, receiver=a, occurred_on=TODAY() + dt.timedelta(days=2))


def test_recording_on_the_page_and_the_pair_page_highlights_what_awaits_me(world):
    response = world.client_for("member").post(
        reverse("feedback:ledger_record", args=[world.pair.pk]),
        {
            "direction": "received",
            "kind": "advocacy",
            "description": "Spoke up for me in the promotion panel",
            "occurred_on": TODAY().isoformat(),
        },
    )
    assert response.status_code == 302
    item = BenefitItem.objects.get(pair=world.pair)
    assert (item.giver, item.receiver, item.recorded_by) == (
        world.partner,
        world.member,
        world.member,
    )
    pair_url = reverse("feedback:pair_detail", args=[world.pair.pk])
    partner_page = client_of(world.partner).get(pair_url).content.decode()
    assert 'data-testid="awaiting-me"' in partner_page
    assert "Spoke up for me in the promotion panel" in partner_page
    member_page = world.client_for("member").get(pair_url).content.decode()
    assert 'data-testid="awaiting-me"' not in member_page
    assert "1 item you recorded awaits your partner" in member_page


# --- structured asks (reverse programmes) ----------------------------------------------------
def test_the_junior_side_is_the_lower_seniority_else_the_first_mentor(world):
    a, b = world.member, world.partner
    a.seniority, b.seniority = 7, 3
    assert junior_side(sides=[a, b], first_mentor_id=a.pk) == b
    a.seniority = b.seniority = 5
    assert junior_side(sides=[a, b], first_mentor_id=b.pk) == b  # reverse: junior mentors first
    a.seniority = None
    assert junior_side(sides=[a, b], first_mentor_id=a.pk) == a


def test_asks_belong_to_reverse_programmes(world):
    with pytest.raises(ValidationError):
        ask_create(
            pair=world.pair,
            by=world.member,
            sides=[world.member, world.partner],
            kind=Ask.Kind.HELP_ME,
        )
    url = reverse("feedback:ask_create", args=[world.pair.pk])
    assert world.client_for("member").get(url).status_code == 404


def test_a_fulfilled_ask_becomes_an_item_the_junior_side_confirms(reverse_world):
    w = reverse_world
    junior, senior = w.member, w.partner
    sides = [junior, senior]
    with pytest.raises(PermissionDenied):
        ask_create(pair=w.pair, by=senior, sides=sides, kind=Ask.Kind.HELP_ME)
    with pytest.raises(ValidationError):
        ask_create(pair=w.pair, by=junior, sides=sides, kind=Ask.Kind.INTRODUCE, detail="")
    ask = ask_create(
        pair=w.pair, by=junior, sides=sides, kind=Ask.Kind.INTRODUCE, detail="the head of data"
    )
    with pytest.raises(PermissionDenied):
        ask_answer(ask=ask, by=junior, fulfilled=True, answer="I will")
    response = client_of(senior).post(
        reverse("feedback:ask_answer", args=[ask.pk]),
        {"outcome": "fulfilled", "answer": "Introduced you by email on Monday"},
    )
    assert response.status_code == 302
    ask.refresh_from_db()
    assert ask.status == Ask.Status.FULFILLED
    item = BenefitItem.objects.get(ask=ask)
    assert item.kind == BenefitItem.Kind.ASK_FULFILLED
    assert (item.giver, item.receiver, item.status) == (senior, junior, BenefitItem.Status.PENDING)
    with pytest.raises(PermissionDenied):
        benefit_item_confirm(item=item, by=senior)
    benefit_item_confirm(item=item, by=junior)
    assert ledger_summary(pair=w.pair, me=junior).received_by(junior) == 1


def test_a_declined_ask_records_nothing(reverse_world):
    w = reverse_world
    ask = ask_create(
        pair=w.pair, by=w.member, sides=[w.member, w.partner], kind=Ask.Kind.ADVOCATE, detail="X"
    )
    ask_answer(ask=ask, by=w.partner, fulfilled=False, answer="Not the right forum")
    ask.refresh_from_db()
    assert ask.status == Ask.Status.DECLINED
    assert not BenefitItem.objects.exists()
    with pytest.raises(ValidationError):
        ask_answer(ask=ask, by=w.partner, fulfilled=True, answer="Changed my mind")


def test_the_pair_page_shows_the_four_questions_to_the_junior_side_only(reverse_world):
    w = reverse_world
    url = reverse("feedback:pair_detail", args=[w.pair.pk])
    junior_page = w.client_for("member").get(url).content.decode()
    senior_page = client_of(w.partner).get(url).content.decode()
    for kind in Ask.Kind:
        assert f"?kind={kind.value}" in junior_page
        assert f"?kind={kind.value}" not in senior_page
    ask_create(
        pair=w.pair,
        by=w.member,
        sides=[w.member, w.partner],
        kind=Ask.Kind.ADVOCATE,
        detail="the Q3 promotion panel",
    )
    senior_page = client_of(w.partner).get(url).content.decode()
    assert "Would you advocate for me in the Q3 promotion panel?" in senior_page
    assert reverse("feedback:ask_answer", args=[Ask.objects.get().pk]) in senior_page


# --- ending well -----------------------------------------------------------------------------
def test_the_pair_completes_when_both_sides_have_written_a_retrospective(world):
    a, b = world.member, world.partner
    upcoming = session_schedule(
        pair=world.pair, by=a, scheduled_start=timezone.now() + dt.timedelta(days=4)
    )
    with pytest.raises(ValidationError):
        pair_complete(pair=world.pair, by=a, retrospective="  ")
    assert pair_complete(pair=world.pair, by=a, retrospective="I learned to delegate.") is False
    world.pair.refresh_from_db()
    assert world.pair.status == Pair.Status.ACTIVE
    response = client_of(b).post(
        reverse("feedback:pair_complete", args=[world.pair.pk]),
        {"retrospective": "I learned how analysts think."},
    )
    assert response.status_code == 302
    world.pair.refresh_from_db()
    assert world.pair.status == Pair.Status.COMPLETED
    assert world.pair.ended_at is not None
    assert set(
        Participant.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)
    ) == {Participant.Status.COMPLETED}
    assert not PairMember.objects.filter(pair=world.pair, current=True).exists()
    upcoming.refresh_from_db()
    assert upcoming.status == MentoringSession.Status.CANCELLED
    assert PairRetrospective.objects.filter(pair=world.pair).count() == 2
    page = client_of(a).get(reverse("feedback:pair_complete", args=[world.pair.pk]))
    assert "I learned how analysts think." in page.content.decode()
    with pytest.raises(ValidationError):
        pair_complete(pair=world.pair, by=a, retrospective="Again")


def test_a_trio_completes_only_when_all_three_have_written(world):
    third = ParticipantFactory(cohort=world.cohort)
    PairMember.objects.create(pair=world.pair, participant=third, position=2)
    pair_complete(pair=world.pair, by=world.member, retrospective="One")
    assert pair_complete(pair=world.pair, by=world.partner, retrospective="Two") is False
    assert pair_complete(pair=world.pair, by=third, retrospective="Three") is True
