"""Every URL with an id, tried with the ids of objects that are not the viewer's.

- A pair member, with another pair's ids and with another programme's: 404 (or 405 for
  a method the view never takes), GET and POST, and nothing is written.
- A programme admin, with the other programme's ids and slug: the same.
- An HR viewer, on every individual URL (a pair, a session, a participant, a goal, an ask,
  a ledger item) of their own programme: 403 or 404. HR sees aggregates only.
"""

import pytest
from django.apps import apps
from django.test import Client

from .urls import app_routes

pytestmark = pytest.mark.django_db

REFUSED = {404, 405}
INDIVIDUAL = {"pair_id", "session_id", "participant_id", "goal_id", "ask_id", "item_id"}
# Only counted, not compared: signing in and the session table change by themselves.
UNCOUNTED = {"sessions.session", "mentoring.user"}


def _with_ids():
    return [r for r in app_routes() if r.params]


def _row_counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in {"mentoring", "programmes", "pairing", "feedback", "insights"}:
            if label not in UNCOUNTED and model._meta.managed:
                counts[label] = model._default_manager.count()
    return counts


def _sweep(client: Client, values: dict, allowed: set[int], routes=None) -> list[str]:
    problems = []
    for route in routes if routes is not None else _with_ids():
        url = route.url(values)
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status not in allowed:
                problems.append(f"{method.upper()} {url} ({route.name}): {status}")
    return problems


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_there_are_urls_with_ids_to_try():
    names = {r.name for r in _with_ids()}
    assert {"feedback:pair_detail", "pairing:session_log", "feedback:ledger_confirm"} <= names


@pytest.mark.parametrize("whose", ["other_pair", "other_programme"])
def test_a_member_gets_404_for_other_peoples_ids(hostile_world, whose):
    values = getattr(hostile_world, f"{whose}_values")()
    before = _row_counts()
    problems = _sweep(_client(hostile_world.world.member.user), values, REFUSED)
    assert not problems, "\n".join(problems)
    assert _row_counts() == before


def test_a_programme_admin_gets_404_for_the_other_programmes_ids(hostile_world):
    before = _row_counts()
    client = _client(hostile_world.world.admin)
    problems = _sweep(client, hostile_world.other_programme_values(), REFUSED)
    assert not problems, "\n".join(problems)
    assert _row_counts() == before


def test_hr_gets_403_or_404_on_every_individual_url_of_their_programme(hostile_world):
    routes = [r for r in _with_ids() if INDIVIDUAL & {name for _, name in r.params}]
    assert len(routes) > 20
    before = _row_counts()
    client = _client(hostile_world.world.hr)
    problems = _sweep(client, hostile_world.own_values(), REFUSED | {403}, routes)
    assert not problems, "\n".join(problems)
    assert _row_counts() == before


def test_the_same_urls_open_with_the_viewers_own_ids(hostile_world):
    """The control: the sweep's 404s come from whose ids they are, not from broken URLs."""
    by_name = {r.name: r for r in _with_ids()}
    own = hostile_world.own_values()
    member = _client(hostile_world.world.member.user)
    for name in (
        "feedback:pair_detail",
        "feedback:session_detail",
        "feedback:ledger",
        "feedback:goal_detail",
        "pairing:session_log",
    ):
        assert member.get(by_name[name].url(own)).status_code == 200, name
    admin = _client(hostile_world.world.admin)
    for name in (
        "programmes:cohort_detail",
        "programmes:participant_manage",
        "programmes:programme_detail",
    ):
        assert admin.get(by_name[name].url(own)).status_code == 200, name
