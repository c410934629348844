"""Sign-in and the token pages (invitations, sign-up links, calendar feeds) are rate-limited.

A guesser gets 429 after a few wrong tries, from their own address only; the cache
(Redis in CI, cleared before each test by tests/conftest.py) does the counting.
"""

import pytest
from django.test import Client
from django.urls import reverse

from mentoring.tokens import token_issue
from programmes.models import Invitation
from tests.factories import CohortFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

GUESSED = ["programmes:invitation", "programmes:staff_invitation", "programmes:apply"]


def _client(ip: str) -> Client:
    return Client(REMOTE_ADDR=ip)


@pytest.mark.parametrize("url_name", GUESSED)
def test_guessing_tokens_is_refused_after_twenty_wrong_tries(url_name):
    guesser = _client("203.0.113.7")
    for i in range(20):
        url = reverse(url_name, kwargs={"token": f"guess-{i}"})
        assert guesser.get(url).status_code == 404
    url = reverse(url_name, kwargs={"token": "guess-21"})
    assert guesser.get(url).status_code == 429
    assert guesser.post(url).status_code == 429
    # Someone else, elsewhere, is not held back by the guesser.
    assert _client("198.51.100.9").get(url).status_code == 404


def test_a_real_invitation_is_also_refused_to_the_guesser_but_not_to_others():
    participant = ParticipantFactory(
        cohort=CohortFactory(),
        user=None,
        email="invitee@hostile.example",
        first_name="I",
        last_name="N",
    )
    token, digest = token_issue()
    Invitation.objects.create(
        participant=participant,
        email=participant.email,
        cohort=participant.cohort,
        token_hash=digest,
    )
    url = reverse("programmes:invitation", kwargs={"token": token})
    guesser = _client("203.0.113.8")
    for i in range(20):
        guesser.get(reverse("programmes:invitation", kwargs={"token": f"nope-{i}"}))
    assert guesser.get(url).status_code == 429
    assert _client("198.51.100.10").get(url).status_code == 200


def test_accepting_invitations_is_limited_per_address():
    """POSTs to the token pages (accepting, applying) have their own limit: 30 a minute."""
    poster = _client("203.0.113.9")
    url = reverse("programmes:apply", kwargs={"token": "whatever"})
    statuses = [poster.post(url).status_code for _ in range(31)]
    assert 429 in statuses


def test_sign_in_is_refused_after_five_wrong_passwords_even_with_the_right_one(make_user):
    user = make_user("target@hostile.example", password="right-Password-1")
    client = _client("203.0.113.10")
    url = reverse("account_login")
    for _ in range(5):
        response = client.post(url, {"login": user.email, "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    response = client.post(url, {"login": user.email, "password": "right-Password-1"})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
    assert b"Too many" in response.content or response.status_code == 429


def test_sign_in_attempts_per_address_are_limited(make_user):
    """allauth's per-address limit: 30 sign-ins a minute from one address."""
    client = _client("203.0.113.11")
    url = reverse("account_login")
    statuses = [
        client.post(url, {"login": f"nobody{i}@hostile.example", "password": "x"}).status_code
        for i in range(31)
    ]
    assert 429 in statuses
