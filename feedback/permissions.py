"""Who may reach and act on a pair's goals, ledger items, asks and reflections.

Fetching: every goal, ledger item, ask and reflection a view touches comes through here,
on ``pairing.permissions``' one "member of this pair" check: 404 for anyone outside the
pair (admins, HR and superusers included: they are not members).

Acting: the predicates below ("may answer this item", "may edit this goal", "may ask",
"may answer this ask") are the rules the views use to show or refuse an action (403)
and the services use to refuse the write (``PermissionDenied``), so the two never drift.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db.models import F, Q

from feedback.models import Ask, BenefitItem, Goal, Reflection
from pairing.models import MentoringSession, Pair
from pairing.permissions import pair_object_get_for_member
from programmes.models import Participant, Programme

if TYPE_CHECKING:
    from mentoring.models import User


# --- fetching ------------------------------------------------------------------------------
def goal_get_for_member(*, user: User, goal_id: int) -> tuple[Goal, Pair, Participant]:
    return pair_object_get_for_member(
        Goal.objects.select_related("owner"), pk=goal_id, user=user, what="goal"
    )


def benefit_item_get_for_member(
    *, user: User, item_id: int
) -> tuple[BenefitItem, Pair, Participant]:
    return pair_object_get_for_member(
        BenefitItem.objects.select_related("giver", "receiver", "recorded_by"),
        pk=item_id,
        user=user,
        what="item",
    )


def ask_get_for_member(*, user: User, ask_id: int) -> tuple[Ask, Pair, Participant]:
    return pair_object_get_for_member(
        Ask.objects.select_related("asked_by"), pk=ask_id, user=user, what="ask"
    )


def reflection_of(*, session: MentoringSession, me: Participant) -> Reflection | None:
    """The viewer's own reflection on a session of their pair (``session`` already checked)."""
    return Reflection.objects.filter(session=session, author=me).first()


# --- the ledger ----------------------------------------------------------------------------
def item_responder_id(item: BenefitItem) -> int:
    """The side that confirms or disputes: whichever of giver and receiver did not record it."""
    return item.receiver_id if item.recorded_by_id == item.giver_id else item.giver_id


def may_answer_item(*, item: BenefitItem, me: Participant) -> bool:
    """Only the other side of an item confirms or disputes it (never whoever recorded it)."""
    return item_responder_id(item) == me.pk


def items_awaiting_answer_from(me: Participant) -> Q:
    """The pending items ``me`` answers, as a filter: ``may_answer_item`` in SQL, for the
    counts and lists that must name the same items as the confirm button."""
    recorded_by_giver = Q(recorded_by_id=F("giver_id"))
    return Q(status=BenefitItem.Status.PENDING) & (
        (recorded_by_giver & Q(receiver=me)) | (~recorded_by_giver & Q(giver=me))
    )


# --- goals ---------------------------------------------------------------------------------
def may_edit_goal(*, goal: Goal, me: Participant) -> bool:
    """Only the goal's owner changes it; the partner comments."""
    return goal.owner_id == me.pk


# --- structured asks (reverse programmes) --------------------------------------------------
def asks_enabled(pair: Pair) -> bool:
    """Structured asks belong to reverse-mentoring programmes only."""
    return pair.cohort.programme.kind == Programme.Kind.REVERSE


def junior_side(*, sides: Sequence[Participant], first_mentor_id: int | None) -> Participant:
    """The junior side: the lowest seniority (1 = most junior).

    When seniority does not decide (equal or unknown), the first mentor: reverse
    programmes have the junior side mentor first.
    """
    known = [p for p in sides if p.seniority is not None]
    if len(known) == len(sides):
        lowest = min(p.seniority for p in known)
        juniors = [p for p in known if p.seniority == lowest]
        if len(juniors) == 1:
            return juniors[0]
    first = next((p for p in sides if p.pk == first_mentor_id), None)
    return first or sides[0]


def may_ask(*, pair: Pair, me: Participant, sides: Sequence[Participant]) -> bool:
    """The junior side asks the senior side (``sides``: the pair's members by seat)."""
    return junior_side(sides=sides, first_mentor_id=pair.first_mentor_id).pk == me.pk


def may_answer_ask(*, ask: Ask, me: Participant) -> bool:
    """The side that was asked answers; nobody answers their own ask."""
    return ask.asked_by_id != me.pk


# --- outcome data (surveys, outcome events, comparison group) ------------------------------
def programme_get_for_outcomes(*, user: User, slug: str) -> Programme:
    """A programme whose outcome data the user may import and look at in aggregate: its
    admins and HR viewers (and superusers). 404 for anyone else."""
    from django.http import Http404

    from programmes.permissions import programmes_for_hr

    try:
        return programmes_for_hr(user=user).get(slug=slug)
    except Programme.DoesNotExist:
        raise Http404("No such programme.") from None
