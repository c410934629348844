"""Helpers for the table-driven permission matrices (one per app).

A row is ``(url_name, kwargs_from_world, {actor: expected_status, ...})``. Every actor
in ``tests.world.ACTORS`` must have an expectation, so a new actor or a forgotten one
fails loudly. ``302`` for anonymous means "redirected to sign in".
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .world import ACTORS, World

Row = tuple[str, Callable[[World], dict[str, Any]], dict[str, int]]

# The two standard ladders; tables derive variants from them with {**LADDER, actor: code}.
ADMINS_ONLY = {
    "anonymous": 302,
    "member": 404,
    "other_pair_member": 404,
    "other_programme_admin": 404,
    "admin": 200,
    "hr": 404,
    "superuser": 200,
}
MEMBER_ONLY = {
    "anonymous": 302,
    "member": 200,
    "other_pair_member": 404,
    "other_programme_admin": 404,
    "admin": 404,
    "hr": 404,
    "superuser": 404,
}


def check_row(world: World, row: Row, method: str = "get") -> list[str]:
    url_name, kwargs_for, expected = row
    missing = set(ACTORS) - set(expected)
    assert not missing, f"{url_name}: no expectation for {sorted(missing)}"
    url = reverse(url_name, kwargs=kwargs_for(world))
    problems = []
    for actor in ACTORS:
        response = getattr(world.client_for(actor), method)(url)
        want = expected[actor]
        if response.status_code != want:
            problems.append(f"{method.upper()} {url} as {actor}: {response.status_code} != {want}")
        if actor == "anonymous" and want == 302:
            location = response.headers.get("Location", "")
            if "/accounts/login/" not in location:
                problems.append(f"{url} as anonymous redirected to {location}, not to sign in")
    return problems


def url_names(namespace: str) -> set[str]:
    """Every named URL in an app namespace, e.g. ``programmes:cohort_detail``."""
    resolver = get_resolver()
    names: set[str] = set()

    def walk(patterns: Iterable, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                walk(pattern.url_patterns, ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{prefix}{pattern.name}")

    walk(resolver.url_patterns, "")
    return {name for name in names if name.startswith(f"{namespace}:")}
