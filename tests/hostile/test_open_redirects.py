"""``?next=`` (and a posted ``next``) never sends anyone to another site."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from .urls import app_routes

pytestmark = pytest.mark.django_db

HOSTILE_NEXT = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "https:evil.example",
    "http://testserver.evil.example/",
    "javascript:alert(1)",
    " https://evil.example/",
]


def _off_site(location: str) -> bool:
    if not location:
        return False
    normalised = location.strip().replace("\\", "/")
    parts = urlsplit(normalised)
    return (
        bool(parts.netloc and parts.netloc != "testserver")
        or parts.scheme
        not in (
            "",
            "http",
            "https",
        )
        or normalised.startswith("//")
    )


def test_the_checker_itself():
    assert _off_site("https://evil.example/") and _off_site("//evil.example")
    assert _off_site("/\\evil.example") and _off_site("javascript:alert(1)")
    assert not _off_site("/pairing/pairs/1/") and not _off_site("http://testserver/x")


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_signing_in_never_redirects_off_site(make_user, target):
    user = make_user(password="pw-Secret-123")
    client = Client()
    response = client.post(
        f"{reverse('account_login')}?next={target}",
        {"login": user.email, "password": "pw-Secret-123", "next": target},
    )
    assert response.status_code == 302
    assert not _off_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_signing_out_never_redirects_off_site(make_user, target):
    client = Client()
    client.force_login(make_user())
    response = client.post(f"{reverse('account_logout')}?next={target}", {"next": target})
    assert response.status_code == 302
    assert not _off_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_confirming_a_ledger_item_never_redirects_off_site(hostile_world, target):
    client = Client()
    client.force_login(hostile_world.world.member.user)
    url = reverse("feedback:ledger_confirm", args=[hostile_world.mine.item.pk])
    response = client.post(url, {"next": target})
    assert response.status_code == 302
    assert not _off_site(response["Location"]), response["Location"]


def test_no_page_follows_a_hostile_next(hostile_world):
    """Every page, as a member and as an admin, with ``?next=`` pointing elsewhere (the
    variants are tried on the views that do redirect to ``next``, above)."""
    world = hostile_world.world
    problems = []
    for user in (world.member.user, world.admin):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for route in app_routes():
            for target in ("//evil.example/",):
                url = f"{route.url(hostile_world.own_values())}?next={target}"
                response = client.get(url)
                if response.status_code >= 500:
                    problems.append(f"GET {url}: {response.status_code}")
                if _off_site(response.get("Location", "")):
                    problems.append(f"GET {url} -> {response['Location']}")
    assert not problems, "\n".join(problems)
