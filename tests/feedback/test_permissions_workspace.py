"""Permission matrix of the pair's workspace (feedback namespace).

Members of the pair reach its reflections, goals, ledger, asks and completion page;
everyone else (admins, HR and superusers included) gets 404. A member acting in the
other side's role (editing the partner's goal, confirming an item they recorded,
answering their own ask) gets 403.
"""

import datetime as dt

import pytest
from django.utils import timezone

from feedback.models import Ask, BenefitItem
from feedback.services.goals import goal_create
from feedback.services.ledger import ask_create, benefit_item_record
from pairing.models import MentoringSession, SessionRole
from pairing.services.sessions import session_log, session_schedule
from programmes.models import Participant, Programme
from tests.permissions import MEMBER_ONLY, check_row

pytestmark = pytest.mark.django_db

WRONG_ROLE = {**MEMBER_ONLY, "member": 403}


@pytest.fixture
def workspace(world):
    """A reverse pair (the member is the junior side) with one of everything."""
    world.programme.kind = Programme.Kind.REVERSE
    world.programme.save(update_fields=["kind"])
    Participant.objects.filter(pk=world.member.pk).update(seniority=2)
    a, b = world.member, world.partner
    held = session_schedule(
        pair=world.pair,
        by=a,
        scheduled_start=timezone.now() - dt.timedelta(days=1),
        now=timezone.now() - dt.timedelta(days=2),
    )
    session_log(
        session=held,
        by=a,
        status=MentoringSession.Status.HELD,
        actual_minutes=60,
        roles={a.pk: SessionRole.MENTOR, b.pk: SessionRole.MENTEE},
    )
    world.held = held
    world.my_goal = goal_create(pair=world.pair, owner=a, title="Mine")
    world.partner_goal = goal_create(pair=world.pair, owner=b, title="Theirs")
    kwargs = {
        "pair": world.pair,
        "kind": BenefitItem.Kind.RESOURCE,
        "description": "Shared a reading list",
        "occurred_on": timezone.localdate(),
    }
    world.item_for_me = benefit_item_record(by=b, giver=a, receiver=b, **kwargs)
    world.item_by_me = benefit_item_record(by=a, giver=b, receiver=a, **kwargs)
    world.my_ask = ask_create(pair=world.pair, by=a, sides=[a, b], kind=Ask.Kind.HELP_ME)
    # Only the junior side asks through the service; an ask from the other side tests the
    # answer page's rule from the member's point of view.
    world.ask_for_me = Ask.objects.create(pair=world.pair, asked_by=b, kind=Ask.Kind.HELP_ME)
    return world


PAIR = lambda w: {"pair_id": w.pair.pk}  # noqa: E731
HELD = lambda w: {"session_id": w.held.pk}  # noqa: E731
MY_GOAL = lambda w: {"goal_id": w.my_goal.pk}  # noqa: E731
PARTNER_GOAL = lambda w: {"goal_id": w.partner_goal.pk}  # noqa: E731
ITEM_FOR_ME = lambda w: {"item_id": w.item_for_me.pk}  # noqa: E731
ITEM_BY_ME = lambda w: {"item_id": w.item_by_me.pk}  # noqa: E731
MY_ASK = lambda w: {"ask_id": w.my_ask.pk}  # noqa: E731
ASK_FOR_ME = lambda w: {"ask_id": w.ask_for_me.pk}  # noqa: E731

GET_ROWS = [
    ("feedback:reflection", HELD, MEMBER_ONLY),
    ("feedback:goal_list", PAIR, MEMBER_ONLY),
    ("feedback:goal_create", PAIR, MEMBER_ONLY),
    ("feedback:goal_detail", MY_GOAL, MEMBER_ONLY),
    ("feedback:goal_detail", PARTNER_GOAL, MEMBER_ONLY),
    ("feedback:goal_edit", MY_GOAL, MEMBER_ONLY),
    ("feedback:goal_edit", PARTNER_GOAL, WRONG_ROLE),
    ("feedback:ledger", PAIR, MEMBER_ONLY),
    ("feedback:ledger_record", PAIR, MEMBER_ONLY),
    ("feedback:ledger_dispute", ITEM_FOR_ME, MEMBER_ONLY),
    ("feedback:ledger_dispute", ITEM_BY_ME, WRONG_ROLE),
    ("feedback:ask_create", PAIR, MEMBER_ONLY),
    ("feedback:ask_answer", ASK_FOR_ME, MEMBER_ONLY),
    ("feedback:ask_answer", MY_ASK, WRONG_ROLE),
    ("feedback:pair_complete", PAIR, MEMBER_ONLY),
]

POST_ROWS = [
    # An empty comment re-shows the form; both sides may comment on either side's goal.
    ("feedback:goal_comment", PARTNER_GOAL, MEMBER_ONLY),
    ("feedback:goal_comment", MY_GOAL, MEMBER_ONLY),
    # Confirming redirects back to the ledger; the recorder may not confirm.
    ("feedback:ledger_confirm", ITEM_FOR_ME, {**MEMBER_ONLY, "member": 302}),
    ("feedback:ledger_confirm", ITEM_BY_ME, WRONG_ROLE),
    ("feedback:reflection", HELD, MEMBER_ONLY),
    ("feedback:ledger_record", PAIR, MEMBER_ONLY),
    ("feedback:pair_complete", PAIR, MEMBER_ONLY),
]


def _id(row):
    return row[0] if isinstance(row, tuple) else ""


@pytest.mark.parametrize("row", GET_ROWS, ids=_id)
def test_workspace_pages(workspace, row):
    assert check_row(workspace, row) == []


@pytest.mark.parametrize("row", POST_ROWS, ids=_id)
def test_workspace_writes(workspace, row):
    assert check_row(workspace, row, method="post") == []


def test_outsiders_changed_nothing(workspace):
    """After every outsider's POST above, nothing they aimed at moved."""
    for actor in ("other_pair_member", "admin", "hr", "superuser"):
        client = workspace.client_for(actor)
        client.post(f"/feedback/ledger/{workspace.item_for_me.pk}/confirm/")
        client.post(f"/feedback/goals/{workspace.partner_goal.pk}/comment/", {"text": "hi"})
    workspace.item_for_me.refresh_from_db()
    assert workspace.item_for_me.status == BenefitItem.Status.PENDING
    assert not workspace.partner_goal.comments.exists()
