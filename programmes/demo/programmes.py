"""The two demo programmes: their settings, their cohort and their skill vocabulary.

Who takes part in each is in ``people.csv`` (see ``programmes.demo.people``).
"""

from dataclasses import dataclass
from typing import Any

from mentoring.demo import PROGRAMME_ADMINS
from programmes.models import Programme

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
class DemoProgramme:
    name: str
    slug: str  # also the ``programme`` column of people.csv
    description: str
    kind: str
    alternation: str
    admin: str  # email of the demo admin who creates it
    cohort: str
    skills: list[str]
    settings: dict[str, Any]  # programme fields an admin edits (``EDITABLE_FIELDS``)


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
        settings={
            "cross_generation_weight": 8,
            "cross_department_weight": 5,
            "forbid_same_department": True,
            "cadence_days": 21,
        },
    ),
]
