"""Demo workspaces: sessions, reflections, goals, ledger items and private notes per pair.

Runs last in ``seed_demo`` (after ``pairing.demo`` has published and started the demo
pairs). For every live demo pair without sessions it writes, through the real services,
3–8 past sessions (mostly held, one cancelled) whose roles follow the programme's
alternation, reflections from both sides, goals with history, ledger items (some still
unconfirmed), private notes with distinctive sentences and one upcoming session.

The reverse pair Dev–Emma tells the lopsided story the platform exists to catch: Dev
(junior) mentors Emma (senior) and Emma receives several confirmed items, while Dev
receives none. So that the main demo admin (admin@demo.example) sees every flag of pair
health at least once, four of their programme's other pairs tell one story each
(``STORIES``): one met early and then stopped (stalled), one where the same person always
mentors (one-way), one where every confirmed item goes to one side (lopsided), and one
whose ledger items have waited more than 14 days for a confirmation (unconfirmed). The
pairs of the named demo participants stay healthy. Idempotent: a pair that already has
sessions is left alone.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from feedback.demo_texts import GOALS, ITEMS, PRIVATE_NOTES, SENIOR_RECEIVED, SHARED_NOTES
from feedback.models import Ask, BenefitItem, GoalProgress, Reflection
from feedback.permissions import asks_enabled, junior_side
from feedback.services.goals import goal_create, goal_update
from feedback.services.ledger import (
    ask_answer,
    ask_create,
    benefit_item_confirm,
    benefit_item_dispute,
    benefit_item_record,
)
from feedback.services.metrics import metrics_compute
from feedback.services.reflections import reflection_save
from mentoring.demo import PARTICIPANTS, PROGRAMME_ADMINS, DemoLogin
from pairing.models import MentoringSession, Pair, SessionRole, Topic
from pairing.selectors.sides import pair_sides
from pairing.services.sessions import (
    private_note_save,
    session_cancel,
    session_log,
    session_schedule,
)
from programmes.models import Participant, Programme, ProgrammeRole

LOPSIDED = ("dev@demo.example", "emma@demo.example")  # (junior, senior)
#: The flag stories told by the main demo admin's pairs, in this order (lowest pair id first).
STORIES = ("stalled", "one_way", "lopsided", "unconfirmed")
#: The stalled pair's last session was this long ago: beyond cadence × 1.5 (14 days × 1.5).
STALLED_FOR = dt.timedelta(days=40)
#: How long the unconfirmed pair's pending items have waited (the flag needs 14 days).
UNCONFIRMED_FOR = dt.timedelta(days=20)


def _demo_pairs() -> list[Pair]:
    admin_emails = [row[0] for row in PROGRAMME_ADMINS]
    return list(
        Pair.objects.filter(
            status__in=Pair.LIVE_STATUSES,
            cohort__programme__roles__user__email__in=admin_emails,
            cohort__programme__roles__role=ProgrammeRole.Role.ADMIN,
        )
        .exclude(sessions__isnull=False)
        .select_related("cohort__programme", "first_mentor")
        .distinct()
        .order_by("pk")
    )


def _roles(
    mode: str, sides: list[Participant], planned: Participant | None, rng: random.Random
) -> dict[int, str]:
    if mode == Programme.Alternation.SPLIT:
        return {p.pk: SessionRole.BOTH for p in sides}
    if mode == Programme.Alternation.FLUID:
        mentor = rng.choice(sides)
        return {p.pk: SessionRole.MENTOR if p == mentor else SessionRole.MENTEE for p in sides}
    mentor = planned or sides[0]
    return {p.pk: SessionRole.MENTOR if p.pk == mentor.pk else SessionRole.MENTEE for p in sides}


def _backdate(model, pk: int, **fields) -> None:
    model.objects.filter(pk=pk).update(**fields)


def _seed_sessions(
    pair: Pair,
    sides: list[Participant],
    rng: random.Random,
    now: dt.datetime,
    story: str | None = None,
):
    """Past sessions and one upcoming; a ``story`` pair: ``stalled`` met three times and
    stopped ``STALLED_FOR`` ago, nothing planned; ``one_way``: four sessions, the first side
    mentoring in each."""
    programme = pair.cohort.programme
    mode = programme.alternation
    count = rng.randint(3, 8)
    cancelled_at = rng.randint(1, count - 2) if count >= 4 else None
    if story in ("stalled", "one_way"):
        count, cancelled_at = (3, None) if story == "stalled" else (4, None)
    cadence = dt.timedelta(days=min(programme.cadence_days, 21))
    last = now - (STALLED_FOR if story == "stalled" else dt.timedelta(0))
    first_start = (last - cadence * count).replace(hour=14, minute=0, second=0, microsecond=0)
    # The demo pairs were published "now"; move publication to before their first
    # session so cadence figures (sessions expected, stalled) read as in a real programme.
    _backdate(Pair, pair.pk, published_at=first_start - dt.timedelta(days=3))
    notes = iter(rng.sample(PRIVATE_NOTES, len(PRIVATE_NOTES)) * 3)
    held = []
    for i in range(count):
        start = first_start + cadence * i
        session = session_schedule(
            pair=pair,
            by=sides[i % 2],
            scheduled_start=start,
            planned_minutes=60,
            place="Meeting room 3" if i % 2 else "https://meet.example/demo-pair",
            now=start - dt.timedelta(days=2),  # the pair scheduled it two days before
        )
        logged_at = start + dt.timedelta(hours=2)
        if i == cancelled_at:
            session_cancel(session=session, by=sides[1], reason="Clash with a customer visit.")
            _backdate(MentoringSession, session.pk, logged_at=logged_at)
            continue
        topics = rng.sample(Topic.values, rng.randint(1, 3))
        roles = _roles(mode, sides, session.planned_mentor, rng)
        if story == "one_way":  # whatever the plan said, the same side mentored every time
            roles = {
                p.pk: SessionRole.MENTOR if p == sides[0] else SessionRole.MENTEE for p in sides
            }
        leads = {}
        if mode == Programme.Alternation.FLUID:
            leads = {t: rng.choice(sides).pk for t in topics}
        author = sides[i % 2]
        session_log(
            session=session,
            by=author,
            status=MentoringSession.Status.HELD,
            actual_minutes=rng.choice([45, 50, 55, 60, 70]),
            roles=roles,
            topics=topics,
            topic_leads=leads,
            shared_notes=rng.choice(SHARED_NOTES),
            private_note=next(notes),
        )
        if i % 3 == 0:
            private_note_save(session=session, author=sides[(i + 1) % 2], text=next(notes))
        _backdate(MentoringSession, session.pk, logged_at=logged_at)
        held.append((session, logged_at))
    if story == "stalled":
        return held  # nothing planned since: the pair has gone quiet
    session_schedule(
        pair=pair,
        by=sides[0],
        scheduled_start=(now + dt.timedelta(days=rng.randint(2, 9))).replace(
            minute=0, second=0, microsecond=0
        ),
        planned_minutes=60,
        place="https://meet.example/demo-pair",
    )
    return held


def _seed_reflections(held, sides: list[Participant], rng: random.Random, lopsided: bool):
    for index, (session, logged_at) in enumerate(held):
        last = index == len(held) - 1
        for side_index, author in enumerate(sides):
            if last and side_index == 0:
                continue  # side A has not reflected on the latest session yet
            # In the lopsided pair the junior side (listed first) learns and is heard less.
            low = lopsided and author == sides[0]
            reflection = reflection_save(
                session=session,
                author=author,
                learned=rng.randint(1, 3) if low else rng.randint(3, 5),
                challenged=rng.randint(2, 5),
                listened=rng.randint(1, 3) if low else rng.randint(3, 5),
                power_shared=rng.randint(1, 3) if low else rng.randint(3, 5),
                learned_text="How the other side of the business decides.",
                change_text="Ask for the specific thing I need.",
                share_with_partner=rng.random() < 0.6,
            )
            _backdate(Reflection, reflection.pk, created_at=logged_at + dt.timedelta(hours=1))


def _seed_goals(pair: Pair, sides: list[Participant], rng: random.Random, now: dt.datetime):
    for side in sides:
        for title, description in rng.sample(GOALS, rng.randint(1, 2)):
            goal = goal_create(
                pair=pair,
                owner=side,
                title=title,
                description=description,
                due_on=(now + dt.timedelta(days=rng.randint(30, 120))).date(),
            )
            steps = sorted(rng.sample(range(10, 100, 10), rng.randint(1, 3)))
            for progress in steps:
                goal_update(
                    goal=goal,
                    by=side,
                    title=goal.title,
                    description=goal.description,
                    progress=progress,
                    status=goal.status,
                    due_on=goal.due_on,
                )
            history = list(GoalProgress.objects.filter(goal=goal).order_by("pk"))
            for age, row in zip(range(len(history) * 14, 0, -14), history, strict=False):
                _backdate(GoalProgress, row.pk, changed_at=now - dt.timedelta(days=age))


def _record(pair, *, by, giver, receiver, kind, description, days_ago):
    return benefit_item_record(
        pair=pair,
        by=by,
        giver=giver,
        receiver=receiver,
        kind=kind,
        description=description,
        occurred_on=timezone.localdate() - dt.timedelta(days=days_ago),
    )


def _seed_ledger(pair: Pair, sides: list[Participant], rng: random.Random) -> None:
    a, b = sides[0], sides[1]
    for n, (kind, text) in enumerate(rng.sample(ITEMS, 4)):
        giver, receiver = (a, b) if n % 2 else (b, a)
        item = _record(
            pair,
            by=receiver,
            giver=giver,
            receiver=receiver,
            kind=kind,
            description=text,
            days_ago=40 - 9 * n,
        )
        if n < 2:
            benefit_item_confirm(item=item, by=giver)
        # n == 2, 3: still awaiting the other side's confirmation
    if len(sides) > 2:
        item = _record(
            pair,
            by=sides[2],
            giver=a,
            receiver=sides[2],
            kind=BenefitItem.Kind.RESOURCE,
            description="Lent me the book on facilitation.",
            days_ago=5,
        )
        benefit_item_confirm(item=item, by=a)


def _seed_one_sided_ledger(pair: Pair, giver: Participant, receiver: Participant) -> None:
    """The lopsided story: every confirmed item goes one way (``receiver`` gets five)."""
    for n, (kind, text) in enumerate(ITEMS[:5]):
        item = _record(
            pair,
            by=receiver,
            giver=giver,
            receiver=receiver,
            kind=kind,
            description=text,
            days_ago=45 - 8 * n,
        )
        benefit_item_confirm(item=item, by=giver)


def _backdate_pending_items(pair: Pair, now: dt.datetime) -> None:
    """The unconfirmed story: the pair's pending items were recorded ``UNCONFIRMED_FOR`` ago
    (and happened no later than that)."""
    recorded = now - UNCONFIRMED_FOR
    for item in BenefitItem.objects.filter(pair=pair, status=BenefitItem.Status.PENDING):
        occurred = min(item.occurred_on, timezone.localdate(recorded))
        _backdate(BenefitItem, item.pk, created_at=recorded, occurred_on=occurred)


def _story_programme_ids() -> set[int]:
    """The main demo admin's programmes: the ones whose pairs tell ``STORIES``."""
    return set(
        ProgrammeRole.objects.filter(
            user__email=PROGRAMME_ADMINS[0][0], role=ProgrammeRole.Role.ADMIN
        ).values_list("programme_id", flat=True)
    )


def _seed_lopsided_ledger(pair: Pair, junior: Participant, senior: Participant) -> None:
    """Emma (senior) receives several confirmed items; Dev (junior) none."""
    for n, (kind, text) in enumerate(SENIOR_RECEIVED):
        item = _record(
            pair,
            by=senior,
            giver=junior,
            receiver=senior,
            kind=kind,
            description=text,
            days_ago=50 - 10 * n,
        )
        benefit_item_confirm(item=item, by=junior)
    # Dev thought Emma had put in a word for him; Emma disputes it. It never counts.
    item = _record(
        pair,
        by=junior,
        giver=senior,
        receiver=junior,
        kind=BenefitItem.Kind.ADVOCACY,
        description="Mentioned my work to the product director.",
        days_ago=12,
    )
    benefit_item_dispute(item=item, by=senior, reason="I have not had the chance yet.")
    sides = [junior, senior]
    if (
        not asks_enabled(pair)
        or junior_side(sides=sides, first_mentor_id=pair.first_mentor_id) != junior
    ):
        return  # asks belong to reverse programmes, from the junior side
    ask_create(
        pair=pair,
        by=junior,
        sides=sides,
        kind=Ask.Kind.ADVOCATE,
        detail="the senior engineer promotion panel",
    )
    declined = ask_create(
        pair=pair, by=junior, sides=sides, kind=Ask.Kind.INTRODUCE, detail="the CTO"
    )
    ask_answer(ask=declined, by=senior, fulfilled=False, answer="Maybe later in the year.")
    ask_create(pair=pair, by=junior, sides=sides, kind=Ask.Kind.LEARNING_FROM_ME)


def seed() -> list[DemoLogin]:
    now = timezone.now()
    touched = []
    named = {row[0] for row in PARTICIPANTS}
    story_programmes = _story_programme_ids()
    stories = iter(STORIES)
    for pair in _demo_pairs():
        sides = pair_sides(pair=pair)
        if len(sides) < 2:
            continue
        emails = {p.email for p in sides}
        # The same demo for the same people on every database: primary keys depend on
        # what the database held before (sequences never roll back), names do not.
        rng = random.Random(f"{pair.cohort.programme.slug}:{'|'.join(sorted(emails))}")  # noqa: S311
        lopsided = set(LOPSIDED) <= emails
        if lopsided:
            junior = next(p for p in sides if p.email == LOPSIDED[0])
            senior = next(p for p in sides if p.email == LOPSIDED[1])
            sides = [junior, senior] + [p for p in sides if p not in (junior, senior)]
        story = None
        if pair.cohort.programme_id in story_programmes and not emails & named:
            story = next(stories, None)
        held = _seed_sessions(pair, sides, rng, now, story)
        # In the one-sided story the first side gets nothing and learns less, as Dev does.
        _seed_reflections(held, sides, rng, lopsided or story == "lopsided")
        _seed_goals(pair, sides, rng, now)
        if lopsided:
            _seed_lopsided_ledger(pair, junior, senior)
        elif story == "lopsided":
            _seed_one_sided_ledger(pair, giver=sides[0], receiver=sides[1])
        else:
            _seed_ledger(pair, sides, rng)
            if story == "unconfirmed":
                _backdate_pending_items(pair, now)
            if asks_enabled(pair):
                asker = junior_side(sides=sides, first_mentor_id=pair.first_mentor_id)
                ask_create(
                    pair=pair,
                    by=asker,
                    sides=sides,
                    kind=Ask.Kind.HELP_ME,
                    detail="",
                )
        touched.append(pair.pk)
    if touched:
        # The demo shows balances at once instead of waiting for the worker's refresh.
        metrics_compute(pair_ids=touched, now=now)
    if not story_programmes:
        return []
    return [
        DemoLogin(
            "admin",
            PROGRAMME_ADMINS[0][0],
            "pair health: a stalled, a one-way and a lopsided pair, and unconfirmed items",
        )
    ]
