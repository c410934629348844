"""The standard cast for permission tests: two programmes, their staff, two pairs.

Every app's permission matrix uses these actors, in this order (STYLE.md's ladder):
anonymous → member of the pair → member of another pair → admin of another programme
→ admin of this programme → HR viewer of this programme → superuser.
"""

from dataclasses import dataclass

from django.test import Client

from mentoring.models import User
from pairing.models import Pair
from programmes.models import Cohort, Participant, Programme, ProgrammeRole

from .factories import (
    CohortFactory,
    ParticipantFactory,
    ProgrammeFactory,
    ProgrammeRoleFactory,
    UserFactory,
    make_pair,
)

ACTORS = (
    "anonymous",
    "member",
    "other_pair_member",
    "other_programme_admin",
    "admin",
    "hr",
    "superuser",
)


@dataclass
class World:
    programme: Programme
    cohort: Cohort
    other_programme: Programme
    admin: User
    hr: User
    other_programme_admin: User
    superuser: User
    member: Participant  # side A of ``pair``
    partner: Participant  # side B of ``pair``
    other_member: Participant  # side A of ``other_pair`` (same cohort)
    pair: Pair
    other_pair: Pair

    def user_for(self, actor: str) -> User | None:
        return {
            "anonymous": None,
            "member": self.member.user,
            "other_pair_member": self.other_member.user,
            "other_programme_admin": self.other_programme_admin,
            "admin": self.admin,
            "hr": self.hr,
            "superuser": self.superuser,
        }[actor]

    def client_for(self, actor: str) -> Client:
        client = Client()
        user = self.user_for(actor)
        if user is not None:
            client.force_login(user)
        return client


def build_world() -> World:
    admin = UserFactory(email="admin@world.example")
    programme = ProgrammeFactory(name="World programme", slug="world", created_by=admin)
    ProgrammeRoleFactory(programme=programme, user=admin, role=ProgrammeRole.Role.ADMIN)
    hr = UserFactory(email="hr@world.example")
    ProgrammeRoleFactory(programme=programme, user=hr, role=ProgrammeRole.Role.HR)
    cohort = CohortFactory(programme=programme, name="2026 intake")

    other_admin = UserFactory(email="other-admin@world.example")
    other_programme = ProgrammeFactory(name="Other programme", slug="other", created_by=other_admin)
    ProgrammeRoleFactory(programme=other_programme, user=other_admin, role=ProgrammeRole.Role.ADMIN)
    CohortFactory(programme=other_programme, name="Other intake")

    superuser = UserFactory(email="root@world.example", is_staff=True, is_superuser=True)

    member = ParticipantFactory(cohort=cohort, user=UserFactory(email="member@world.example"))
    partner = ParticipantFactory(
        cohort=cohort, user=UserFactory(email="partner@world.example"), department="Finance"
    )
    other_member = ParticipantFactory(cohort=cohort, user=UserFactory(email="other@world.example"))
    other_partner = ParticipantFactory(
        cohort=cohort, user=UserFactory(email="other-partner@world.example"), department="Sales"
    )
    pair = make_pair(member, partner)
    other_pair = make_pair(other_member, other_partner)
    return World(
        programme=programme,
        cohort=cohort,
        other_programme=other_programme,
        admin=admin,
        hr=hr,
        other_programme_admin=other_admin,
        superuser=superuser,
        member=member,
        partner=partner,
        other_member=other_member,
        pair=pair,
        other_pair=other_pair,
    )
