"""A small programme with hand-computable aggregates, and private text to look for.

``hr_programme``: 14 people invited to one cohort; 12 paired in 6 pairs (side A junior,
seniority 2; side B senior, seniority 8). Pairs 0–3 are active (first session 5 days
after publication, last one 3 days ago), pair 4 completed (one session, 10 days in),
pair 5 ended early (no session). Departments: 6 in Engineering, 5 in Finance, 1 in Legal.
Side A of pairs 0–4 are women (with consent), side B men (with consent), side A of pair
5 gave no consent. Stored metrics: junior sides benefit 0.30, senior sides 0.70; women
rated "challenged" 3.0, men 4.0. Surveys: junior sides' "valued" 2 → 4, seniors' 3 → 3.
Outcomes: one promotion, one leaver; the comparison group: 1,000 people, 100 leavers,
50 promotions.
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from feedback.models import (
    BenefitItem,
    ComparisonCount,
    Goal,
    OutcomeEvent,
    PairMetric,
    Reflection,
    SideMetric,
    Survey,
    SurveyResponse,
)
from insights.services import dashboard_refresh
from mentoring.models import User
from pairing.models import MentoringSession, Pair, PrivateNote
from programmes.models import Cohort, Participant, Programme, ProgrammeRole
from tests.factories import (
    CohortFactory,
    ParticipantFactory,
    ProgrammeFactory,
    ProgrammeRoleFactory,
    UserFactory,
    make_pair,
)

SECRET = "PRIVATE-SENTINEL-h7q"  # in every free-text field; never on an HR page or export
NAME = "Zebedee"  # every participant's first name
SURNAME = "Quillfeather"


@dataclass
class HrProgramme:
    programme: Programme
    cohort: Cohort
    hr: User
    people: list[Participant]
    pairs: list[Pair]


def _departments(index: int) -> str:
    return "Engineering" if index < 6 else "Finance" if index < 11 else "Legal"


def build_hr_programme(*, pairs: int = 6, slug: str = "insight") -> HrProgramme:
    now = timezone.now()
    admin = UserFactory()
    programme = ProgrammeFactory(
        slug=slug,
        created_by=admin,
        cadence_days=14,
        starts_on=timezone.localdate() - dt.timedelta(days=90),
        ends_on=timezone.localdate() + dt.timedelta(days=90),
    )
    ProgrammeRoleFactory(programme=programme, user=admin, role=ProgrammeRole.Role.ADMIN)
    hr = UserFactory(email=f"hr-{slug}@insights.example")
    ProgrammeRoleFactory(programme=programme, user=hr, role=ProgrammeRole.Role.HR)
    cohort = CohortFactory(programme=programme, name="Spring intake")
    people = []
    for index in range(2 * pairs + 2):
        pair_index = index // 2
        side_a = index % 2 == 0
        consent = index < 2 * pairs and not (side_a and pair_index == 5)
        user = UserFactory(
            email=f"person{index}-{slug}@insights.example", first_name=NAME, last_name=SURNAME
        )
        people.append(
            ParticipantFactory(
                cohort=cohort,
                user=user,
                seniority=2 if side_a else 8,
                department=_departments(index) if pairs == 6 else "Engineering",
                demographics_consent=consent,
                gender=("woman" if side_a else "man") if consent else "",
                birth_year=1990 if consent else None,
                goals=f"goals {SECRET}",
                withdrawn_reason=f"reason {SECRET}",
                status=Participant.Status.INVITED
                if index >= 2 * pairs
                else Participant.Status.ENROLLED,
                charter_accepted_at=None if index >= 2 * pairs else now,
            )
        )
    published = now - dt.timedelta(days=60)
    made = []
    for k in range(pairs):
        status = (
            Pair.Status.ACTIVE
            if k < 4 or k > 5
            else Pair.Status.COMPLETED
            if k == 4
            else Pair.Status.ENDED_EARLY
        )
        a, b = people[2 * k], people[2 * k + 1]
        pair = make_pair(a, b, status=status, published_at=published, first_mentor=a)
        if status != Pair.Status.ACTIVE:
            Pair.objects.filter(pk=pair.pk).update(
                ended_at=now - dt.timedelta(days=20), end_reason=f"end {SECRET}"
            )
        starts = []
        if status == Pair.Status.ACTIVE:
            starts = [published + dt.timedelta(days=5), now - dt.timedelta(days=3)]
        elif status == Pair.Status.COMPLETED:
            starts = [published + dt.timedelta(days=10)]
        for start in starts:
            session = MentoringSession.objects.create(
                pair=pair,
                scheduled_start=start,
                status=MentoringSession.Status.HELD,
                actual_minutes=60,
                shared_notes=f"notes {SECRET}",
            )
            for author in (a, b):
                Reflection.objects.create(
                    session=session,
                    author=author,
                    learned=4,
                    challenged=3,
                    listened=4,
                    power_shared=4,
                    learned_text=f"learned {SECRET}",
                    change_text=f"change {SECRET}",
                )
                PrivateNote.objects.create(session=session, author=author, text=f"note {SECRET}")
        Goal.objects.create(pair=pair, owner=a, title=f"goal {SECRET}", description=SECRET)
        BenefitItem.objects.create(
            pair=pair,
            giver=b,
            receiver=a,
            kind=BenefitItem.Kind.INTRODUCTION,
            description=f"item {SECRET}",
            occurred_on=timezone.localdate(),
            recorded_by=b,
            status=BenefitItem.Status.CONFIRMED,
        )
        for side, junior in ((a, True), (b, False)):
            woman = side.gender == "woman"
            SideMetric.objects.create(
                pair=pair,
                participant=side,
                learned_mean=4.0,
                challenged_mean=3.0 if woman else 4.0,
                listened_mean=4.0,
                power_shared_mean=4.0,
                goal_progress_mean=50.0 if junior else None,
                items_received=1 if junior else 0,
                items_received_by_kind={"introduction": 1} if junior else {},
                benefit_score=0.3 if junior else 0.7,
                computed_at=now,
            )
        PairMetric.objects.create(
            pair=pair,
            sessions_held=len(starts),
            role_balance=0.9,
            reciprocity_index=0.5,
            lopsided=k < 2,
            stalled=k == 5,
            computed_at=now,
        )
    baseline = Survey.objects.create(
        programme=programme,
        wave=Survey.Wave.BASELINE,
        opens_at=published,
        closes_at=published + dt.timedelta(days=14),
    )
    end = Survey.objects.create(
        programme=programme,
        wave=Survey.Wave.END,
        opens_at=now,
        closes_at=now + dt.timedelta(days=14),
    )
    for index, person in enumerate(people[: 2 * pairs]):
        junior = index % 2 == 0
        for survey, valued in ((baseline, 2 if junior else 3), (end, 4 if junior else 3)):
            SurveyResponse.objects.create(
                survey=survey,
                participant=person,
                engagement=3,
                satisfaction=3,
                confidence=3,
                valued=valued,
                intent_to_stay=3,
                private_text=f"survey {SECRET}",
            )
    today = timezone.localdate()
    OutcomeEvent.objects.create(
        participant=people[0],
        kind=OutcomeEvent.Kind.PROMOTION,
        occurred_on=today - dt.timedelta(days=10),
    )
    OutcomeEvent.objects.create(
        participant=people[2], kind=OutcomeEvent.Kind.LEFT, occurred_on=today - dt.timedelta(days=5)
    )
    ComparisonCount.objects.create(
        programme=programme,
        period_start=programme.starts_on,
        period_end=today,
        department="Engineering",
        headcount=1000,
        leavers=100,
        promotions=50,
    )
    dashboard_refresh(programme_id=programme.pk)
    return HrProgramme(programme=programme, cohort=cohort, hr=hr, people=people, pairs=made)


@pytest.fixture
def hr_programme(db):
    return build_hr_programme()
