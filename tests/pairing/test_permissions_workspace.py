"""Permission matrix of the pair's workspace: pairing's pages, and the pair page, session
list and session page that feedback draws at their /pairing/ addresses.

Only the pair's members reach its pages; admins, HR and superusers are not members
and get 404 like any outsider. The public calendar feed is reached by token only.
"""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pairing.models import MentoringSession, SessionRole
from pairing.services.sessions import (
    calendar_feed_create,
    calendar_feed_revoke,
    session_log,
    session_schedule,
)
from tests.permissions import MEMBER_ONLY, check_row

pytestmark = pytest.mark.django_db

SIGNED_IN = {
    "anonymous": 302,
    "member": 200,
    "other_pair_member": 200,
    "other_programme_admin": 200,
    "admin": 200,
    "hr": 200,
    "superuser": 200,
}


@pytest.fixture
def workspace(world):
    """The world's pair with one held session (logged) and one scheduled session."""
    held = session_schedule(
        pair=world.pair,
        by=world.member,
        scheduled_start=timezone.now() - dt.timedelta(days=2),
        planned_minutes=60,
        place="Room 4",
        now=timezone.now() - dt.timedelta(days=3),
    )
    session_log(
        session=held,
        by=world.member,
        status=MentoringSession.Status.HELD,
        actual_minutes=55,
        roles={world.member.pk: SessionRole.MENTOR, world.partner.pk: SessionRole.MENTEE},
        topics=["career"],
        shared_notes="We talked about the next role.",
        private_note="a private thought",
    )
    upcoming = session_schedule(
        pair=world.pair,
        by=world.member,
        scheduled_start=timezone.now() + dt.timedelta(days=5),
        planned_minutes=45,
        place="https://video.example/room",
    )
    world.held = held
    world.upcoming = upcoming
    return world


PAIR = lambda w: {"pair_id": w.pair.pk}  # noqa: E731
HELD = lambda w: {"session_id": w.held.pk}  # noqa: E731
UPCOMING = lambda w: {"session_id": w.upcoming.pk}  # noqa: E731
NONE = lambda w: {}  # noqa: E731

ROWS = [
    ("feedback:pair_detail", PAIR, MEMBER_ONLY),
    ("feedback:session_list", PAIR, MEMBER_ONLY),
    ("pairing:session_schedule", PAIR, MEMBER_ONLY),
    ("pairing:session_log_past", PAIR, MEMBER_ONLY),
    ("feedback:session_detail", HELD, MEMBER_ONLY),
    ("feedback:session_detail", UPCOMING, MEMBER_ONLY),
    ("pairing:session_reschedule", UPCOMING, MEMBER_ONLY),
    ("pairing:session_cancel", UPCOMING, MEMBER_ONLY),
    ("pairing:session_log", HELD, MEMBER_ONLY),
    ("pairing:session_private_note", HELD, MEMBER_ONLY),
    ("pairing:session_ics", UPCOMING, MEMBER_ONLY),
    ("pairing:home_card", NONE, SIGNED_IN),
    ("pairing:calendar_settings", NONE, SIGNED_IN),
    ("pairing:calendar_revoke", NONE, SIGNED_IN),
    # With a single pair, "my pairs" goes straight to it; everyone else sees their list.
    ("pairing:my_pairs", NONE, {**SIGNED_IN, "member": 302, "other_pair_member": 302}),
]


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row[0] if isinstance(row, tuple) else "")
def test_workspace_permission_matrix(workspace, row):
    assert check_row(workspace, row) == []


POST_ROWS = [
    # Posting an empty form: members see the form again with errors, outsiders 404.
    ("pairing:session_schedule", PAIR, MEMBER_ONLY),
    ("pairing:session_log_past", PAIR, MEMBER_ONLY),
    ("pairing:session_cancel", UPCOMING, MEMBER_ONLY),
    ("pairing:session_log", HELD, MEMBER_ONLY),
    ("pairing:session_reschedule", UPCOMING, MEMBER_ONLY),
]


@pytest.mark.parametrize("row", POST_ROWS, ids=lambda row: row[0] if isinstance(row, tuple) else "")
def test_workspace_writes_are_refused_to_outsiders(workspace, row):
    assert check_row(workspace, row, method="post") == []
    workspace.upcoming.refresh_from_db()
    assert workspace.upcoming.status == MentoringSession.Status.SCHEDULED


def test_a_proposed_pair_is_not_visible_even_to_its_members(world):
    world.pair.status = "proposed"
    world.pair.save(update_fields=["status"])
    response = world.client_for("member").get(reverse("feedback:pair_detail", args=[world.pair.pk]))
    assert response.status_code == 404


def test_my_pairs_redirects_a_member_to_their_pair(world):
    response = world.client_for("member").get(reverse("pairing:my_pairs"))
    assert response.headers["Location"] == reverse("feedback:pair_detail", args=[world.pair.pk])


def test_the_public_calendar_feed_is_reached_by_token_only(workspace):
    feed = calendar_feed_create(user=workspace.member.user)
    url = reverse("pairing:calendar_feed", args=[feed.token])
    response = Client().get(url)  # no sign-in: calendar apps have no session
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert f"UID:session-{workspace.upcoming.pk}@" in body
    # Another user's token shows that user's sessions, never the member's.
    other = calendar_feed_create(user=workspace.other_member.user)
    other_body = Client().get(reverse("pairing:calendar_feed", args=[other.token])).content
    assert f"session-{workspace.upcoming.pk}@".encode() not in other_body
    # Guessing fails; a revoked token is gone.
    assert Client().get(reverse("pairing:calendar_feed", args=["not-a-token"])).status_code == 404
    calendar_feed_revoke(user=workspace.member.user)
    assert Client().get(url).status_code == 404
