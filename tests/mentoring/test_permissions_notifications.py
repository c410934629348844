"""Permission matrix of the notification pages and of a programme's reminder settings.

Notifications are per person: every signed-in user has their own list and preferences
(200), and another person's notification answers 404. The unsubscribe page needs no
session: its signed token is the authority (a wrong token is 404, in
test_notifications_delivery). A programme's reminder settings follow the programme
admin ladder.
"""

import datetime as dt

import pytest
from django.utils import timezone

from mentoring.notifications.models import Delivery
from mentoring.notifications.tokens import unsubscribe_token
from tests.permissions import ADMINS_ONLY, check_row
from tests.world import ACTORS

pytestmark = pytest.mark.django_db

SIGNED_IN = {actor: 200 for actor in ACTORS} | {"anonymous": 302}
SIGNED_IN_REDIRECT = {actor: 302 for actor in ACTORS}
ANYONE = {actor: 200 for actor in ACTORS}


def _members_notification(world) -> dict:
    delivery = Delivery.objects.create(
        recipient=world.member.user,
        email=world.member.user.email,
        kind="session_upcoming",
        object_key="session:1",
        due_at=timezone.now() - dt.timedelta(hours=1),
        status=Delivery.Status.SENT,
        sent_at=timezone.now(),
        subject="Reminder",
    )
    return {"delivery_id": delivery.pk}


GET_ROWS = [
    ("notifications:list", lambda w: {}, SIGNED_IN),
    ("notifications:preferences", lambda w: {}, SIGNED_IN),
    # The confirmation page of the member's one-click link: whoever holds the link.
    ("notifications:unsubscribe", lambda w: {"token": unsubscribe_token(w.member.user.pk)}, None),
    ("programmes:reminder_settings", lambda w: {"slug": w.programme.slug}, ADMINS_ONLY),
]

POST_ROWS = [
    (
        "notifications:read",
        _members_notification,
        {
            **{actor: 404 for actor in ACTORS},
            "anonymous": 302,
            "member": 302,
        },
    ),
    ("notifications:read_all", lambda w: {}, SIGNED_IN_REDIRECT),
    # An empty POST saves nothing new and redirects back (every box unticked = all off).
    ("notifications:preferences", lambda w: {}, SIGNED_IN_REDIRECT),
    # An empty POST is a valid form (every kind unticked): saved, then back to the page.
    (
        "programmes:reminder_settings",
        lambda w: {"slug": w.programme.slug},
        {**ADMINS_ONLY, "admin": 302, "superuser": 302},
    ),
]


@pytest.mark.parametrize("row", GET_ROWS, ids=[row[0] for row in GET_ROWS])
def test_get_matrix(world, row, settings):
    settings.SITE_BASE_URL = "https://mentoring.example"
    name, kwargs, expected = row
    if name == "notifications:unsubscribe":
        # Needs ?kind=: check it by hand for every actor.
        from django.urls import reverse

        url = reverse(name, kwargs=kwargs(world)) + "?kind=session_upcoming"
        for actor in ACTORS:
            assert world.client_for(actor).get(url).status_code == 200, actor
        return
    assert check_row(world, row) == []


@pytest.mark.parametrize("row", POST_ROWS, ids=[row[0] for row in POST_ROWS])
def test_post_matrix(world, row):
    assert check_row(world, row, method="post") == []
