"""A large synthetic programme for benchmarks: N participants, about N/2 pairs, 20 sessions each.

Every table is filled with ``bulk_create`` in batches, so 5,000 participants take
seconds, not minutes. Participants have no user account (they never sign in).
The programme's slug is ``bench-<N>``; running again leaves it alone unless ``--reset``.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from feedback.models import BenefitItem, Goal, PairMetric, Reflection, SideMetric
from mentoring.models import User
from pairing.models import MentoringSession, Pair, PairMember, SessionParticipation, SessionRole
from programmes.models import Cohort, Participant, Programme

BATCH = 2000
SESSIONS_PER_PAIR = 20
BENCH_OWNER = "bench-owner@bench.example"
FIRST_NAMES = ["Ana", "Ben", "Chloe", "Dev", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jon"]
LAST_NAMES = ["Silva", "Carter", "Dubois", "Patel", "Johansson", "Haddad", "Okafor", "Tanaka"]
DEPARTMENTS = ["Engineering", "Finance", "Sales", "Legal", "Operations", "Marketing", "HR", "Data"]
KINDS = [kind for kind, _ in BenefitItem.Kind.choices]


def bench_slug(participants: int) -> str:
    return f"bench-{participants}"


@dataclass
class SeedReport:
    seconds: float
    rows: dict[str, int]


def bench_delete(*, programme: Programme) -> None:
    """Remove a bench programme, leaf tables first (each one DELETE, no row-by-row cascade)."""
    pairs = Pair.objects.filter(cohort__programme=programme)
    sessions = MentoringSession.objects.filter(pair__in=pairs)
    Reflection.objects.filter(session__in=sessions).delete()
    SessionParticipation.objects.filter(session__in=sessions).delete()
    sessions.delete()
    for model in (BenefitItem, Goal, SideMetric, PairMetric, PairMember):
        model.objects.filter(pair__in=pairs).delete()
    pairs.delete()
    Participant.objects.filter(cohort__programme=programme).delete()
    Cohort.objects.filter(programme=programme).delete()
    programme.delete()


def bench_seed(*, participants: int, seed: int = 2026) -> tuple[Programme, SeedReport]:
    """Create the bench programme (caller ensures none with the same slug exists)."""
    rng = random.Random(seed)
    started = time.perf_counter()
    now = timezone.now()
    today = timezone.localdate()
    rows: dict[str, int] = {}
    owner, _ = User.objects.get_or_create(
        email=BENCH_OWNER, defaults={"first_name": "Bench", "last_name": "Owner"}
    )
    if owner.has_usable_password():
        owner.set_unusable_password()
        owner.save(update_fields=["password"])

    with transaction.atomic():
        programme = Programme.objects.create(
            name=f"Benchmark ({participants} participants)",
            slug=bench_slug(participants),
            starts_on=today - dt.timedelta(days=300),
            ends_on=today + dt.timedelta(days=65),
            status=Programme.Status.RUNNING,
            cadence_days=14,
            created_by=owner,
        )
        cohort = Cohort.objects.create(
            programme=programme,
            name="Bench cohort",
            starts_on=programme.starts_on,
            ends_on=programme.ends_on,
        )
        people = Participant.objects.bulk_create(
            [
                Participant(
                    cohort=cohort,
                    email=f"p{i:06d}@bench.example",
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                    department=rng.choice(DEPARTMENTS),
                    seniority=rng.randint(1, 10),
                    status=Participant.Status.PAIRED
                    if i < 2 * (participants // 2)
                    else Participant.Status.ENROLLED,  # an odd one out stays unpaired
                )
                for i in range(participants)
            ],
            batch_size=BATCH,
        )
        rows["participants"] = len(people)

        published_at = now - dt.timedelta(days=270)
        pairs = Pair.objects.bulk_create(
            [
                Pair(
                    cohort=cohort,
                    status=Pair.Status.ACTIVE,
                    first_mentor_id=people[2 * k].pk,
                    published_at=published_at,
                    percent=rng.randint(40, 95),
                )
                for k in range(participants // 2)
            ],
            batch_size=BATCH,
        )
        rows["pairs"] = len(pairs)
        members = [
            PairMember(pair_id=pair.pk, participant_id=people[2 * k + side].pk, position=side)
            for k, pair in enumerate(pairs)
            for side in (0, 1)
        ]
        PairMember.objects.bulk_create(members, batch_size=BATCH)
        rows["pair members"] = len(members)

        # A few pairs go wrong in the ways the health page flags.
        profile = {pair.pk: _pair_profile(rng) for pair in pairs}

        sessions: list[MentoringSession] = []
        for pair in pairs:
            kind = profile[pair.pk]
            for i in range(SESSIONS_PER_PAIR):
                start = published_at + dt.timedelta(days=14 * i, hours=rng.randint(8, 17))
                if i == SESSIONS_PER_PAIR - 1:
                    status = MentoringSession.Status.SCHEDULED
                    start = now + dt.timedelta(days=rng.randint(1, 10))
                elif kind == "stalled" and i >= 8:
                    status = MentoringSession.Status.CANCELLED
                else:
                    roll = rng.random()
                    status = (
                        MentoringSession.Status.HELD
                        if roll < 0.9
                        else MentoringSession.Status.CANCELLED
                        if roll < 0.97
                        else MentoringSession.Status.NO_SHOW
                    )
                held = status == MentoringSession.Status.HELD
                sessions.append(
                    MentoringSession(
                        pair_id=pair.pk,
                        scheduled_start=start,
                        planned_minutes=60,
                        status=status,
                        actual_minutes=rng.choice([45, 60, 60, 75, 90]) if held else None,
                        logged_at=start + dt.timedelta(hours=2) if held else None,
                    )
                )
        MentoringSession.objects.bulk_create(sessions, batch_size=BATCH)
        rows["sessions"] = len(sessions)

        seats = {pair.pk: (people[2 * k].pk, people[2 * k + 1].pk) for k, pair in enumerate(pairs)}
        participations: list[SessionParticipation] = []
        reflections: list[Reflection] = []
        turn: dict[int, int] = {}
        for session in sessions:
            if session.status != MentoringSession.Status.HELD:
                continue
            a, b = seats[session.pair_id]
            n = turn[session.pair_id] = turn.get(session.pair_id, -1) + 1
            mentor, mentee = (
                (a, b) if profile[session.pair_id] == "one_way" or n % 2 == 0 else (b, a)
            )
            participations.append(
                SessionParticipation(
                    session_id=session.pk, participant_id=mentor, role=SessionRole.MENTOR
                )
            )
            participations.append(
                SessionParticipation(
                    session_id=session.pk, participant_id=mentee, role=SessionRole.MENTEE
                )
            )
            for author, bonus in ((mentor, 0), (mentee, 1)):
                if rng.random() < 0.8:
                    reflections.append(
                        Reflection(
                            session_id=session.pk,
                            author_id=author,
                            learned=min(5, rng.randint(2, 4) + bonus),
                            challenged=rng.randint(2, 5),
                            listened=rng.randint(3, 5),
                            power_shared=rng.randint(2, 5),
                        )
                    )
        SessionParticipation.objects.bulk_create(participations, batch_size=BATCH)
        rows["session participations"] = len(participations)
        Reflection.objects.bulk_create(reflections, batch_size=BATCH)
        rows["reflections"] = len(reflections)

        goals: list[Goal] = []
        items: list[BenefitItem] = []
        for pair in pairs:
            a, b = seats[pair.pk]
            for owner_side in (a, b):
                for g in range(2):
                    progress = rng.randint(0, 100)
                    goals.append(
                        Goal(
                            pair_id=pair.pk,
                            owner_id=owner_side,
                            title=f"Goal {g + 1}",
                            progress=progress,
                            status=Goal.Status.ACHIEVED if progress >= 90 else Goal.Status.OPEN,
                        )
                    )
            if profile[pair.pk] == "lopsided":
                flows = [(b, a)] * rng.randint(4, 7)
            else:
                # Healthy pairs give roughly as much as they get.
                given = rng.randint(0, 4)
                back = max(0, given + rng.choice([-1, 0, 0, 1]))
                flows = [(b, a)] * given + [(a, b)] * back
            for giver, receiver in flows:
                roll = rng.random()
                items.append(
                    BenefitItem(
                        pair_id=pair.pk,
                        giver_id=giver,
                        receiver_id=receiver,
                        recorded_by_id=giver,
                        kind=rng.choice(KINDS),
                        description="Synthetic benchmark item",
                        occurred_on=today - dt.timedelta(days=rng.randint(15, 250)),
                        status=BenefitItem.Status.CONFIRMED
                        if roll < 0.85
                        else BenefitItem.Status.PENDING
                        if roll < 0.95
                        else BenefitItem.Status.DISPUTED,
                    )
                )
        Goal.objects.bulk_create(goals, batch_size=BATCH)
        rows["goals"] = len(goals)
        BenefitItem.objects.bulk_create(items, batch_size=BATCH)
        rows["ledger items"] = len(items)
        # ``created_at`` is auto_now_add; age the items so some pending ones are overdue.
        BenefitItem.objects.filter(pair__cohort=cohort).update(
            created_at=now - dt.timedelta(days=20)
        )

    return programme, SeedReport(seconds=time.perf_counter() - started, rows=rows)


def _pair_profile(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.08:
        return "lopsided"
    if roll < 0.12:
        return "stalled"
    if roll < 0.15:
        return "one_way"
    return "healthy"


class Command(BaseCommand):
    help = "Create a large synthetic programme for benchmarks (bulk inserts): --participants N."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--participants", type=int, default=1000)
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed (same seed, same data)."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the previous bench programme of this size first.",
        )

    def handle(self, *args, participants: int, seed: int, reset: bool, **options) -> None:
        if participants < 2:
            self.stderr.write("--participants must be at least 2.")
            return
        existing = Programme.objects.filter(slug=bench_slug(participants)).first()
        if existing and not reset:
            self.stdout.write(
                f"Programme {existing.slug!r} already exists; pass --reset to build it again."
            )
            return
        if existing:
            started = time.perf_counter()
            bench_delete(programme=existing)
            self.stdout.write(
                f"Deleted the previous {existing.slug!r} in {time.perf_counter() - started:.1f} s."
            )
        programme, report = bench_seed(participants=participants, seed=seed)
        self.stdout.write(f"Created programme {programme.slug!r} in {report.seconds:.1f} s:")
        for name, count in report.rows.items():
            self.stdout.write(f"  {name:<24} {count:>9,}")
        self.stdout.write(f"  {'total rows':<24} {sum(report.rows.values()):>9,}")
