"""With Redis (the cache) down, signing in and the token pages still work: the cache acts
as an empty one (mentoring/cache.py) instead of turning every page into a 500."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from mentoring.cache import ResilientRedisCache

pytestmark = pytest.mark.django_db

DOWN = {
    "default": {
        "BACKEND": "mentoring.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


def test_a_down_cache_reads_as_empty_and_drops_writes():
    cache = ResilientRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 1}})
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("k", 1) is True  # allauth's lock and the debounce go ahead
    assert cache.set("k", 1) is None
    assert cache.delete("k") is False
    assert cache.has_key("k") is False


@override_settings(CACHES=DOWN)
def test_signing_in_works_while_the_cache_is_down(make_user):
    user = make_user("outage@hostile.example", password="pw-Secret-123")
    client = Client(raise_request_exception=False)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "pw-Secret-123"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@override_settings(CACHES=DOWN)
def test_token_pages_answer_while_the_cache_is_down():
    client = Client(raise_request_exception=False)
    url = reverse("programmes:invitation", kwargs={"token": "not-a-token"})
    assert client.get(url).status_code == 404
