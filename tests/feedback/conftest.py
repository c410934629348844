"""Builders for metrics tests: held sessions with roles, reflections, goals, ledger items."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.utils import timezone

from feedback.models import BenefitItem, Goal, Reflection
from pairing.models import MentoringSession, Pair, SessionParticipation, SessionRole
from programmes.models import Participant
from tests.factories import CohortFactory, ParticipantFactory, ProgrammeFactory, make_pair

SECRET_TEXT = "PRIVATE-SENTINEL-7c1e"  # written into every free-text field; must never be shown


@dataclass
class MetricsBuilder:
    """Writes rows the way the app would (real models, real constraints)."""

    def programme_pair(self, *, programme=None, cohort=None, **pair_fields) -> Pair:
        programme = programme or ProgrammeFactory()
        cohort = cohort or CohortFactory(programme=programme)
        a = ParticipantFactory(cohort=cohort)
        b = ParticipantFactory(cohort=cohort)
        return make_pair(a, b, **pair_fields)

    def sides(self, pair: Pair) -> list[Participant]:
        return [
            m.participant for m in pair.members.select_related("participant").order_by("position")
        ]

    def session(
        self,
        pair: Pair,
        roles: dict[Participant, str],
        *,
        minutes: int | None = 60,
        planned: int = 60,
        start: dt.datetime | None = None,
        status: str = MentoringSession.Status.HELD,
    ) -> MentoringSession:
        session = MentoringSession.objects.create(
            pair=pair,
            scheduled_start=start or timezone.now() - dt.timedelta(days=1),
            planned_minutes=planned,
            status=status,
            actual_minutes=minutes if status == MentoringSession.Status.HELD else None,
            shared_notes=f"shared {SECRET_TEXT}",
        )
        if status == MentoringSession.Status.HELD:
            for participant, role in roles.items():
                SessionParticipation.objects.create(
                    session=session, participant=participant, role=role
                )
        return session

    def alternating(self, pair: Pair, count: int, *, minutes: int = 60, start=None) -> None:
        """``count`` held sessions, side A mentoring the odd ones, side B the even ones."""
        a, b = self.sides(pair)[:2]
        start = start or timezone.now() - dt.timedelta(days=count * 14)
        for i in range(count):
            mentor, mentee = (a, b) if i % 2 == 0 else (b, a)
            self.session(
                pair,
                {mentor: SessionRole.MENTOR, mentee: SessionRole.MENTEE},
                minutes=minutes,
                start=start + dt.timedelta(days=14 * i),
            )

    def reflect(self, session: MentoringSession, author: Participant, learned: int = 4, **ratings):
        return Reflection.objects.create(
            session=session,
            author=author,
            learned=learned,
            challenged=ratings.get("challenged", 3),
            listened=ratings.get("listened", 4),
            power_shared=ratings.get("power_shared", 4),
            learned_text=f"learned {SECRET_TEXT}",
            change_text=f"change {SECRET_TEXT}",
        )

    def goal(self, pair: Pair, owner: Participant, progress: int, status=Goal.Status.OPEN) -> Goal:
        return Goal.objects.create(
            pair=pair,
            owner=owner,
            title="A goal",
            description=SECRET_TEXT,
            progress=progress,
            status=status,
        )

    def item(
        self,
        pair: Pair,
        giver: Participant,
        receiver: Participant,
        *,
        kind: str = BenefitItem.Kind.INTRODUCTION,
        status: str = BenefitItem.Status.CONFIRMED,
        age_days: int = 0,
    ) -> BenefitItem:
        item = BenefitItem.objects.create(
            pair=pair,
            giver=giver,
            receiver=receiver,
            kind=kind,
            description=f"item {SECRET_TEXT}",
            occurred_on=timezone.localdate(),
            recorded_by=giver,
            status=status,
        )
        if age_days:
            created = timezone.now() - dt.timedelta(days=age_days)
            BenefitItem.objects.filter(pk=item.pk).update(created_at=created)
        return item


@pytest.fixture
def build(db) -> MetricsBuilder:
    return MetricsBuilder()


@pytest.fixture
def published(monkeypatch):
    """What would have been handed to the broker by the pair refresh: (args, countdown) per
    publish, recorded instead of sent, so no stray message reaches a later worker test."""
    from feedback.tasks import metrics_refresh_pair_task

    sent: list[tuple[list, int | None]] = []

    def record(args=None, kwargs=None, countdown=None, **options):
        sent.append((list(args or []), countdown))

    monkeypatch.setattr(metrics_refresh_pair_task, "apply_async", record)
    return sent


@pytest.fixture
def change(django_capture_on_commit_callbacks):
    """Make one committed change to a pair, the way a service would."""
    from feedback.services.metrics import pair_metrics_changed

    def _change(pair_id: int, write=None) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                if write:
                    write()
                pair_metrics_changed(pair_id=pair_id)

    return _change
