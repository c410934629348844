"""A private note is seen by its author and nobody else, on any page of the site.

The member writes a note with a distinctive sentence; then every page every other
actor can reach (their own workspace pages, the member's pair's pages, admin and HR
pages, calendars, the Django admin lists and change pages) is fetched, and the exact
text must appear in none of them. The author sees it where it belongs.
"""

import datetime as dt
import re
import uuid

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from feedback.models import Reflection
from feedback.services.goals import goal_create
from feedback.services.ledger import benefit_item_record
from feedback.services.metrics import metrics_compute
from feedback.services.reflections import reflection_save
from pairing.models import MentoringSession, PrivateNote, SessionRole
from pairing.services.sessions import (
    calendar_feed_create,
    private_note_save,
    session_log,
    session_schedule,
)
from programmes.models import ProgrammeRole

pytestmark = pytest.mark.django_db

NOTE = "PRIVATE-NOTE-7f3a I worry my partner finds me too blunt"
PARTNER_NOTE = "PRIVATE-NOTE-b21c I am not sure I am helping at all"
# Pages that change state on GET, or belong to the sign-in machinery, are not walked.
SKIPPED_PREFIXES = ("account_", "mfa_", "admin:logout", "admin:password_change", "healthz")


@pytest.fixture
def noted(world):
    a, b = world.member, world.partner
    held = session_schedule(
        pair=world.pair,
        by=a,
        scheduled_start=timezone.now() - dt.timedelta(days=1),
        now=timezone.now() - dt.timedelta(days=2),
    )
    session_log(
        session=held,
        by=a,
        status=MentoringSession.Status.HELD,
        actual_minutes=60,
        roles={a.pk: SessionRole.MENTOR, b.pk: SessionRole.MENTEE},
        topics=["confidence"],
        shared_notes="Shared: we agreed on two actions.",
        private_note=NOTE,
    )
    private_note_save(session=held, author=b, text=PARTNER_NOTE)
    for author in (a, b):
        reflection_save(
            session=held,
            author=author,
            learned=4,
            challenged=4,
            listened=4,
            power_shared=4,
            learned_text="learned",
            share_with_partner=True,
        )
    session_schedule(pair=world.pair, by=a, scheduled_start=timezone.now() + dt.timedelta(days=3))
    goal = goal_create(pair=world.pair, owner=a, title="Be more direct")
    item = benefit_item_record(
        pair=world.pair,
        by=a,
        giver=b,
        receiver=a,
        kind="introduction",
        description="Introduced me",
        occurred_on=timezone.localdate(),
    )
    metrics_compute(pair_ids=[world.pair.pk, world.other_pair.pk])
    world.held = held
    world.goal = goal
    world.item = item
    world.reflection = Reflection.objects.get(session=held, author=a)
    return world


def _named_patterns():
    found = []

    def walk(patterns, ns):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
            elif isinstance(p, URLPattern) and p.name:
                found.append((f"{ns}{p.name}", list(p.pattern.converters)))

    walk(get_resolver().url_patterns, "")
    return found


def _kwarg_values(world, url_name: str, feed_tokens: list[str]) -> dict[str, list]:
    admin_objects = {
        "pairing_mentoringsession": world.held.pk,
        "pairing_pair": world.pair.pk,
        "feedback_reflection": world.reflection.pk,
        "feedback_goal": world.goal.pk,
        "feedback_benefititem": world.item.pk,
    }
    model = re.sub(r"^admin:|_(change|history|delete)$", "", url_name)
    return {
        "slug": [world.programme.slug],
        "pair_id": [world.pair.pk, world.other_pair.pk],
        "session_id": [world.held.pk],
        "cohort_id": [world.cohort.pk],
        "participant_id": [world.member.pk, world.partner.pk, world.other_member.pk],
        "goal_id": [world.goal.pk],
        "item_id": [world.item.pk],
        "role_id": list(ProgrammeRole.objects.values_list("pk", flat=True)[:1]),
        "token": feed_tokens,
        "object_id": [admin_objects[model]] if model in admin_objects else [],
        "app_label": ["pairing", "feedback"],
        "import_id": [uuid.uuid4()],
    }


def reachable_urls(world, feed_tokens: list[str]) -> list[str]:
    """Every GET-able URL of the site with the world's objects filled in."""
    urls = []
    for name, params in _named_patterns():
        if name.startswith(SKIPPED_PREFIXES):
            continue
        values = _kwarg_values(world, name, feed_tokens)
        if any(not values.get(param) for param in params):
            continue
        combos = [{}]
        for param in params:
            combos = [{**c, param: v} for c in combos for v in values[param]]
        for kwargs in combos:
            try:
                urls.append(reverse(name, kwargs=kwargs))
            except NoReverseMatch:
                continue
    return urls


def test_the_author_sees_the_note_where_it_belongs(noted):
    client = noted.client_for("member")
    for url in (
        reverse("feedback:pair_detail", args=[noted.pair.pk]),
        reverse("feedback:session_list", args=[noted.pair.pk]),
        reverse("feedback:session_detail", args=[noted.held.pk]),
        reverse("pairing:session_log", args=[noted.held.pk]),
        reverse("pairing:session_private_note", args=[noted.held.pk]),
    ):
        page = client.get(url).content.decode()
        assert NOTE in page, url
        assert PARTNER_NOTE not in page, url


@pytest.mark.parametrize(
    "actor",
    [
        "partner",
        "anonymous",
        "other_pair_member",
        "other_programme_admin",
        "admin",
        "hr",
        "superuser",
    ],
)
def test_nobody_else_ever_sees_the_note(noted, actor):
    if actor == "partner":
        client = Client()
        client.force_login(noted.partner.user)
        user = noted.partner.user
    else:
        client = noted.client_for(actor)
        user = noted.user_for(actor)
    tokens = [calendar_feed_create(user=noted.member.user).token]
    if user is not None:
        tokens.append(calendar_feed_create(user=user).token)
    urls = reachable_urls(noted, tokens)
    # The walk covers the workspace, the calendars and the Django admin lists.
    assert reverse("feedback:pair_detail", args=[noted.pair.pk]) in urls
    assert reverse("pairing:calendar_feed", args=[tokens[0]]) in urls
    assert reverse("admin:pairing_mentoringsession_changelist") in urls
    assert reverse("admin:feedback_reflection_changelist") in urls
    seen_ok = 0
    for url in urls:
        response = client.get(url)
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        body = raw.decode(errors="replace")
        assert NOTE not in body, f"{actor} saw the private note at {url}"
        seen_ok += response.status_code == 200
    assert seen_ok > 0
    if actor == "partner":
        # The partner's own note shows to the partner, never the member's.
        page = client.get(reverse("feedback:session_detail", args=[noted.held.pk])).content
        assert PARTNER_NOTE in page.decode()


def test_the_private_note_admin_is_not_registered(noted, superuser):
    """No admin URL exists for private notes, so no admin list could show one."""
    with pytest.raises(NoReverseMatch):
        reverse("admin:pairing_privatenote_changelist")
    assert PrivateNote.objects.filter(text=NOTE).exists()
