"""Fetch a pair's workspace objects for one of its members, or 404.

Every session, goal, ledger item and ask a workspace view touches comes through here.
Each helper finds the object's pair id and then asks
:func:`pairing.permissions.pair_get_for_member`, so a session, goal or item is
reachable exactly when its pair is: by the pair's members, never by admins, HR or
superusers (they are not members) and never by anyone else. Private notes have no
helper that takes an id: they are only ever read with ``author=me``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from programmes.models import Participant

from .models import CalendarFeed, MentoringSession, Pair, PrivateNote
from .permissions import pair_get_for_member

if TYPE_CHECKING:
    from feedback.models import Ask, BenefitItem, Goal
    from mentoring.models import User


def session_get_for_member(
    *, user: User, session_id: int
) -> tuple[MentoringSession, Pair, Participant]:
    """The session, its pair and the viewer's seat; 404 for anyone outside the pair."""
    pair_id = MentoringSession.objects.filter(pk=session_id).values_list("pair_id", flat=True)
    pair_id = pair_id.first()
    if pair_id is None:
        raise Http404("No such session.")
    pair, me = pair_get_for_member(user=user, pair_id=pair_id)
    session = MentoringSession.objects.select_related("planned_mentor").get(pk=session_id)
    session.pair = pair
    return session, pair, me


def goal_get_for_member(*, user: User, goal_id: int) -> tuple[Goal, Pair, Participant]:
    from feedback.models import Goal

    goal = Goal.objects.select_related("owner").filter(pk=goal_id).first()
    if goal is None:
        raise Http404("No such goal.")
    pair, me = pair_get_for_member(user=user, pair_id=goal.pair_id)
    goal.pair = pair
    return goal, pair, me


def benefit_item_get_for_member(
    *, user: User, item_id: int
) -> tuple[BenefitItem, Pair, Participant]:
    from feedback.models import BenefitItem

    item = (
        BenefitItem.objects.select_related("giver", "receiver", "recorded_by")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise Http404("No such item.")
    pair, me = pair_get_for_member(user=user, pair_id=item.pair_id)
    item.pair = pair
    return item, pair, me


def ask_get_for_member(*, user: User, ask_id: int) -> tuple[Ask, Pair, Participant]:
    from feedback.models import Ask

    ask = Ask.objects.select_related("asked_by").filter(pk=ask_id).first()
    if ask is None:
        raise Http404("No such ask.")
    pair, me = pair_get_for_member(user=user, pair_id=ask.pair_id)
    ask.pair = pair
    return ask, pair, me


def private_note_of(*, session: MentoringSession, me: Participant) -> PrivateNote | None:
    """The viewer's own private note on a session (the only way a note is ever read)."""
    return PrivateNote.objects.filter(session=session, author=me).first()


def calendar_feed_get_by_token(*, token: str) -> CalendarFeed | None:
    """A live feed by its secret token (the only key to the public feed), else None."""
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
