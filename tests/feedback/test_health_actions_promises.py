"""Promises of the admins' actions on a pair, tested as each person concerned.

- Admin note: "Only this programme's admins read notes: never the pair, HR viewers or other
  programmes' admins." The snooze reason: "Shown to this programme's admins next to the
  snoozed flag."
- Ending on the members' behalf: "The members are told that the programme admin ended the
  pair, not why." (tested in ``test_health_actions``, with the emails).

Each person loads every page they can reach about the pair or its programme: the pair page,
its sessions, goals and ledger, the home page and its cards, the notifications, the
programme page, pair health (list, detail, attention card).
"""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from pairing.models import MentoringSession
from tests.world import ACTORS

pytestmark = pytest.mark.django_db

NOTE = "NOTE-SENTINEL-4b2 talked to his manager"
SNOOZE_REASON = "SNOOZE-SENTINEL-77 parental leave"
ADMINS = ("admin", "superuser")


@pytest.fixture
def acted_on(world):
    """The admin left a note and snoozed a flag on ``world.pair``, through the views."""
    from feedback.models import PairMetric

    PairMetric.objects.create(pair=world.pair, stalled=True, computed_at=timezone.now())
    session = MentoringSession.objects.create(
        pair=world.pair,
        scheduled_start=timezone.now() + dt.timedelta(days=2),
        planned_minutes=60,
    )
    admin = world.client_for("admin")
    pair_id = world.pair.pk
    note = admin.post(
        reverse("feedback:pair_health_note_add", kwargs={"pair_id": pair_id}), {"text": NOTE}
    )
    snooze = admin.post(
        reverse("feedback:pair_health_snooze", kwargs={"pair_id": pair_id}),
        {"flag": "stalled", "duration": "14", "reason": SNOOZE_REASON},
    )
    assert (note.status_code, snooze.status_code) == (302, 302)
    return session


def pages(world, session) -> list[str]:
    pair_id = world.pair.pk
    return [
        "/",
        reverse("feedback:pair_detail", kwargs={"pair_id": pair_id}),
        reverse("feedback:session_list", kwargs={"pair_id": pair_id}),
        reverse("feedback:session_detail", kwargs={"session_id": session.pk}),
        reverse("feedback:goal_list", kwargs={"pair_id": pair_id}),
        reverse("feedback:ledger", kwargs={"pair_id": pair_id}),
        reverse("pairing:my_pairs"),
        reverse("pairing:home_card"),
        reverse("notifications:list"),
        f"/programmes/p/{world.programme.slug}/",
        reverse("feedback:pair_health", kwargs={"slug": world.programme.slug}),
        reverse("feedback:pair_health", kwargs={"slug": world.other_programme.slug}),
        reverse("feedback:attention"),
        reverse("feedback:programme_health_summary", kwargs={"slug": world.programme.slug}),
        reverse("feedback:pair_health_detail", kwargs={"pair_id": pair_id}),
        reverse("feedback:pair_health_nudge", kwargs={"pair_id": pair_id}),
    ]


@pytest.mark.parametrize("actor", [a for a in ACTORS if a not in ADMINS])
def test_admin_note__only_this_programmes_admins_read_notes(world, acted_on, actor):
    client = world.client_for(actor)
    reached = []
    for url in pages(world, acted_on):
        response = client.get(url)
        body = response.content.decode()
        if response.status_code == 200:
            reached.append(url)
        assert NOTE not in body, f"{actor} reads the admin note on {url}"
        assert SNOOZE_REASON not in body, f"{actor} reads the snooze reason on {url}"
    assert not [m for m in mail.outbox if NOTE in m.body or SNOOZE_REASON in m.body]
    # Each looked where they can look: the member at the pair's own pages, staff at theirs.
    must_reach = {
        "member": pages(world, acted_on)[1:6],
        "hr": ["/"],
        "other_programme_admin": [pages(world, acted_on)[11], pages(world, acted_on)[12]],
    }.get(actor, [])
    assert set(must_reach) <= set(reached), (
        f"{actor} did not reach {set(must_reach) - set(reached)}"
    )


@pytest.mark.parametrize("actor", ADMINS)
def test_admin_note__this_programmes_admins_read_it_on_the_pair_health_page(world, acted_on, actor):
    detail = reverse("feedback:pair_health_detail", kwargs={"pair_id": world.pair.pk})
    body = world.client_for(actor).get(detail).content.decode()
    assert NOTE in body and SNOOZE_REASON in body
    # Not on the pages the pair's members read, even when an admin opens them.
    for url in pages(world, acted_on)[:4]:
        assert NOTE not in world.client_for(actor).get(url).content.decode()
