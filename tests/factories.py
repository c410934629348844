"""factory_boy factories shared by every app's tests."""

import datetime as dt

import factory
from django.utils import timezone

from mentoring.models import User
from pairing.models import MentoringSession, Pair, PairMember
from programmes.models import Cohort, Participant, Programme, ProgrammeRole, Skill


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("pw-Secret-123")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    kind = Programme.Kind.RECIPROCAL
    alternation = Programme.Alternation.ALTERNATE
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=300))
    status = Programme.Status.RUNNING
    created_by = factory.SubFactory(UserFactory)


class ProgrammeRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeRole

    programme = factory.SubFactory(ProgrammeFactory)
    user = factory.SubFactory(UserFactory)
    role = ProgrammeRole.Role.ADMIN


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    starts_on = factory.SelfAttribute("programme.starts_on")
    ends_on = factory.SelfAttribute("programme.ends_on")


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Skill {n}")


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    cohort = factory.SubFactory(CohortFactory)
    user = factory.SubFactory(UserFactory)
    email = factory.SelfAttribute("user.email")
    first_name = factory.SelfAttribute("user.first_name")
    last_name = factory.SelfAttribute("user.last_name")
    department = "Engineering"
    location = "London"
    seniority = 5
    status = Participant.Status.ENROLLED
    charter_accepted_at = factory.LazyFunction(timezone.now)


def make_pair(*participants: Participant, status: str = Pair.Status.ACTIVE, **fields) -> Pair:
    """A pair (or trio) of ``participants`` in their cohort; side A is the first."""
    pair = Pair.objects.create(
        cohort=participants[0].cohort,
        status=status,
        first_mentor=fields.pop("first_mentor", participants[0]),
        published_at=fields.pop("published_at", timezone.now()),
        **fields,
    )
    current = status in (Pair.Status.PROPOSED, *Pair.LIVE_STATUSES)
    for position, participant in enumerate(participants):
        PairMember.objects.create(
            pair=pair, participant=participant, position=position, current=current
        )
    if status in Pair.LIVE_STATUSES:
        Participant.objects.filter(pk__in=[p.pk for p in participants]).update(
            status=Participant.Status.PAIRED
        )
    return pair


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentoringSession

    pair = None
    scheduled_start = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=3))
    planned_minutes = 60
