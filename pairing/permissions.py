"""The one place that decides who may reach a pair, its sessions, notes and calendar feeds.

Members see their own pair's workspace; admins of the pair's programme see its
dates, counts and flags (never notes or reflection text); everyone else gets 404.

:func:`pair_get_for_member` is the single "member of this pair" check. Everything that
belongs to a pair (a session here; a goal, ledger item, ask or reflection in
``feedback.permissions``) is fetched through :func:`pair_object_get_for_member`, which
loads the row and then asks it, so a row is reachable exactly when its pair is: by the
pair's members, never by admins, HR or superusers (they are not members) and never by
anyone else. Private notes have no lookup that takes an id: they are only ever read with
``author=me``. The session predicates ("may this log still be edited": the log page, the
session pages and ``session_log`` ask it; "may this session still be moved": the one
guard of reschedule and cancel) decide what a member may still do to a session.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from mentoring.models import User
from mentoring.tokens import token_digest
from programmes.models import Participant
from programmes.permissions import programmes_for_admin

from .models import CalendarFeed, MentoringSession, Pair, PrivateNote
from .selectors.sides import seats, seats_remember

LOG_EDIT_DAYS = 14  # a log stays editable by the pair for this many days after it was written


def pair_get_for_member(*, user: User, pair_id: int) -> tuple[Pair, Participant]:
    """The pair and the viewer's own seat in it. Non-members (superusers too) get 404.

    Only published or later pairs are visible to members: a proposal is the admin's draft.
    """
    pair = (
        Pair.objects.filter(pk=pair_id)
        .exclude(status=Pair.Status.PROPOSED)
        .select_related("cohort__programme")
        .first()
    )
    if pair is None or not user.is_authenticated:
        raise Http404("No such pair.")
    # One query reads every seat (not just the viewer's), with the accounts: the pages name
    # the pair from it, and ``pair_sides`` on this pair answers from it without a query.
    seated = seats(pairs=[pair.pk], users=True)
    me = next((seat.participant for seat in seated if seat.participant.user_id == user.pk), None)
    if me is None:
        raise Http404("No such pair.")
    seats_remember(pair=pair, seated=seated)
    return pair, me


def pair_get_for_admin(*, user: User, pair_id: int) -> Pair:
    try:
        return Pair.objects.select_related("cohort__programme").get(
            pk=pair_id, cohort__programme__in=programmes_for_admin(user=user)
        )
    except Pair.DoesNotExist:
        raise Http404("No such pair.") from None


def pair_object_get_for_member[T: Model](
    queryset: QuerySet[T], *, pk: int, user: User, what: str
) -> tuple[T, Pair, Participant]:
    """``queryset``'s row ``pk`` (a model with a ``pair`` FK), its pair and the viewer's seat.

    404 when the row does not exist or the viewer is not a member of its pair: the two
    cases look the same from outside. ``what`` names the row in the 404 ("session").
    """
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404(f"No such {what}.")
    pair, me = pair_get_for_member(user=user, pair_id=obj.pair_id)
    obj.pair = pair  # the pair just checked, with its programme: no second fetch
    return obj, pair, me


# --- sessions ------------------------------------------------------------------------------
def session_get_for_member(
    *, user: User, session_id: int
) -> tuple[MentoringSession, Pair, Participant]:
    """The session, its pair and the viewer's seat; 404 for anyone outside the pair."""
    return pair_object_get_for_member(
        MentoringSession.objects.select_related("planned_mentor"),
        pk=session_id,
        user=user,
        what="session",
    )


def log_editable_until(session: MentoringSession) -> dt.datetime | None:
    """When the log stops being editable (None before it is logged)."""
    if session.logged_at is None:
        return None
    return session.logged_at + dt.timedelta(days=LOG_EDIT_DAYS)


def log_is_editable(session: MentoringSession, *, now: dt.datetime | None = None) -> bool:
    """A session can be logged while not logged yet, and edited for 14 days after."""
    until = log_editable_until(session)
    return until is None or (now or timezone.now()) <= until


def session_may_move(*, session: MentoringSession, pair: Pair) -> bool:
    """Reschedule and cancel: only a session still scheduled, of a pair still live."""
    return session.status == MentoringSession.Status.SCHEDULED and pair.status in (
        Pair.LIVE_STATUSES
    )


# --- private notes: the author's own, never by id ------------------------------------------
def private_note_of(*, session: MentoringSession, me: Participant) -> PrivateNote | None:
    """The viewer's own private note on a session."""
    return PrivateNote.objects.filter(session=session, author=me).first()


def private_notes_of(*, me: Participant, session_ids: list[int]) -> dict[int, str]:
    """The viewer's own notes on these sessions, by session id (one query)."""
    return dict(
        PrivateNote.objects.filter(author=me, session__in=session_ids).values_list(
            "session_id", "text"
        )
    )


# --- calendar feeds ------------------------------------------------------------------------
def calendar_feed_live_of(*, user: User) -> CalendarFeed | None:
    """The user's own live feed, if they made one (its URL is never shown again)."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


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
