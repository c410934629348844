"""Permission matrix of every HR-dashboard URL (insights/urls.py).

HR viewers and admins of the programme (and superusers) read its aggregates; everyone
else, participants included, gets 404; anonymous visitors are sent to sign in.
"""

import pytest
from django.urls import reverse

from programmes.models import ProgrammeRole
from tests.factories import ProgrammeRoleFactory, UserFactory
from tests.permissions import ADMINS_ONLY, check_row

pytestmark = pytest.mark.django_db

HR_AND_ADMINS = {**ADMINS_ONLY, "hr": 200}

GET_ROWS = [
    (
        # The list of the viewer's own dashboards: any programme admin or HR viewer.
        "insights:index",
        lambda w: {},
        {**HR_AND_ADMINS, "other_programme_admin": 200},
    ),
    ("insights:dashboard", lambda w: {"slug": w.programme.slug}, HR_AND_ADMINS),
    (
        "insights:chart_csv",
        lambda w: {"slug": w.programme.slug, "key": "funnel"},
        HR_AND_ADMINS,
    ),
]


@pytest.mark.parametrize("row", GET_ROWS, ids=[row[0] for row in GET_ROWS])
def test_get_matrix(world, row):
    assert check_row(world, row) == []


def test_hr_viewer_of_another_programme_gets_404(world, client):
    other_hr = UserFactory(email="other-hr@world.example")
    ProgrammeRoleFactory(programme=world.other_programme, user=other_hr, role=ProgrammeRole.Role.HR)
    client.force_login(other_hr)
    assert client.get(reverse("insights:dashboard", args=[world.programme.slug])).status_code == 404
    csv_url = reverse("insights:chart_csv", args=[world.programme.slug, "funnel"])
    assert client.get(csv_url).status_code == 404
    own = client.get(reverse("insights:dashboard", args=[world.other_programme.slug]))
    assert own.status_code == 200


def test_an_unknown_chart_is_404(world):
    client = world.client_for("hr")
    url = reverse("insights:chart_csv", args=[world.programme.slug, "nope"])
    assert client.get(url).status_code == 404


def test_dashboards_are_get_only(world):
    client = world.client_for("hr")
    assert (
        client.post(reverse("insights:dashboard", args=[world.programme.slug])).status_code == 405
    )
