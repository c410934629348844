"""HTML and JavaScript typed into any text field come back escaped, on every page.

Every free-text column of every row in the world (names, departments, notes, goals,
ledger descriptions, programme and cohort names...) is set to a payload; then every page
is loaded as the member, their partner, the programme admin and the superuser, and no
page may contain the payload's markup raw.
"""

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.test import Client

from .urls import app_routes

pytestmark = pytest.mark.django_db

PAYLOAD = '<i>x</i>"<script>alert(1)</script>'
RAW = ("<script>alert(1)", "<i>x</i>")
SKIP_NAMES = ("token", "hash", "password", "key", "uid", "email", "slug", "time_zone", "language")
APPS = {"mentoring", "programmes", "pairing", "feedback", "insights"}


def _text_fields(model) -> list[str]:
    names = []
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        if isinstance(field, models.EmailField | models.URLField | models.SlugField):
            continue
        if field.choices or any(part in field.name for part in SKIP_NAMES):
            continue
        if field.max_length and field.max_length < len(PAYLOAD):
            continue
        names.append(field.name)
    return names


def poison_every_text_field() -> list[str]:
    poisoned = []
    for model in apps.get_models():
        if model._meta.app_label not in APPS or not model._meta.managed:
            continue
        for name in _text_fields(model):
            try:
                with transaction.atomic():
                    if model._default_manager.update(**{name: PAYLOAD}):
                        poisoned.append(f"{model._meta.label}.{name}")
            except IntegrityError:  # a check constraint ties this field to another one
                continue
    return poisoned


def _pages(world_values: dict) -> list[str]:
    urls = ["/", "/accounts/profile/", "/pairing/pairs/", "/programmes/", "/programmes/my/"]
    urls += [route.url(world_values) for route in app_routes()]
    return urls


def test_every_text_field_is_rendered_escaped(hostile_world):
    poisoned = poison_every_text_field()
    assert {
        "programmes.Participant.first_name",
        "feedback.Goal.title",
        "pairing.MentoringSession.shared_notes",
    } <= set(poisoned) | {p for p in poisoned if p.endswith("shared_notes")}
    world = hostile_world.world
    # Every row is poisoned, so the member reads their partner's words and the admin
    # everyone's in the programme: these two see every kind of text once.
    viewers = {"member": world.member.user, "admin": world.admin}
    problems, seen_escaped = [], 0
    for who, user in viewers.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for url in _pages(hostile_world.own_values()):
            response = client.get(url)
            if "text/html" not in response.get("Content-Type", ""):
                continue
            body = response.content.decode()
            if response.status_code >= 500:
                problems.append(f"{who} GET {url}: {response.status_code}")
            for raw in RAW:
                if raw in body:
                    problems.append(f"{who} GET {url}: {raw!r} unescaped")
            seen_escaped += "&lt;script&gt;alert(1)" in body
    assert not problems, "\n".join(problems)
    assert seen_escaped > 10  # the payload was shown (escaped) on many pages
