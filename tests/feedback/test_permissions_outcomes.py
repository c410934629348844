"""Permission matrix of every outcome URL (feedback/urls/outcomes.py).

A survey is its participant's alone (404 for everyone else, admins and HR included). A
programme's outcome data (counts, imports of outcome events and comparison figures) is for
its admins and HR viewers (and superusers); 404 for anyone else.
"""

import datetime as dt
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from feedback.models import OutcomeEvent, Survey
from tests.permissions import ADMINS_ONLY, MEMBER_ONLY, check_row

pytestmark = pytest.mark.django_db

STAFF = {**ADMINS_ONLY, "hr": 200}
UPLOAD_ID = uuid.UUID("00000000-0000-4000-8000-000000000006")


@pytest.fixture
def outcome_world(world):
    now = timezone.now()
    Survey.objects.create(
        programme=world.programme,
        wave="baseline",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=7),
    )
    text = f"email,kind,occurred_on\n{world.member.email},promotion,2026-01-01\n"
    for kind, body in (("events", text), ("comparison", "department,headcount\nSales,3\n")):
        path = f"outcome_imports/{world.programme.pk}/{kind}/{UPLOAD_ID}.csv"
        if default_storage.exists(path):
            default_storage.delete(path)
        default_storage.save(path, ContentFile(body.encode()))
    return world


def _programme(w):
    return {"slug": w.programme.slug}


def _kind(kind):
    return lambda w: {"slug": w.programme.slug, "kind": kind}


def _upload(kind):
    return lambda w: {"slug": w.programme.slug, "kind": kind, "import_id": UPLOAD_ID}


GET_ROWS = [
    (
        "feedback:survey_answer",
        lambda w: {"participant_id": w.member.pk, "wave": "baseline"},
        MEMBER_ONLY,
    ),
    ("feedback:outcomes_home", _programme, STAFF),
    ("feedback:outcome_import_upload", _kind("events"), STAFF),
    ("feedback:outcome_import_upload", _kind("comparison"), STAFF),
    ("feedback:outcome_import_template", _kind("events"), STAFF),
    ("feedback:outcome_import_template", _kind("comparison"), STAFF),
    ("feedback:outcome_import_preview", _upload("events"), STAFF),
    ("feedback:outcome_import_preview", _upload("comparison"), STAFF),
    ("feedback:outcome_import_skipped", _upload("events"), STAFF),
    ("feedback:outcome_import_skipped", _upload("comparison"), STAFF),
]

POST_ROWS = [
    # Without answers: the form comes back with its errors (nothing saved).
    (
        "feedback:survey_answer",
        lambda w: {"participant_id": w.member.pk, "wave": "baseline"},
        MEMBER_ONLY,
    ),
    # Without a file: the form comes back with its error.
    ("feedback:outcome_import_upload", _kind("events"), STAFF),
]


@pytest.mark.parametrize("row", GET_ROWS, ids=[f"{r[0]}-{i}" for i, r in enumerate(GET_ROWS)])
def test_get_matrix(outcome_world, row):
    assert check_row(outcome_world, row) == []


@pytest.mark.parametrize("row", POST_ROWS, ids=[r[0] for r in POST_ROWS])
def test_post_matrix(outcome_world, row):
    assert check_row(outcome_world, row, method="post") == []


def test_an_unknown_import_kind_is_404(outcome_world):
    client = outcome_world.client_for("admin")
    url = reverse(
        "feedback:outcome_import_upload",
        kwargs={"slug": outcome_world.programme.slug, "kind": "salaries"},
    )
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("actor", ["member", "other_pair_member", "other_programme_admin"])
def test_outsiders_cannot_apply_an_upload(outcome_world, actor):
    url = reverse("feedback:outcome_import_preview", kwargs=_upload("events")(outcome_world))
    response = outcome_world.client_for(actor).post(url, {"expected": "1"})
    assert response.status_code == 404
    assert not OutcomeEvent.objects.exists()


def test_another_programmes_staff_cannot_reach_its_upload(outcome_world):
    """The upload is stored under its programme: the other programme's URL does not find it."""
    w = outcome_world
    url = reverse(
        "feedback:outcome_import_preview",
        kwargs={"slug": w.other_programme.slug, "kind": "events", "import_id": UPLOAD_ID},
    )
    assert w.client_for("other_programme_admin").get(url).status_code == 404
