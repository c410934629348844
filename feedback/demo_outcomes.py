"""Demo outcome data: survey answers at baseline and end, outcome events, a comparison group.

Runs in ``seed_demo`` after ``feedback.demo`` (the pairs and their sessions exist). For each
demo programme without surveys yet (idempotent):

- a **baseline** wave on the programme's dates (closed by now) and an **end** wave open now
  (the demo brings it forward so that the HR dashboard shows change from baseline to end);
  everyone taking part answered the baseline; everyone but the named demo participants
  answered the end, so Ana, Ben... still see "Answer the end survey" on My programme;
- **outcome events** since the cohort started: promotions, role changes, pay changes (some
  rises, one cut) and two leavers, as HR would import them;
- the **comparison group**: the organisation's headcount, leavers and promotions for the
  programme's period in every department its participants work in.

Most departments have fewer than 5 participants, so the dashboard suppresses those cells
(the non-binary participant's gender group too). Answers follow the programme's story: in
the reverse programme the junior side gains most in feeling valued and confidence. A few
hundred rows written with bulk inserts: this adds well under a second to ``seed_demo``.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from feedback.models import ComparisonCount, OutcomeEvent, OutcomeImport, Survey, SurveyResponse
from feedback.services.metrics import metrics_compute, metrics_pair_ids_for_programme
from feedback.services.outcomes import RESPONDENT_STATUSES
from feedback.services.outcomes.surveys import survey_wave_windows
from mentoring.demo import HR_VIEWERS, PARTICIPANTS, PROGRAMME_ADMINS, DemoLogin
from mentoring.models import User
from programmes.models import Participant, Programme, ProgrammeRole

# Departments' organisation-wide headcount (the comparison group), before a little noise.
HEADCOUNT = {
    "Engineering": 420,
    "Sales": 260,
    "Finance": 120,
    "Data": 60,
    "Product": 80,
    "Operations": 150,
    "People & Culture": 45,
    "Marketing": 90,
    "Legal": 25,
    "Customer Success": 110,
}
PRIVATE_NOTES = [
    "Note to self: ask for the stretch project before the summer.",
    "I still hesitate to speak first in leadership meetings.",
    "",
    "",
]


def _demo_programmes() -> list[Programme]:
    admin_emails = [row[0] for row in PROGRAMME_ADMINS]
    return list(
        Programme.objects.filter(
            roles__user__email__in=admin_emails, roles__role=ProgrammeRole.Role.ADMIN
        )
        .exclude(surveys__isnull=False)
        .distinct()
        .order_by("pk")
    )


def _scores(rng: random.Random, *, gain: dict[str, int] | None = None) -> dict[str, int]:
    base = {
        "engagement": rng.randint(2, 4),
        "satisfaction": rng.randint(3, 4),
        "confidence": rng.randint(2, 4),
        "valued": rng.randint(2, 3),
        "intent_to_stay": rng.randint(2, 4),
    }
    for name, delta in (gain or {}).items():
        base[name] = max(1, min(5, base[name] + delta))
    return base


def _gain(person: Participant, programme: Programme, rng: random.Random) -> dict[str, int]:
    """How the end answers differ from the baseline: mostly a little better."""
    junior = (person.seniority or 5) <= 3
    gain = {
        name: rng.choice((0, 0, 1)) for name in ("engagement", "satisfaction", "intent_to_stay")
    }
    if programme.kind == Programme.Kind.REVERSE and junior:
        gain.update(valued=rng.choice((1, 2)), confidence=rng.choice((1, 2)))
    else:
        gain.update(valued=rng.choice((0, 1)), confidence=rng.choice((0, 1)))
    return gain


def _seed_surveys(programme: Programme, people: list[Participant], now: dt.datetime) -> None:
    opens, closes = survey_wave_windows(programme)["baseline"]
    baseline = Survey.objects.create(
        programme=programme, wave=Survey.Wave.BASELINE, opens_at=opens, closes_at=closes
    )
    end = Survey.objects.create(
        programme=programme,
        wave=Survey.Wave.END,
        opens_at=now - dt.timedelta(days=3),
        closes_at=now + dt.timedelta(days=11),
    )
    named = {row[0] for row in PARTICIPANTS}
    responses = []
    for person in people:
        rng = random.Random(f"survey-{person.email}")  # noqa: S311 - demo data
        first = _scores(rng)
        responses.append(
            SurveyResponse(
                survey=baseline,
                participant=person,
                private_text=rng.choice(PRIVATE_NOTES),
                **first,
            )
        )
        if person.email in named:
            continue  # left for the demo logins to answer
        gain = _gain(person, programme, rng)
        later = {name: max(1, min(5, value + gain.get(name, 0))) for name, value in first.items()}
        responses.append(SurveyResponse(survey=end, participant=person, **later))
    SurveyResponse.objects.bulk_create(responses)


def _seed_events(
    programme: Programme, people: list[Participant], today: dt.date, by: User | None
) -> None:
    source = OutcomeImport.objects.create(
        programme=programme,
        kind=OutcomeImport.Kind.EVENTS,
        file_name="hris-outcomes-demo.csv",
        created_by=by,
    )
    events = []
    named = {row[0] for row in PARTICIPANTS}
    for i, person in enumerate(people):
        rng = random.Random(f"events-{person.email}")  # noqa: S311 - demo data
        start = person.cohort.starts_on
        span = max(1, (today - start).days - 1)

        def on() -> dt.date:
            return start + dt.timedelta(days=rng.randint(1, span))  # noqa: B023

        if person.email in named:
            continue  # outcomes count in benefit scores: the named pairs stay balanced
        roll = rng.random()
        if roll < 0.25:
            events.append(OutcomeEvent(participant=person, kind="promotion", occurred_on=on()))
        elif roll < 0.35:
            events.append(OutcomeEvent(participant=person, kind="role_change", occurred_on=on()))
        if rng.random() < 0.4:
            pct = Decimal(rng.choice(("2.50", "3.00", "4.00", "6.50", "8.00", "-1.50")))
            events.append(
                OutcomeEvent(
                    participant=person, kind="pay_change", occurred_on=on(), pay_change_pct=pct
                )
            )
        if i in (3, len(people) - 2):  # two leavers per programme
            events.append(OutcomeEvent(participant=person, kind="left", occurred_on=on()))
    for event in events:
        event.source_import = source
        event.created_by = by
    OutcomeEvent.objects.bulk_create(events, ignore_conflicts=True)
    OutcomeImport.objects.filter(pk=source.pk).update(rows=len(events))


def _seed_comparison(programme: Programme, people: list[Participant], by: User | None) -> None:
    source = OutcomeImport.objects.create(
        programme=programme,
        kind=OutcomeImport.Kind.COMPARISON,
        file_name="org-headcount-demo.csv",
        created_by=by,
    )
    departments = sorted({p.department for p in people if p.department})
    rows = []
    for department in departments:
        rng = random.Random(f"comparison-{programme.slug}-{department}")  # noqa: S311
        headcount = HEADCOUNT.get(department, 50) + rng.randint(-5, 5)
        rows.append(
            ComparisonCount(
                programme=programme,
                period_start=programme.starts_on,
                period_end=programme.ends_on,
                department=department,
                headcount=headcount,
                leavers=round(headcount * rng.uniform(0.08, 0.15)),
                promotions=round(headcount * rng.uniform(0.05, 0.10)),
                source_import=source,
            )
        )
    ComparisonCount.objects.bulk_create(rows)
    OutcomeImport.objects.filter(pk=source.pk).update(rows=len(rows))


def seed() -> list[DemoLogin]:
    now = timezone.now()
    today = timezone.localdate()
    hr = User.objects.filter(email=HR_VIEWERS[0][0]).first()
    programmes = _demo_programmes()
    for programme in programmes:
        people = list(
            Participant.objects.filter(cohort__programme=programme, status__in=RESPONDENT_STATUSES)
            .select_related("cohort")
            .order_by("email")  # the same demo on every database
        )
        if not people:
            continue
        _seed_surveys(programme, people, now)
        _seed_events(programme, people, today, hr)
        _seed_comparison(programme, people, hr)
        # The outcome events count in the benefit scores: refresh the stored metrics.
        metrics_compute(pair_ids=metrics_pair_ids_for_programme(programme_id=programme.pk), now=now)
    seeded = Survey.objects.filter(
        programme__roles__user__email__in=[row[0] for row in PROGRAMME_ADMINS]
    ).exists()
    if not seeded:
        return []
    return [
        DemoLogin(
            "hr",
            HR_VIEWERS[0][0],
            "outcome data: survey answers at baseline and end, outcome events, comparison group",
        ),
        *[
            DemoLogin("participant", row[0], "the end survey is open for you to answer")
            for row in PARTICIPANTS
        ],
    ]
