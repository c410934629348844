"""The sessions a personal calendar feed carries (two queries, no notes of any kind)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from pairing.models import MentoringSession
from pairing.selectors.my_pairs import VISIBLE_STATUSES
from pairing.selectors.sides import sides_by_pair
from programmes.models import Participant

if TYPE_CHECKING:
    from mentoring.models import User

FEED_PAST_DAYS = 90  # a feed carries recent history and everything ahead


def sessions_for_calendar(
    *, user: User
) -> tuple[list[MentoringSession], dict[int, list[Participant]]]:
    """The user's sessions across their pairs for a feed, and each pair's members by seat.

    Two queries. Returns (sessions, {pair_id: [Participant, …]}); no notes are selected.
    """
    since = timezone.now() - dt.timedelta(days=FEED_PAST_DAYS)
    sessions = list(
        MentoringSession.objects.filter(
            pair__members__participant__user=user,
            pair__status__in=VISIBLE_STATUSES,
            scheduled_start__gte=since,
        )
        .select_related("pair__cohort__programme")
        .defer("shared_notes")
        .order_by("scheduled_start")
        .distinct()
    )
    return sessions, sides_by_pair(pairs={s.pair_id for s in sessions})
