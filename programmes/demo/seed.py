"""Seeding the demo programmes through the services the admins and participants use.

For each demo programme, as its admin would: create it (a draft), add its cohort and
vocabulary, grant the HR viewer, upload its people (``people.csv``) through the CSV
import, open enrolment; then, as each invitee would: accept the invitation, sign the
charter, fill the profile; finally the admin starts matching. The only shortcut is the
clock: the invitations count as emailed ten days ago and answered three days ago, so no
email goes out and the cohort table reads like a real intake.
"""

import datetime as dt

from allauth.account.models import EmailAddress
from django.utils import timezone

from mentoring.demo import HR_VIEWERS, PARTICIPANTS, demo_user
from mentoring.models import User
from programmes.models import Cohort, Invitation, Participant, Programme, ProgrammeRole, Skill
from programmes.services.cohorts import cohort_create
from programmes.services.imports import UNKNOWN_SKILL, import_apply, import_preview
from programmes.services.participants import (
    invitation_accept,
    participant_accept_charter,
    participant_update_profile,
)
from programmes.services.programmes import programme_create, programme_transition
from programmes.services.roles import role_grant

from .people import PEOPLE_CSV, DemoPerson, demo_people, import_text
from .programmes import DemoProgramme

Status = Programme.Status
# No email goes out (see ``_backdate_invitations``), so no link needs the site's address.
NO_LINKS = ""


def demo_programme_seed(spec: DemoProgramme, *, today: dt.date, password_hash: str) -> Programme:
    """Create ``spec``'s programme with its people (idempotent: what exists is left as is)."""
    admin = User.objects.get(email=spec.admin)
    programme = Programme.objects.filter(slug=spec.slug).first()
    created = programme is None
    if created:
        # Started six weeks ago: the pairing and feedback demos add sessions already held.
        starts = today - dt.timedelta(days=42)
        programme = programme_create(
            by=admin,
            name=spec.name,
            slug=spec.slug,
            description=spec.description,
            kind=spec.kind,
            alternation=spec.alternation,
            starts_on=starts,
            ends_on=starts + dt.timedelta(days=270),
            **spec.settings,
        )
    _roles(programme, admin)
    cohort = Cohort.objects.filter(programme=programme, name=spec.cohort).first() or cohort_create(
        programme=programme,
        by=admin,
        name=spec.cohort,
        starts_on=programme.starts_on,
        ends_on=programme.ends_on,
    )
    for name in spec.skills:
        Skill.objects.get_or_create(programme=programme, name=name)
    people = demo_people(programme=spec.slug)
    accounts = {p.email: _account(p, password_hash) for p in people if p.enrolled}
    imported = _import(cohort, people, by=admin)
    _backdate_invitations(cohort, imported, sent=timezone.now() - dt.timedelta(days=10))
    if created:
        programme_transition(
            programme=programme, target=Status.ENROLLING, by=admin, base_url=NO_LINKS
        )
    joined = _join(cohort, [p for p in people if p.enrolled], accounts)
    _backdate_answers(cohort, joined, answered=timezone.now() - dt.timedelta(days=3))
    if created:
        # Left in "matching": the pairing demo runs the engine, publishes and starts it.
        programme_transition(
            programme=programme, target=Status.MATCHING, by=admin, base_url=NO_LINKS
        )
    return programme


def _roles(programme: Programme, admin: User) -> None:
    wanted = [(admin.email, ProgrammeRole.Role.ADMIN)]
    wanted += [(email, ProgrammeRole.Role.HR) for email, *_ in HR_VIEWERS]
    for email, role in wanted:
        if not ProgrammeRole.objects.filter(
            programme=programme, user__email=email, role=role
        ).exists():
            role_grant(programme=programme, by=admin, email=email, role=role)


def _account(person: DemoPerson, password_hash: str) -> User:
    """The person's demo account (one shared password hash: seeding stays fast)."""
    named = next((row for row in PARTICIPANTS if row[0] == person.email), None)
    if named is not None:
        # mentoring.demo created it already; demo_user only when run on its own.
        return User.objects.filter(email=person.email).first() or demo_user(*named)
    user, created = User.objects.get_or_create(
        email=person.email,
        defaults={
            "first_name": person.cells["first_name"],
            "last_name": person.cells["last_name"],
            "time_zone": person.cells["time_zone"],
            "password": password_hash,
        },
    )
    if created:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _import(cohort: Cohort, people: list[DemoPerson], *, by: User) -> list[str]:
    """Upload the people not in the cohort yet, as the admin would; returns their emails."""
    present = {e.lower() for e in cohort.participants.values_list("email", flat=True)}
    missing = [p for p in people if p.email not in present]
    if not missing:
        return []
    text = import_text(missing)
    # Clean means no error and no unknown skill: an import would leave a skill outside the
    # vocabulary out of the person's skills, and in the demo file it is a typo.
    preview = import_preview(cohort=cohort, text=text)
    problems = "; ".join(
        f"{row.cells['email']}: {problem.message}"
        for row in preview.rows
        for problem in row.problems
        if problem.blocking or problem.code == UNKNOWN_SKILL
    )
    if problems:
        raise ValueError(f"{PEOPLE_CSV} does not import cleanly: {problems}")
    import_apply(
        cohort=cohort,
        text=text,
        add_unknown_skills=False,
        by=by,
        base_url=NO_LINKS,
        file_name=PEOPLE_CSV.name,
    )
    return [p.email for p in missing]


def _join(cohort: Cohort, people: list[DemoPerson], accounts: dict[str, User]) -> list[str]:
    """Each person who has not answered yet accepts, signs and fills the profile."""
    waiting = {
        p.email: p
        for p in cohort.participants.filter(
            user__isnull=True, status=Participant.Status.INVITED
        ).select_related("invitation")
    }
    joined = []
    for person in people:
        participant = waiting.get(person.email)
        if participant is None:
            continue
        participant = invitation_accept(
            invitation=participant.invitation, user=accounts[person.email]
        )
        participant_accept_charter(participant=participant)
        participant_update_profile(
            participant=participant,
            skills_offered=list(participant.skills_offered.all()),
            skills_wanted=list(participant.skills_wanted.all()),
            goals=person.goals,
            time_zone=participant.time_zone,
            demographics_consent=bool(person.gender),
            gender=person.gender,
            birth_year=person.birth_year,
        )
        joined.append(person.email)
    return joined


def _backdate_invitations(cohort: Cohort, emails: list[str], *, sent: dt.datetime) -> None:
    # Counted as emailed: opening enrolment then sends nothing (demo addresses are fake).
    Invitation.objects.filter(cohort=cohort, email__in=emails, sent_at__isnull=True).update(
        sent_at=sent
    )


def _backdate_answers(cohort: Cohort, emails: list[str], *, answered: dt.datetime) -> None:
    Invitation.objects.filter(cohort=cohort, email__in=emails).update(accepted_at=answered)
    Participant.objects.filter(cohort=cohort, email__in=emails).update(charter_accepted_at=answered)
