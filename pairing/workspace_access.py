"""Fetch a pair's workspace objects for one of its members, or 404.

Every session, goal, ledger item and ask a workspace view touches comes through here.
Each helper loads the object and then asks
:func:`pairing.permissions.pair_get_for_member`, so a session, goal or item is
reachable exactly when its pair is: by the pair's members, never by admins, HR or
superusers (they are not members) and never by anyone else. Private notes have no
helper that takes an id: they are only ever read with ``author=me``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Model, QuerySet
from django.http import Http404
from django.views.decorators.debug import sensitive_variables

from mentoring.tokens import token_digest
from programmes.models import Participant

from .models import CalendarFeed, MentoringSession, Pair, PrivateNote
from .permissions import pair_get_for_member

if TYPE_CHECKING:
    from feedback.models import Ask, BenefitItem, Goal
    from mentoring.models import User


def _get_in_members_pair[T: Model](
    queryset: QuerySet[T], pk: int, *, user: User, what: str
) -> tuple[T, Pair, Participant]:
    """``queryset``'s row ``pk`` (a model with a ``pair`` FK), its pair and the viewer's seat.

    404 when the row does not exist or the viewer is not a member of its pair: the two
    cases look the same from outside.
    """
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404(f"No such {what}.")
    pair, me = pair_get_for_member(user=user, pair_id=obj.pair_id)
    obj.pair = pair  # the pair just checked, with its programme: no second fetch
    return obj, pair, me


def session_get_for_member(
    *, user: User, session_id: int
) -> tuple[MentoringSession, Pair, Participant]:
    """The session, its pair and the viewer's seat; 404 for anyone outside the pair."""
    return _get_in_members_pair(
        MentoringSession.objects.select_related("planned_mentor"),
        session_id,
        user=user,
        what="session",
    )


def goal_get_for_member(*, user: User, goal_id: int) -> tuple[Goal, Pair, Participant]:
    from feedback.models import Goal

    return _get_in_members_pair(
        Goal.objects.select_related("owner"), goal_id, user=user, what="goal"
    )


def benefit_item_get_for_member(
    *, user: User, item_id: int
) -> tuple[BenefitItem, Pair, Participant]:
    from feedback.models import BenefitItem

    return _get_in_members_pair(
        BenefitItem.objects.select_related("giver", "receiver", "recorded_by"),
        item_id,
        user=user,
        what="item",
    )


def ask_get_for_member(*, user: User, ask_id: int) -> tuple[Ask, Pair, Participant]:
    from feedback.models import Ask

    return _get_in_members_pair(
        Ask.objects.select_related("asked_by"), ask_id, user=user, what="ask"
    )


def private_note_of(*, session: MentoringSession, me: Participant) -> PrivateNote | None:
    """The viewer's own private note on a session (the only way a note is ever read)."""
    return PrivateNote.objects.filter(session=session, author=me).first()


@sensitive_variables("token")
def calendar_feed_get_by_token(*, token: str) -> CalendarFeed | None:
    """A live feed by its secret token (the only key to the public feed), else None.

    Looked up by the token's hash: the table never holds the token itself.
    """
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
