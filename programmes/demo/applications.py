"""Demo self-nomination: the main demo programme publishes a sign-up link, and three
colleagues have applied through it; their applications wait in admin@demo.example's queue.

Built through the services a colleague's sign-up takes (``application_submit``), with the
applicants' own demo accounts (they can sign in and see "waiting for a decision" on their
home page). Idempotent: an applicant who has applied already is left as they are, whatever
an admin decided meanwhile.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from mentoring.demo import DemoLogin, demo_user
from mentoring.models import User
from programmes.models import Application, NominationLink, Programme
from programmes.services.applications import application_submit, nomination_link_enable

PROGRAMME = "cross-gender-reciprocal"


@dataclass(frozen=True)
class DemoApplicant:
    email: str
    first_name: str
    last_name: str
    department: str
    job_title: str
    location: str
    time_zone: str
    seniority: int | None
    offers: tuple[str, ...]
    wants: tuple[str, ...]
    motivation: str
    days_ago: int


APPLICANTS = [
    DemoApplicant(
        "gabriela@demo.example",
        "Gabriela",
        "Rossi",
        "Marketing",
        "Brand Manager",
        "Milan",
        "Europe/Rome",
        5,
        ("Storytelling with data", "Public speaking"),
        ("Financial modelling", "Negotiation"),
        "I lead campaigns with budgets I did not build; I want a partner from finance who "
        "can teach me to defend them, and I can help with presenting to a room.",
        6,
    ),
    DemoApplicant(
        "hiro@demo.example",
        "Hiro",
        "Tanaka",
        "Engineering",
        "Engineering Manager",
        "Tokyo",
        "Asia/Tokyo",
        7,
        ("Cloud architecture", "People management"),
        ("Inclusive leadership", "Coaching"),
        "My team has doubled this year and I want to be a manager people of every "
        "background grow under; I can share what I learnt moving into management.",
        4,
    ),
    DemoApplicant(
        "ines@demo.example",
        "Inès",
        "Moreau",
        "Operations",
        "Operations Analyst",
        "Paris",
        "Europe/Paris",
        None,
        ("Data analysis",),
        ("Career planning", "Networking"),
        "I am two years into my first job and have no one senior to ask how careers here "
        "really work. I can teach spreadsheet automation in return.",
        1,
    ),
]


def seed() -> list[DemoLogin]:
    """The sign-up link and the pending applications; returns the applicants' logins."""
    programme = Programme.objects.filter(slug=PROGRAMME).first()
    if programme is None:
        return []
    admin = programme.roles.filter(role="admin").select_related("user").first()
    by: User = admin.user if admin else programme.created_by
    link = NominationLink.objects.filter(programme=programme, cohort=None).first()
    if link is None:
        link = nomination_link_enable(programme=programme, cohort=None, by=by)
    skills = {skill.name: skill for skill in programme.skills.all()}
    logins = []
    for person in APPLICANTS:
        user = demo_user(person.email, person.first_name, person.last_name, person.time_zone)
        logins.append(DemoLogin("applicant", person.email, f"applied to {programme.name}"))
        if Application.objects.filter(programme=programme, user=user).exists():
            continue
        application = application_submit(
            link=link,
            user=user,
            first_name=person.first_name,
            last_name=person.last_name,
            department=person.department,
            job_title=person.job_title,
            location=person.location,
            time_zone=person.time_zone,
            seniority=person.seniority,
            skills_offered=[skills[name] for name in person.offers],
            skills_wanted=[skills[name] for name in person.wants],
            motivation=person.motivation,
        )
        # Sent over the past week, so the queue reads oldest first.
        Application.objects.filter(pk=application.pk).update(
            created_at=timezone.now() - dt.timedelta(days=person.days_ago)
        )
    return logins
