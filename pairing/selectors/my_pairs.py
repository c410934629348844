"""The viewer's pairs: the "My pairs" list, the home page's card, how a pair ended.

Fixed query counts. Members see published pairs and later; a proposal is the admin's draft.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from pairing.models import MentoringSession, Pair, PairMember
from pairing.selectors.sides import seats, sides_by_pair
from programmes.models import Participant

if TYPE_CHECKING:
    from mentoring.models import User

VISIBLE_STATUSES = (
    Pair.Status.PUBLISHED,
    Pair.Status.ACTIVE,
    Pair.Status.COMPLETED,
    Pair.Status.ENDED_EARLY,
)
NEXT_SESSION_GRACE = dt.timedelta(hours=2)  # a session just begun still shows as "next"
LATEST = dt.datetime.max.replace(tzinfo=dt.UTC)  # a pair without a date sorts as the newest


def my_pairs(*, user: User) -> list[dict[str, Any]]:
    """The user's visible pairs with their partners (two queries), latest first."""
    memberships = list(
        PairMember.objects.filter(participant__user=user, pair__status__in=VISIBLE_STATUSES)
        .select_related("pair__cohort__programme")
        .order_by("-pair__published_at", "-pair_id")
    )
    sides = sides_by_pair(pairs=[m.pair_id for m in memberships])
    return [
        {"pair": m.pair, "partners": [p for p in sides.get(m.pair_id, []) if p.user_id != user.pk]}
        for m in memberships
    ]


@dataclass
class HomeCard:
    pair: Pair
    me: Participant
    partners: list[Participant]
    next_session: MentoringSession | None

    @property
    def my_turn(self) -> bool:
        return self.next_session is not None and self.next_session.planned_mentor_id == self.me.pk


def home_card(*, user: User) -> HomeCard | None:
    """The user's current live pair and its next session (two queries; None if not paired)."""
    live = Pair.objects.filter(
        members__participant__user=user,
        members__current=True,
        status__in=Pair.LIVE_STATUSES,
    ).values("pk")
    seated = seats(pairs=live, pair_details=True)
    if not seated:
        return None
    # The latest published of the user's live pairs (one person can sit in several
    # programmes), as "-published_at, pk" would order them in the database.
    pair = max(
        {seat.pair_id: seat.pair for seat in seated}.values(),
        key=lambda p: (p.published_at or LATEST, -p.pk),
    )
    sides = [seat.participant for seat in seated if seat.pair_id == pair.pk]
    me = next(p for p in sides if p.user_id == user.pk)
    next_session = (
        MentoringSession.objects.filter(
            pair=pair,
            status=MentoringSession.Status.SCHEDULED,
            scheduled_start__gte=timezone.now() - NEXT_SESSION_GRACE,
        )
        .order_by("scheduled_start")
        .first()
    )
    return HomeCard(
        pair=pair,
        me=me,
        partners=[p for p in sides if p.pk != me.pk],
        next_session=next_session,
    )


def end_reason_for(*, pair: Pair, viewer: Participant) -> str:
    """The reason a pair was ended early, for the member who ended it; "" for anyone else.

    The end form promises "Your partner is told the pair ended, not your reason": the
    partner's pages show only that it ended. (Admins read the reason on pair health.)
    """
    if pair.status != Pair.Status.ENDED_EARLY or pair.end_requested_by_id != viewer.pk:
        return ""
    return pair.end_reason
