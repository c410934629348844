"""The demo's reminder: a session of Ana's pair starting in 50 minutes, so that `make run`
shows the "upcoming session" reminders in var/mail/ within beat's first scan (5 minutes).

Runs after the feedback demo (``seed_demo``'s last seeder), which gives every demo pair
its history and a session in the coming days. Idempotent: nothing is added while the pair
already has a session starting within the next two hours.
"""

import datetime as dt

from django.utils import timezone

from mentoring.demo import PARTICIPANTS, DemoLogin
from pairing.models import MentoringSession, Pair, PairMember
from pairing.services.sessions import session_schedule

SOON = dt.timedelta(minutes=50)
WINDOW = dt.timedelta(hours=2)


def seed() -> list[DemoLogin]:
    email = PARTICIPANTS[0][0]
    seat = (
        PairMember.objects.filter(
            participant__email=email, current=True, pair__status__in=Pair.LIVE_STATUSES
        )
        .select_related("participant", "pair")
        .first()
    )
    if seat is None:
        return []
    now = timezone.now()
    upcoming = MentoringSession.objects.filter(
        pair=seat.pair,
        status=MentoringSession.Status.SCHEDULED,
        scheduled_start__gt=now,
        scheduled_start__lte=now + WINDOW,
    )
    if not upcoming.exists():
        start = (now + SOON).replace(second=0, microsecond=0)
        session = session_schedule(
            pair=seat.pair,
            by=seat.participant,
            scheduled_start=start,
            planned_minutes=45,
            place="https://meet.example/demo-reminder",
        )
        # Booked yesterday: a session booked after its 1-hour mark gets no 1-hour reminder.
        MentoringSession.objects.filter(pk=session.pk).update(created_at=now - dt.timedelta(days=1))
    return [
        DemoLogin(
            "participant",
            email,
            "a session in under an hour: its reminder lands in var/mail/ within 5 minutes",
        )
    ]
