"""Permission matrix of every pair-health URL (feedback/urls/health.py).

Pair health is per-pair individual data: programme admins (and superusers) only.
HR viewers read aggregates elsewhere and get 404 here, like pair members.
"""

import pytest

from tests.permissions import ADMINS_ONLY, check_row

pytestmark = pytest.mark.django_db


GET_ROWS = [
    ("feedback:pair_health", lambda w: {"slug": w.programme.slug}, ADMINS_ONLY),
    ("feedback:programme_health_summary", lambda w: {"slug": w.programme.slug}, ADMINS_ONLY),
    (
        "feedback:pair_health_recompute_progress",
        lambda w: {"slug": w.programme.slug},
        ADMINS_ONLY,
    ),
    ("feedback:pair_health_detail", lambda w: {"pair_id": w.pair.pk}, ADMINS_ONLY),
    (
        # The home card lists the viewer's own programmes: any programme admin may load it.
        "feedback:attention",
        lambda w: {},
        {**ADMINS_ONLY, "other_programme_admin": 200},
    ),
]

POST_ROWS = [
    (
        "feedback:pair_health_recompute",
        lambda w: {"slug": w.programme.slug},
        {**ADMINS_ONLY, "admin": 302, "superuser": 302},
    ),
]


@pytest.mark.parametrize("row", GET_ROWS, ids=[row[0] for row in GET_ROWS])
def test_get_matrix(world, row):
    assert check_row(world, row) == []


@pytest.mark.parametrize("row", POST_ROWS, ids=[row[0] for row in POST_ROWS])
def test_post_matrix(world, row):
    assert check_row(world, row, method="post") == []


def test_recompute_is_post_only(world):
    from django.urls import reverse

    client = world.client_for("admin")
    response = client.get(reverse("feedback:pair_health_recompute", kwargs={"slug": "world"}))
    assert response.status_code == 405
