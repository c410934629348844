"""Demo pairs: pair each demo cohort through the real services, publish and start it.

Runs after ``programmes.demo`` (which creates the cohorts in the "matching" phase) and
before ``feedback.demo``. The named demo people are paired on purpose: Ana with Ben, Dev
with Emma (locked by hand before the run, as an admin would); Chloe and Farid are paired by
the engine. Idempotent: a cohort that already has pairs is left alone. The logins it
returns say who each named participant is paired with (printed by ``seed_demo``).
"""

import logging

from django.db import transaction

from mentoring.demo import PARTICIPANTS, PROGRAMME_ADMINS, DemoLogin
from mentoring.models import User
from pairing.models import Pair, PairMember
from pairing.selectors.runs import PAIRING_PROGRAMME_STATUSES
from pairing.services.matching import match_run_create, match_run_execute, pair_propose
from pairing.services.pairs import pairs_publish
from programmes.models import Cohort, Participant, Programme, ProgrammeRole
from programmes.services.programmes import TransitionNotAllowed, programme_transition

logger = logging.getLogger(__name__)

#: Pairs the demo story relies on (emails from ``mentoring.demo.PARTICIPANTS``).
HAND_PICKED = [
    ("ana@demo.example", "ben@demo.example"),
    ("dev@demo.example", "emma@demo.example"),
]


def _demo_cohorts() -> list[Cohort]:
    admin_emails = [row[0] for row in PROGRAMME_ADMINS]
    return list(
        Cohort.objects.filter(
            programme__roles__user__email__in=admin_emails,
            programme__roles__role=ProgrammeRole.Role.ADMIN,
        )
        .select_related("programme")
        .distinct()
        .order_by("pk")
    )


def _admin_of(programme: Programme) -> User | None:
    role = (
        ProgrammeRole.objects.filter(programme=programme, role=ProgrammeRole.Role.ADMIN)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return role.user if role is not None else programme.created_by


def _start_programme(programme: Programme, by: User | None) -> None:
    """Move the programme on to "running" through its own status service when there is one."""
    if programme.status != Programme.Status.MATCHING:
        # The status service moves one step at a time from "matching"; the demo just starts.
        Programme.objects.filter(pk=programme.pk).update(status=Programme.Status.RUNNING)
        return
    try:
        programme_transition(
            programme=programme, target=Programme.Status.RUNNING, by=by, base_url=""
        )
    except TransitionNotAllowed as exc:
        logger.warning("Demo: %s stays %s: %s", programme, programme.status, exc)


def _pair_cohort(cohort: Cohort) -> int:
    programme = cohort.programme
    admin = _admin_of(programme)
    enrolled = {
        p.email: p
        for p in Participant.objects.filter(
            cohort=cohort, status=Participant.Status.ENROLLED, charter_accepted_at__isnull=False
        )
    }
    for a, b in HAND_PICKED:
        if a in enrolled and b in enrolled:
            pair_propose(cohort=cohort, participants=[enrolled[a], enrolled[b]], by=admin)
    if len(enrolled) >= 2:
        run = match_run_create(cohort=cohort, by=admin)
        run = match_run_execute(run_id=run.pk)
        if run.status != run.Status.SUCCEEDED:
            raise RuntimeError(f"demo pairing of {cohort} failed: {run.error}")
    # Demo mail would go to made-up addresses: publish without notifying.
    published = pairs_publish(cohort=cohort, by=admin, notify=False)
    Pair.objects.filter(cohort=cohort, status=Pair.Status.PUBLISHED).update(
        status=Pair.Status.ACTIVE
    )
    return published


def _partners() -> list[DemoLogin]:
    """Who each named demo participant is paired with, for the printed logins."""
    emails = [row[0] for row in PARTICIPANTS]
    seats = (
        PairMember.objects.filter(
            pair__status__in=Pair.LIVE_STATUSES, pair__members__participant__email__in=emails
        )
        .select_related("participant", "pair__cohort__programme")
        .order_by("pair_id", "position")
        .distinct()
    )
    by_pair: dict[int, list[Participant]] = {}
    programme_of: dict[int, str] = {}
    for seat in seats:
        by_pair.setdefault(seat.pair_id, []).append(seat.participant)
        programme_of[seat.pair_id] = seat.pair.cohort.programme.name
    logins = []
    for pair_id, people in by_pair.items():
        for person in people:
            if person.email in emails:
                others = " and ".join(p.display_name for p in people if p.pk != person.pk)
                note = f"paired with {others} in {programme_of[pair_id]}"
                logins.append(DemoLogin("participant", person.email, note))
    return sorted(logins, key=lambda login: emails.index(login.email))


def seed() -> list[DemoLogin]:
    for cohort in _demo_cohorts():
        programme = cohort.programme
        if programme.status not in PAIRING_PROGRAMME_STATUSES:
            continue
        if Pair.objects.filter(cohort=cohort).exists():
            continue
        with transaction.atomic():
            published = _pair_cohort(cohort)
            if published and programme.status != Programme.Status.RUNNING:
                _start_programme(Programme.objects.get(pk=programme.pk), _admin_of(programme))
        logger.info("Demo: paired %s (%s pairs)", cohort, published)
    return _partners()
