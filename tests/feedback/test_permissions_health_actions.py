"""Permission matrix of the admins' actions on a pair (feedback/urls/health.py, actions).

Like pair health itself: admins of the pair's programme and superusers only; members, HR
viewers and other programmes' admins get 404 (the pair's existence is not revealed).
An empty POST is refused with the form's errors (200) for those allowed.
"""

import datetime as dt

import pytest
from django.utils import timezone

from pairing.models import FlagSnooze
from tests.permissions import ADMINS_ONLY, check_row

pytestmark = pytest.mark.django_db


def _snooze(w) -> dict:
    snooze = FlagSnooze.objects.create(
        pair=w.pair,
        flag="stalled",
        until=timezone.now() + dt.timedelta(days=7),
        reason="On leave",
        created_by=w.admin,
    )
    return {"pair_id": w.pair.pk, "snooze_id": snooze.pk}


GET_ROWS = [
    ("feedback:pair_health_nudge", lambda w: {"pair_id": w.pair.pk}, ADMINS_ONLY),
    ("feedback:pair_health_end", lambda w: {"pair_id": w.pair.pk}, ADMINS_ONLY),
]

POST_ROWS = [
    ("feedback:pair_health_note_add", lambda w: {"pair_id": w.pair.pk}, ADMINS_ONLY),
    ("feedback:pair_health_snooze", lambda w: {"pair_id": w.pair.pk}, ADMINS_ONLY),
    (
        "feedback:pair_health_unsnooze",
        _snooze,
        {**ADMINS_ONLY, "admin": 302, "superuser": 302},
    ),
    ("feedback:pair_health_nudge", lambda w: {"pair_id": w.pair.pk}, ADMINS_ONLY),
    ("feedback:pair_health_end", lambda w: {"pair_id": w.pair.pk}, ADMINS_ONLY),
]


@pytest.mark.parametrize("row", GET_ROWS, ids=[row[0] for row in GET_ROWS])
def test_get_matrix(world, row):
    assert check_row(world, row) == []


@pytest.mark.parametrize("row", POST_ROWS, ids=[row[0] for row in POST_ROWS])
def test_post_matrix(world, row):
    assert check_row(world, row, method="post") == []


@pytest.mark.parametrize("name", ["feedback:pair_health_note_add", "feedback:pair_health_snooze"])
def test_writes_are_post_only(world, name):
    from django.urls import reverse

    response = world.client_for("admin").get(reverse(name, kwargs={"pair_id": world.pair.pk}))
    assert response.status_code == 405


def test_a_snooze_of_another_pair_is_not_found(world):
    from django.urls import reverse

    kwargs = _snooze(world)
    kwargs["pair_id"] = world.other_pair.pk
    response = world.client_for("admin").post(
        reverse("feedback:pair_health_unsnooze", kwargs=kwargs)
    )
    assert response.status_code == 404
    assert FlagSnooze.objects.get().lifted_at is None
