"""A world with something behind every id: sessions, goals, asks and ledger items in both
pairs, and a second programme with its own pair, so that every URL with an id can be
tried with another pair's and another programme's objects."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from feedback.models import Ask, BenefitItem, Goal
from pairing.models import MentoringSession, Pair
from programmes.models import Cohort, Participant, Programme, ProgrammeRole
from tests.factories import (
    CohortFactory,
    ParticipantFactory,
    ProgrammeRoleFactory,
    SessionFactory,
    UserFactory,
    make_pair,
)
from tests.world import World, build_world


@dataclass
class PairObjects:
    pair: Pair
    session: MentoringSession
    held_session: MentoringSession
    goal: Goal
    ask: Ask
    item: BenefitItem
    member: Participant
    partner: Participant

    def values(self) -> dict[str, object]:
        return {
            "pair_id": self.pair.pk,
            "session_id": self.held_session.pk,
            "goal_id": self.goal.pk,
            "ask_id": self.ask.pk,
            "item_id": self.item.pk,
            "participant_id": self.member.pk,
            "cohort_id": self.pair.cohort_id,
        }


def pair_objects(pair: Pair, member: Participant, partner: Participant) -> PairObjects:
    now = timezone.now()
    held = SessionFactory(
        pair=pair,
        scheduled_start=now - dt.timedelta(days=2),
        status=MentoringSession.Status.HELD,
        actual_minutes=60,
        logged_at=now - dt.timedelta(days=2),
    )
    return PairObjects(
        pair=pair,
        session=SessionFactory(pair=pair),
        held_session=held,
        goal=Goal.objects.create(pair=pair, owner=member, title="A goal"),
        ask=Ask.objects.create(pair=pair, asked_by=partner, kind=Ask.Kind.choices[0][0]),
        item=BenefitItem.objects.create(
            pair=pair,
            giver=partner,
            receiver=member,
            recorded_by=partner,
            kind=BenefitItem.Kind.choices[0][0],
            description="An item",
            occurred_on=timezone.localdate(),
        ),
        member=member,
        partner=partner,
    )


@dataclass
class HostileWorld:
    world: World
    mine: PairObjects  # the member's own pair (world.pair)
    other_pair: PairObjects  # another pair of the same cohort
    other_programme: PairObjects  # a pair of the other programme
    other_cohort: Cohort
    other_role: ProgrammeRole
    programme: Programme

    def own_values(self) -> dict[str, object]:
        return {**self.mine.values(), "slug": self.programme.slug}

    def other_pair_values(self) -> dict[str, object]:
        return {**self.other_pair.values(), "slug": self.world.other_programme.slug}

    def other_programme_values(self) -> dict[str, object]:
        return {
            **self.other_programme.values(),
            "cohort_id": self.other_cohort.pk,
            "role_id": self.other_role.pk,
            "slug": self.world.other_programme.slug,
        }


@pytest.fixture
def hostile_world(db) -> HostileWorld:
    world = build_world()
    other_cohort = world.other_programme.cohorts.first() or CohortFactory(
        programme=world.other_programme
    )
    a = ParticipantFactory(cohort=other_cohort, user=UserFactory(email="oa@hostile.example"))
    b = ParticipantFactory(cohort=other_cohort, user=UserFactory(email="ob@hostile.example"))
    far_pair = make_pair(a, b)
    other_partner = world.other_pair.members.exclude(participant=world.other_member).first()
    return HostileWorld(
        world=world,
        mine=pair_objects(world.pair, world.member, world.partner),
        other_pair=pair_objects(world.other_pair, world.other_member, other_partner.participant),
        other_programme=pair_objects(far_pair, a, b),
        other_cohort=other_cohort,
        other_role=ProgrammeRoleFactory(
            programme=world.other_programme,
            user=UserFactory(email="orole@hostile.example"),
            role=ProgrammeRole.Role.HR,
        ),
        programme=world.programme,
    )
