"""While the database is unreachable, every page answers a clean 503, not a crash page."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def _client() -> Client:
    return Client(raise_request_exception=False)


def test_database_down_in_a_view_answers_503_with_retry_after():
    with mock.patch("mentoring.views.render", side_effect=OperationalError("server closed")):
        response = _client().get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert "<h1" in body and "Back in a moment" in body
    assert "nothing was saved" in body
    assert "Traceback" not in body and "server closed" not in body


def test_database_down_while_loading_the_user_answers_503(make_user):
    """The failure happens in a middleware (the session's user), before any view runs."""
    client = _client()
    client.force_login(make_user())
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/accounts/profile/")
    assert response.status_code == 503
    assert "Back in a moment" in response.content.decode()


def test_any_other_error_is_still_a_500():
    with mock.patch("mentoring.views.render", side_effect=ValueError("a bug")):
        response = _client().get("/")
    assert response.status_code == 500
    assert "Back in a moment" not in response.content.decode()
