"""Reflections: each side rates and writes right after a held session; text shared on request."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.models import Reflection
from feedback.services.reflections import reflection_save
from pairing.models import MentoringSession, SessionRole
from pairing.services.sessions import session_log, session_schedule

pytestmark = pytest.mark.django_db

RATINGS = {"learned": 4, "challenged": 3, "listened": 5, "power_shared": 2}


@pytest.fixture
def held(world):
    session = session_schedule(
        pair=world.pair,
        by=world.member,
        scheduled_start=timezone.now() - dt.timedelta(hours=3),
        now=timezone.now() - dt.timedelta(days=1),
    )
    session_log(
        session=session,
        by=world.member,
        status=MentoringSession.Status.HELD,
        actual_minutes=60,
        roles={world.member.pk: SessionRole.MENTOR, world.partner.pk: SessionRole.MENTEE},
    )
    return session


def partner_client(world) -> Client:
    client = Client()
    client.force_login(world.partner.user)
    return client


def test_the_reflection_page_saves_ratings_and_texts(world, held):
    response = world.client_for("member").post(
        reverse("feedback:reflection", args=[held.pk]),
        {**RATINGS, "learned_text": "How budgets are set", "change_text": "Ask sooner"},
    )
    assert response.status_code == 302
    reflection = Reflection.objects.get(session=held, author=world.member)
    assert (reflection.learned, reflection.power_shared) == (4, 2)
    assert reflection.learned_text == "How budgets are set"
    assert reflection.share_with_partner is False


def test_missing_or_out_of_range_ratings_are_shown_next_to_the_field(world, held):
    response = world.client_for("member").post(
        reverse("feedback:reflection", args=[held.pk]), {**RATINGS, "learned": "9", "listened": ""}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert "This field is required" in page
    assert not Reflection.objects.exists()
    with pytest.raises(ValidationError):
        reflection_save(session=held, author=world.member, **{**RATINGS, "challenged": 0})


def test_reflecting_again_updates_the_same_reflection(world, held):
    reflection_save(session=held, author=world.member, **RATINGS)
    reflection_save(session=held, author=world.member, **{**RATINGS, "learned": 1})
    assert Reflection.objects.get(session=held, author=world.member).learned == 1
    page = world.client_for("member").get(reverse("feedback:reflection", args=[held.pk]))
    assert "Edit your reflection" in page.content.decode()


def test_only_held_sessions_can_be_reflected_on(world):
    session = session_schedule(
        pair=world.pair, by=world.member, scheduled_start=timezone.now() + dt.timedelta(days=1)
    )
    response = world.client_for("member").get(reverse("feedback:reflection", args=[session.pk]))
    assert response.status_code == 302
    with pytest.raises(ValidationError):
        reflection_save(session=session, author=world.member, **RATINGS)


def test_the_partner_sees_the_text_only_when_shared(world, held):
    reflection_save(
        session=held,
        author=world.member,
        **RATINGS,
        learned_text="REFLECTION-TEXT-1",
        change_text="REFLECTION-TEXT-2",
    )
    url = reverse("feedback:session_detail", args=[held.pk])
    page = partner_client(world).get(url).content.decode()
    assert "REFLECTION-TEXT-1" not in page
    reflection_save(
        session=held,
        author=world.member,
        **RATINGS,
        learned_text="REFLECTION-TEXT-1",
        change_text="REFLECTION-TEXT-2",
        share_with_partner=True,
    )
    page = partner_client(world).get(url).content.decode()
    assert "REFLECTION-TEXT-1" in page and "REFLECTION-TEXT-2" in page


def test_the_pair_page_reminds_me_to_reflect_until_i_have(world, held):
    url = reverse("feedback:pair_detail", args=[world.pair.pk])
    client = world.client_for("member")
    assert 'data-testid="reflect-reminder"' in client.get(url).content.decode()
    reflection_save(session=held, author=world.member, **RATINGS)
    assert 'data-testid="reflect-reminder"' not in client.get(url).content.decode()


def test_reflecting_again_starts_from_the_saved_reflection(world, held):
    reflection_save(
        session=held,
        author=world.member,
        **RATINGS,
        learned_text="How budgets are set",
        change_text="Ask sooner",
        share_with_partner=True,
    )
    response = world.client_for("member").get(reverse("feedback:reflection", args=[held.pk]))
    form = response.context["form"]
    assert {name: form[name].value() for name in RATINGS} == RATINGS
    assert form["learned_text"].value() == "How budgets are set"
    assert form["change_text"].value() == "Ask sooner"
    assert form["share_with_partner"].value() is True
