"""CSRF is enforced on every URL of the site: a POST without the token is refused (403)
before any view runs, signed in or not. Only the views listed in CSRF_EXEMPT may skip
it, each for a stated reason."""

import pytest
from django.test import Client

from .urls import routes

pytestmark = pytest.mark.django_db

# View name -> why it may take a POST without a CSRF token.
CSRF_EXEMPT = {
    # RFC 8058 one-click unsubscribe: the mail client POSTs from outside the site; the
    # secret token in the URL is the proof.
    "notifications:unsubscribe": "one-click List-Unsubscribe-Post",
}


def _exempt(route) -> bool:
    return getattr(route.callback, "csrf_exempt", False)


def test_only_the_listed_views_are_csrf_exempt():
    exempt = {r.name for r in routes() if _exempt(r)}
    assert exempt <= set(CSRF_EXEMPT), (
        f"csrf_exempt without a stated reason: {exempt - set(CSRF_EXEMPT)}"
    )


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_every_post_without_the_token_is_refused(make_user, signed_in):
    client = Client(enforce_csrf_checks=True)
    if signed_in:
        client.force_login(make_user("csrf@hostile.example"))
    problems = []
    checked = 0
    for route in routes():
        if _exempt(route):
            continue
        url = route.url()
        response = client.post(url, {"anything": "x"})
        checked += 1
        if response.status_code != 403 or b"CSRF" not in response.content:
            problems.append(f"POST {url} ({route.name}): {response.status_code}")
    assert checked > 100
    assert not problems, "POST without a CSRF token not refused:\n" + "\n".join(problems)
