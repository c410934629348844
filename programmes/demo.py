"""Demo programmes: two programmes, one cohort each, 44 enrolled participants (and two
invitees who have not answered yet).

"Cross-gender reciprocal mentoring" (reciprocal, alternate; admin@demo.example) has Ana,
Ben and Chloe; "Reverse mentoring for leaders" (reverse, split; admin2@demo.example) has
Dev, Emma and Farid. hr@demo.example is HR viewer of both. Both programmes are left in
"matching" so the pairing demo can pair and start them.

Idempotent: rows are looked up by their natural keys and never changed once created (a
later seeder may have moved a programme on).
"""

import datetime as dt
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from mentoring.demo import (
    DEMO_PASSWORD,
    HR_VIEWERS,
    PARTICIPANTS,
    PROGRAMME_ADMINS,
    DemoLogin,
    demo_user,
)
from mentoring.models import User

from .models import AuditEvent, Cohort, Invitation, Participant, Programme, ProgrammeRole, Skill

LOCATIONS = {
    "London": "Europe/London",
    "Lisbon": "Europe/Lisbon",
    "Paris": "Europe/Paris",
    "Berlin": "Europe/Berlin",
    "Stockholm": "Europe/Stockholm",
    "New York": "America/New_York",
    "Los Angeles": "America/Los_Angeles",
    "Bangalore": "Asia/Kolkata",
    "Dubai": "Asia/Dubai",
}

RECIPROCAL_SKILLS = [
    "Public speaking",
    "Negotiation",
    "Stakeholder management",
    "Python",
    "Data analysis",
    "Financial modelling",
    "Product discovery",
    "UX research",
    "People management",
    "Coaching",
    "Strategic planning",
    "Budgeting",
    "Sales pipeline management",
    "Storytelling with data",
    "Conflict resolution",
    "Career planning",
    "Cloud architecture",
    "Inclusive leadership",
    "Networking",
    "Time management",
]
REVERSE_SKILLS = [
    "Generative AI tools",
    "Social media",
    "Short-form video",
    "Remote collaboration tools",
    "Gen Z expectations at work",
    "Inclusive language",
    "Data literacy",
    "Cybersecurity hygiene",
    "Agile ways of working",
    "No-code automation",
    "Board communication",
    "Strategic planning",
    "Executive presence",
    "Sponsorship",
    "Navigating organisational politics",
    "Budget ownership",
    "Crisis leadership",
    "Negotiation",
    "Hiring and talent",
    "Long-term career strategy",
]


@dataclass(frozen=True)
class Person:
    email: str
    first_name: str
    last_name: str
    department: str
    location: str
    job_title: str
    seniority: int
    manager: str = ""  # email of the manager, when in the cohort or not
    gender: str = ""  # "" = did not consent to share demographics
    birth_year: int | None = None
    offers: tuple[str, ...] = ()
    wants: tuple[str, ...] = ()
    goals: str = ""


def _named(email: str) -> tuple[str, str, str]:
    row = next(r for r in PARTICIPANTS if r[0] == email)
    return row[0], row[1], row[2]


# --- programme 1: cross-gender reciprocal mentoring --------------------------------------
RECIPROCAL_PEOPLE = [
    Person(
        *_named("ana@demo.example"),
        "Engineering",
        "Lisbon",
        "Senior Software Engineer",
        6,
        manager="rui.costa@demo.example",
        gender="Woman",
        birth_year=1991,
        offers=("Python", "Cloud architecture"),
        wants=("Public speaking", "Negotiation"),
        goals="Present our platform roadmap at the all-hands with confidence.\n"
        "Negotiate scope with product instead of absorbing it.",
    ),
    Person(
        *_named("ben@demo.example"),
        "Sales",
        "Los Angeles",
        "Regional Sales Director",
        8,
        gender="Man",
        birth_year=1979,
        offers=("Negotiation", "Public speaking", "Networking"),
        wants=("Data analysis", "Inclusive leadership"),
        goals="Lead a more diverse team and understand what stops women on my team "
        "from going for promotion.",
    ),
    Person(
        *_named("chloe@demo.example"),
        "Finance",
        "Paris",
        "Financial Controller",
        7,
        gender="Woman",
        birth_year=1986,
        offers=("Financial modelling", "Budgeting"),
        wants=("People management", "Coaching"),
        goals="Prepare for my first people-manager role.",
    ),
    Person(
        "rui.costa@demo.example",
        "Rui",
        "Costa",
        "Engineering",
        "Lisbon",
        "Engineering Manager",
        8,
        gender="Man",
        birth_year=1982,
        offers=("People management", "Cloud architecture"),
        wants=("Storytelling with data",),
    ),
    Person(
        "grace.owusu@demo.example",
        "Grace",
        "Owusu",
        "Engineering",
        "London",
        "VP Engineering",
        10,
        gender="Woman",
        birth_year=1975,
        offers=("Strategic planning", "Inclusive leadership", "People management"),
        wants=("Python", "Product discovery"),
    ),
    Person(
        "tom.becker@demo.example",
        "Tom",
        "Becker",
        "Engineering",
        "Berlin",
        "Software Engineer",
        3,
        manager="rui.costa@demo.example",
        gender="Man",
        birth_year=1998,
        offers=("Python",),
        wants=("Stakeholder management", "Networking"),
    ),
    Person(
        "lina.ahmed@demo.example",
        "Lina",
        "Ahmed",
        "Data",
        "London",
        "Data Scientist",
        4,
        manager="grace.owusu@demo.example",
        gender="Woman",
        birth_year=1996,
        offers=("Data analysis", "Python", "Storytelling with data"),
        wants=("Negotiation", "Career planning"),
    ),
    Person(
        "marco.rossi@demo.example",
        "Marco",
        "Rossi",
        "Sales",
        "Paris",
        "Account Executive",
        4,
        manager="ben@demo.example",
        gender="Man",
        birth_year=1994,
        offers=("Sales pipeline management",),
        wants=("Financial modelling", "Coaching"),
    ),
    Person(
        "sofia.lind@demo.example",
        "Sofia",
        "Lind",
        "Sales",
        "Stockholm",
        "Head of Sales Operations",
        7,
        gender="Woman",
        birth_year=1984,
        offers=("Sales pipeline management", "Data analysis"),
        wants=("Stakeholder management", "Public speaking"),
    ),
    Person(
        "james.wright@demo.example",
        "James",
        "Wright",
        "Finance",
        "London",
        "CFO",
        10,
        gender="Man",
        birth_year=1970,
        offers=("Financial modelling", "Strategic planning", "Budgeting"),
        wants=("Inclusive leadership", "UX research"),
    ),
    Person(
        "nadia.benali@demo.example",
        "Nadia",
        "Benali",
        "Finance",
        "Paris",
        "Financial Analyst",
        2,
        manager="chloe@demo.example",
        gender="Woman",
        birth_year=2000,
        offers=("Data analysis",),
        wants=("Budgeting", "Networking"),
    ),
    Person(
        "oliver.smith@demo.example",
        "Oliver",
        "Smith",
        "Product",
        "London",
        "Senior Product Manager",
        6,
        gender="Man",
        birth_year=1988,
        offers=("Product discovery", "Stakeholder management"),
        wants=("Coaching", "Conflict resolution"),
    ),
    Person(
        "aisha.khan@demo.example",
        "Aisha",
        "Khan",
        "Product",
        "Dubai",
        "Product Designer",
        4,
        manager="oliver.smith@demo.example",
        gender="Woman",
        birth_year=1995,
        offers=("UX research", "Product discovery"),
        wants=("Strategic planning",),
    ),
    Person(
        "lukas.meyer@demo.example",
        "Lukas",
        "Meyer",
        "Operations",
        "Berlin",
        "Operations Director",
        9,
        gender="Man",
        birth_year=1976,
        offers=("Conflict resolution", "Time management", "Budgeting"),
        wants=("Data analysis", "Inclusive leadership"),
    ),
    Person(
        "priya.shah@demo.example",
        "Priya",
        "Shah",
        "Operations",
        "Bangalore",
        "Operations Analyst",
        3,
        manager="lukas.meyer@demo.example",
        gender="Woman",
        birth_year=1997,
        offers=("Data analysis", "Time management"),
        wants=("People management", "Public speaking"),
    ),
    Person(
        "daniel.kim@demo.example",
        "Daniel",
        "Kim",
        "Engineering",
        "New York",
        "Staff Engineer",
        7,
        manager="grace.owusu@demo.example",
        gender="Man",
        birth_year=1985,
        offers=("Cloud architecture", "Coaching"),
        wants=("Inclusive leadership", "Networking"),
    ),
    Person(
        "hannah.fischer@demo.example",
        "Hannah",
        "Fischer",
        "People & Culture",
        "Berlin",
        "HR Business Partner",
        6,
        gender="Woman",
        birth_year=1987,
        offers=("Coaching", "Conflict resolution", "Career planning"),
        wants=("Data analysis", "Financial modelling"),
    ),
    Person(
        "samuel.adeyemi@demo.example",
        "Samuel",
        "Adeyemi",
        "People & Culture",
        "London",
        "Talent Acquisition Lead",
        5,
        manager="hannah.fischer@demo.example",
        offers=("Networking", "Career planning"),
        wants=("Strategic planning",),
    ),
    Person(
        "elena.popescu@demo.example",
        "Elena",
        "Popescu",
        "Marketing",
        "Lisbon",
        "Marketing Manager",
        6,
        gender="Woman",
        birth_year=1989,
        offers=("Storytelling with data", "Public speaking"),
        wants=("Budgeting", "Stakeholder management"),
    ),
    Person(
        "noah.garcia@demo.example",
        "Noah",
        "Garcia",
        "Marketing",
        "New York",
        "Content Specialist",
        2,
        manager="elena.popescu@demo.example",
        gender="Man",
        birth_year=2001,
        offers=("Storytelling with data",),
        wants=("Career planning", "Negotiation"),
    ),
    Person(
        "yuki.tanaka@demo.example",
        "Yuki",
        "Tanaka",
        "Legal",
        "London",
        "Senior Counsel",
        8,
        gender="Non-binary",
        birth_year=1983,
        offers=("Negotiation", "Conflict resolution"),
        wants=("Python", "Data analysis"),
    ),
    Person(
        "fatima.diallo@demo.example",
        "Fatima",
        "Diallo",
        "Customer Success",
        "Paris",
        "Customer Success Manager",
        4,
        gender="Woman",
        birth_year=1993,
        offers=("Stakeholder management", "Conflict resolution"),
        wants=("Sales pipeline management", "Strategic planning"),
    ),
    Person(
        "arjun.rao@demo.example",
        "Arjun",
        "Rao",
        "Data",
        "Bangalore",
        "Head of Data",
        9,
        gender="Man",
        birth_year=1980,
        offers=("Data analysis", "Storytelling with data", "People management"),
        wants=("Public speaking", "Inclusive leadership"),
    ),
    Person(
        "clara.nilsson@demo.example",
        "Clara",
        "Nilsson",
        "Customer Success",
        "Stockholm",
        "Support Engineer",
        2,
        manager="fatima.diallo@demo.example",
        offers=("Time management",),
        wants=("Cloud architecture", "Career planning"),
    ),
]
# Invited, not answered yet (no account): the cohort table shows what is pending.
RECIPROCAL_INVITEES = [
    Person("kofi.mensah@demo.example", "Kofi", "Mensah", "Sales", "London", "Sales Manager", 6),
    Person(
        "ines.moreau@demo.example",
        "Inès",
        "Moreau",
        "Legal",
        "Paris",
        "Paralegal",
        2,
        manager="yuki.tanaka@demo.example",
    ),
]

# --- programme 2: reverse mentoring for leaders -------------------------------------------
REVERSE_PEOPLE = [
    Person(
        *_named("dev@demo.example"),
        "Data",
        "Bangalore",
        "Junior Data Analyst",
        2,
        manager="arvind.menon@demo.example",
        gender="Man",
        birth_year=2001,
        offers=("Generative AI tools", "Data literacy", "No-code automation"),
        wants=("Executive presence", "Long-term career strategy"),
        goals="Understand how decisions are made at the top, and get visibility for my "
        "automation work.",
    ),
    Person(
        *_named("emma@demo.example"),
        "Operations",
        "Stockholm",
        "VP Operations",
        9,
        gender="Woman",
        birth_year=1972,
        offers=("Sponsorship", "Budget ownership", "Crisis leadership"),
        wants=("Generative AI tools", "Remote collaboration tools"),
        goals="Use AI tools myself rather than through my team; sponsor two juniors.",
    ),
    Person(
        *_named("farid@demo.example"),
        "Marketing",
        "Dubai",
        "Social Media Coordinator",
        2,
        manager="sarah.oconnor@demo.example",
        gender="Man",
        birth_year=2002,
        offers=("Social media", "Short-form video", "Gen Z expectations at work"),
        wants=("Navigating organisational politics", "Negotiation"),
        goals="Learn how to pitch ideas to senior leaders.",
    ),
    Person(
        "arvind.menon@demo.example",
        "Arvind",
        "Menon",
        "Data",
        "Bangalore",
        "Director of Analytics",
        8,
        gender="Man",
        birth_year=1978,
        offers=("Board communication", "Hiring and talent"),
        wants=("Generative AI tools", "Inclusive language"),
    ),
    Person(
        "sarah.oconnor@demo.example",
        "Sarah",
        "O'Connor",
        "Marketing",
        "London",
        "CMO",
        10,
        gender="Woman",
        birth_year=1971,
        offers=("Executive presence", "Board communication", "Sponsorship"),
        wants=("Short-form video", "Gen Z expectations at work"),
    ),
    Person(
        "michael.brown@demo.example",
        "Michael",
        "Brown",
        "Finance",
        "New York",
        "CEO",
        10,
        gender="Man",
        birth_year=1965,
        offers=("Strategic planning", "Crisis leadership", "Sponsorship"),
        wants=("Generative AI tools", "Cybersecurity hygiene", "Inclusive language"),
    ),
    Person(
        "ingrid.olsen@demo.example",
        "Ingrid",
        "Olsen",
        "People & Culture",
        "Stockholm",
        "Chief People Officer",
        10,
        gender="Woman",
        birth_year=1969,
        offers=("Hiring and talent", "Navigating organisational politics"),
        wants=("Gen Z expectations at work", "Remote collaboration tools"),
    ),
    Person(
        "robert.hughes@demo.example",
        "Robert",
        "Hughes",
        "Engineering",
        "London",
        "CTO",
        10,
        gender="Man",
        birth_year=1968,
        offers=("Strategic planning", "Budget ownership", "Long-term career strategy"),
        wants=("Social media", "Inclusive language"),
    ),
    Person(
        "claire.martin@demo.example",
        "Claire",
        "Martin",
        "Legal",
        "Paris",
        "General Counsel",
        9,
        gender="Woman",
        birth_year=1974,
        offers=("Negotiation", "Navigating organisational politics"),
        wants=("No-code automation", "Data literacy"),
    ),
    Person(
        "hiroshi.sato@demo.example",
        "Hiroshi",
        "Sato",
        "Product",
        "New York",
        "VP Product",
        9,
        gender="Man",
        birth_year=1977,
        offers=("Executive presence", "Strategic planning"),
        wants=("Short-form video", "Agile ways of working"),
    ),
    Person(
        "olivia.jones@demo.example",
        "Olivia",
        "Jones",
        "Customer Success",
        "London",
        "VP Customer Success",
        8,
        offers=("Crisis leadership", "Negotiation"),
        wants=("Generative AI tools", "Social media"),
    ),
    Person(
        "zoe.martins@demo.example",
        "Zoe",
        "Martins",
        "Engineering",
        "Lisbon",
        "Graduate Software Engineer",
        1,
        manager="robert.hughes@demo.example",
        gender="Woman",
        birth_year=2003,
        offers=("Cybersecurity hygiene", "Agile ways of working", "Generative AI tools"),
        wants=("Long-term career strategy", "Executive presence"),
    ),
    Person(
        "kwame.asante@demo.example",
        "Kwame",
        "Asante",
        "Finance",
        "London",
        "Finance Graduate",
        1,
        gender="Man",
        birth_year=2002,
        offers=("No-code automation", "Data literacy"),
        wants=("Budget ownership", "Board communication"),
    ),
    Person(
        "mia.schulz@demo.example",
        "Mia",
        "Schulz",
        "People & Culture",
        "Berlin",
        "Recruitment Coordinator",
        2,
        manager="ingrid.olsen@demo.example",
        gender="Woman",
        birth_year=2000,
        offers=("Gen Z expectations at work", "Inclusive language"),
        wants=("Hiring and talent", "Sponsorship"),
    ),
    Person(
        "lucas.pereira@demo.example",
        "Lucas",
        "Pereira",
        "Product",
        "Lisbon",
        "Associate Product Manager",
        2,
        manager="hiroshi.sato@demo.example",
        gender="Man",
        birth_year=2001,
        offers=("Agile ways of working", "Short-form video"),
        wants=("Strategic planning", "Executive presence"),
    ),
    Person(
        "amara.okafor@demo.example",
        "Amara",
        "Okafor",
        "Customer Success",
        "London",
        "Customer Support Associate",
        1,
        manager="olivia.jones@demo.example",
        gender="Woman",
        birth_year=2003,
        offers=("Social media", "Remote collaboration tools"),
        wants=("Crisis leadership", "Negotiation"),
    ),
    Person(
        "sven.larsson@demo.example",
        "Sven",
        "Larsson",
        "Operations",
        "Stockholm",
        "Logistics Coordinator",
        3,
        gender="Man",
        birth_year=1999,
        offers=("Remote collaboration tools", "No-code automation"),
        wants=("Budget ownership", "Navigating organisational politics"),
    ),
    Person(
        "leila.haddad@demo.example",
        "Leila",
        "Haddad",
        "Legal",
        "Dubai",
        "Legal Trainee",
        1,
        manager="claire.martin@demo.example",
        offers=("Inclusive language", "Generative AI tools"),
        wants=("Negotiation", "Long-term career strategy"),
    ),
    Person(
        "ravi.kumar@demo.example",
        "Ravi",
        "Kumar",
        "Engineering",
        "Bangalore",
        "Security Analyst",
        3,
        gender="Man",
        birth_year=1998,
        offers=("Cybersecurity hygiene", "Data literacy"),
        wants=("Board communication", "Sponsorship"),
    ),
    Person(
        "julia.weber@demo.example",
        "Julia",
        "Weber",
        "Marketing",
        "Berlin",
        "Marketing Assistant",
        1,
        gender="Woman",
        birth_year=2004,
        offers=("Short-form video", "Social media", "Gen Z expectations at work"),
        wants=("Executive presence", "Hiring and talent"),
    ),
]


@dataclass(frozen=True)
class DemoProgramme:
    name: str
    slug: str
    description: str
    kind: str
    alternation: str
    admin: str
    cohort: str
    skills: list[str]
    people: list[Person]
    invitees: list[Person]
    settings: dict


PROGRAMMES = [
    DemoProgramme(
        name="Cross-gender reciprocal mentoring",
        slug="cross-gender-reciprocal",
        description="Women and men across the company mentor each other in turn: career "
        "moves and sponsorship one way, inclusive leadership and fresh perspectives the other.",
        kind=Programme.Kind.RECIPROCAL,
        alternation=Programme.Alternation.ALTERNATE,
        admin=PROGRAMME_ADMINS[0][0],
        cohort="2026 spring intake",
        skills=RECIPROCAL_SKILLS,
        people=RECIPROCAL_PEOPLE,
        invitees=RECIPROCAL_INVITEES,
        settings={
            "cross_gender_weight": 8,
            "cross_department_weight": 4,
            "cross_generation_weight": 2,
            "cadence_days": 14,
        },
    ),
    DemoProgramme(
        name="Reverse mentoring for leaders",
        slug="reverse-mentoring-leaders",
        description="Early-career colleagues mentor members of the leadership team on "
        "technology, culture and how the company looks from the front line; leaders "
        "sponsor them in return.",
        kind=Programme.Kind.REVERSE,
        alternation=Programme.Alternation.SPLIT,
        admin=PROGRAMME_ADMINS[1][0],
        cohort="Leadership team 2026",
        skills=REVERSE_SKILLS,
        people=REVERSE_PEOPLE,
        invitees=[],
        settings={
            "cross_generation_weight": 8,
            "cross_department_weight": 5,
            "forbid_same_department": True,
            "cadence_days": 21,
        },
    ),
]


def _user(person: Person, password_hash: str) -> User:
    """A demo account for a background participant (one shared hash: seeding stays fast)."""
    named = next((row for row in PARTICIPANTS if row[0] == person.email), None)
    if named is not None:
        # mentoring.demo created it already; demo_user only when run on its own.
        return User.objects.filter(email=person.email).first() or demo_user(*named)
    user, created = User.objects.get_or_create(
        email=person.email,
        defaults={
            "first_name": person.first_name,
            "last_name": person.last_name,
            "time_zone": LOCATIONS[person.location],
            "password": password_hash,
        },
    )
    if created:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _programme(spec: DemoProgramme, today: dt.date) -> Programme:
    admin = User.objects.get(email=spec.admin)
    # Started six weeks ago: the pairing and feedback demos add sessions already held.
    starts = today - dt.timedelta(days=42)
    programme, created = Programme.objects.get_or_create(
        slug=spec.slug,
        defaults={
            "name": spec.name,
            "description": spec.description,
            "kind": spec.kind,
            "alternation": spec.alternation,
            "starts_on": starts,
            "ends_on": starts + dt.timedelta(days=270),
            "status": Programme.Status.MATCHING,
            "created_by": admin,
            **spec.settings,
        },
    )
    ProgrammeRole.objects.get_or_create(
        programme=programme,
        user=admin,
        role=ProgrammeRole.Role.ADMIN,
        defaults={"granted_by": admin},
    )
    for email, *_ in HR_VIEWERS:
        ProgrammeRole.objects.get_or_create(
            programme=programme,
            user=User.objects.get(email=email),
            role=ProgrammeRole.Role.HR,
            defaults={"granted_by": admin},
        )
    if created:
        AuditEvent.objects.create(
            programme=programme, actor=admin, action="programme.created", detail={"name": spec.name}
        )
    return programme


def _participant(
    cohort: Cohort, person: Person, user: User | None, skills: dict[str, Skill], now: dt.datetime
) -> Participant:
    enrolled = user is not None
    participant, created = Participant.objects.get_or_create(
        cohort=cohort,
        email=person.email,
        defaults={
            "user": user,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "department": person.department,
            "location": person.location,
            "job_title": person.job_title,
            "seniority": person.seniority,
            "manager_email": person.manager,
            "time_zone": LOCATIONS[person.location],
            "goals": person.goals
            or (
                f"Learn {person.wants[0].lower()} from someone who uses it every day."
                if person.wants
                else ""
            ),
            "demographics_consent": bool(person.gender),
            "gender": person.gender,
            "birth_year": person.birth_year if person.gender else None,
            "status": Participant.Status.ENROLLED if enrolled else Participant.Status.INVITED,
            "charter_accepted_at": now - dt.timedelta(days=3) if enrolled else None,
        },
    )
    if created:
        participant.skills_offered.set([skills[name] for name in person.offers])
        participant.skills_wanted.set([skills[name] for name in person.wants])
        Invitation.objects.create(
            participant=participant,
            email=person.email,
            cohort=cohort,
            sent_at=now - dt.timedelta(days=10),
            accepted_at=now - dt.timedelta(days=3) if enrolled else None,
            created_by=cohort.programme.created_by,
        )
    return participant


def seed() -> list[DemoLogin]:
    today = timezone.localdate()
    now = timezone.now()
    password_hash = make_password(DEMO_PASSWORD)
    for spec in PROGRAMMES:
        programme = _programme(spec, today)
        cohort, _ = Cohort.objects.get_or_create(
            programme=programme,
            name=spec.cohort,
            defaults={"starts_on": programme.starts_on, "ends_on": programme.ends_on},
        )
        skills = {}
        for name in spec.skills:
            skills[name], _ = Skill.objects.get_or_create(programme=programme, name=name)
        for person in spec.people:
            _participant(cohort, person, _user(person, password_hash), skills, now)
        for person in spec.invitees:
            _participant(cohort, person, None, skills, now)
        # Reporting lines inside the cohort (the engine never pairs them).
        by_email = {p.email: p for p in cohort.participants.all()}
        for participant in by_email.values():
            manager = by_email.get(participant.manager_email)
            if manager is not None and participant.manager_id != manager.pk:
                participant.manager = manager
                participant.save(update_fields=["manager"])
    logins = [DemoLogin("admin", row[0], "programme admin") for row in PROGRAMME_ADMINS]
    logins += [DemoLogin("hr", row[0], "HR viewer") for row in HR_VIEWERS]
    logins += [DemoLogin("participant", row[0]) for row in PARTICIPANTS]
    return logins
