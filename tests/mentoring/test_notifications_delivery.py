"""The delivery table's promises: one mail per key, retries after a refused message, the
one-click unsubscribe (RFC 8058), the bell and the notifications page."""

import datetime as dt
import re
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.notifications import registry
from mentoring.notifications.models import Delivery, NotificationPreference
from mentoring.notifications.registry import Due, Kind, RenderedMessage
from mentoring.notifications.services import (
    MAX_ATTEMPTS,
    SendError,
    deliveries_plan,
    deliveries_send_due,
    delivery_send_now,
)
from tests.races import at_once

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 2, 1, 9, 0, tzinfo=dt.UTC)
TEST_KIND = "test_ping"


def _render(delivery):
    return RenderedMessage(
        subject=f"Ping {delivery.object_key}",
        text="Hello",
        html="<html><body><p>Hello</p></body></html>",
        link="https://mentoring.example/pairing/",
    )


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_BASE_URL = "https://mentoring.example"


@pytest.fixture
def ping_kind(monkeypatch):
    """The only kind registered: its scan yields one Due per user id in the list."""
    users: list[int] = []

    def scan(now):
        for user_id in users:
            yield Due(recipient_id=user_id, object_key="thing:1", due_at=NOW, programme_id=None)

    kind = Kind(code=TEST_KIND, label="Test pings", scan=scan, render=_render)
    monkeypatch.setattr(registry, "_kinds", {TEST_KIND: kind})
    return users


def test_planning_twice_stores_one_row_and_sending_twice_mails_once(world, ping_kind):
    ping_kind.append(world.member.user.pk)
    assert deliveries_plan(now=NOW) >= 1
    deliveries_plan(now=NOW)
    assert Delivery.objects.filter(kind=TEST_KIND).count() == 1
    deliveries_send_due(now=NOW)
    deliveries_send_due(now=NOW)
    pings = [m for m in mail.outbox if m.subject == "Ping thing:1"]
    assert len(pings) == 1
    assert pings[0].extra_headers["Message-ID"].startswith("<delivery-")


@pytest.mark.postgres
def test_two_senders_at_once_send_one_mail_each(world, ping_kind, transactional_db):
    """Threads with their own connections (the real-worker version: test_notifications_worker)."""
    ping_kind.extend(p.user.pk for p in (world.member, world.partner, world.other_member))
    deliveries_plan(now=NOW)
    results = at_once(lambda: deliveries_send_due(now=NOW), lambda: deliveries_send_due(now=NOW))
    assert sum(results) == 3
    pings = sorted(m.to[0] for m in mail.outbox if m.subject == "Ping thing:1")
    assert len(pings) == 3 and len(set(pings)) == 3


class DownBackend(EmailBackend):
    def send_messages(self, messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


def test_a_refused_mail_stays_pending_then_fails_after_max_attempts(world, ping_kind, settings):
    ping_kind.append(world.member.user.pk)
    deliveries_plan(now=NOW)
    settings.EMAIL_BACKEND = f"{__name__}.DownBackend"
    for attempt in range(1, MAX_ATTEMPTS + 1):
        with pytest.raises(SendError):
            deliveries_send_due(now=NOW)
        delivery = Delivery.objects.get(kind=TEST_KIND)
        assert delivery.attempts == attempt
        assert "SMTPServerDisconnected" in delivery.last_error
    assert delivery.status == Delivery.Status.FAILED


def test_a_refused_mail_is_sent_by_the_retry(world, ping_kind, settings):
    ping_kind.append(world.member.user.pk)
    deliveries_plan(now=NOW)
    settings.EMAIL_BACKEND = f"{__name__}.DownBackend"
    with pytest.raises(SendError):
        deliveries_send_due(now=NOW)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliveries_send_due(now=NOW) == 1
    assert Delivery.objects.get(kind=TEST_KIND).status == Delivery.Status.SENT


def test_send_now_sends_once_per_key_with_the_stored_text(world, ping_kind):
    message = RenderedMessage(subject="Nudge", text="Edited by the admin", html=None, link="")
    user = world.member.user
    first = delivery_send_now(
        recipient=user, kind=TEST_KIND, object_key="pair:1", message=message, created_by=world.admin
    )
    assert first is not None and first.status == Delivery.Status.SENT
    again = delivery_send_now(recipient=user, kind=TEST_KIND, object_key="pair:1", message=message)
    assert again is None
    (nudge,) = [m for m in mail.outbox if m.subject == "Nudge"]
    assert nudge.body.startswith("Edited by the admin")


def test_send_now_to_someone_without_an_account_is_keyed_by_address(ping_kind):
    message = RenderedMessage(subject="Hi", text="Hello", html=None, link="")
    for _ in range(2):
        delivery_send_now(
            email="Guest@Example.com", kind=TEST_KIND, object_key="pair:9", message=message
        )
    assert Delivery.objects.filter(email="guest@example.com").count() == 1
    assert [m.to for m in mail.outbox] == [["guest@example.com"]]


# --- RFC 8058 one-click unsubscribe -----------------------------------------------------------
def _unsubscribe_url(message) -> str:
    header = message.extra_headers["List-Unsubscribe"]
    return re.fullmatch(r"<(https://mentoring\.example(/.+))>", header).group(2)


def test_mail_carries_the_one_click_headers_and_a_footer(world, ping_kind):
    ping_kind.append(world.member.user.pk)
    deliveries_plan(now=NOW)
    deliveries_send_due(now=NOW)
    (message,) = [m for m in mail.outbox if m.subject == "Ping thing:1"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"kind={TEST_KIND}" in _unsubscribe_url(message)
    assert "https://mentoring.example/notifications/preferences/" in message.body
    html = message.alternatives[0][0]
    assert 'href="https://mentoring.example/notifications/preferences/"' in html


def test_one_click_post_without_csrf_switches_the_kind_off(world, ping_kind):
    ping_kind.append(world.member.user.pk)
    deliveries_plan(now=NOW)
    deliveries_send_due(now=NOW)
    (message,) = [m for m in mail.outbox if m.subject == "Ping thing:1"]
    url = _unsubscribe_url(message)
    client = Client(enforce_csrf_checks=True)  # a mail client: no session, no CSRF token
    # GET shows a confirmation and changes nothing (link scanners follow links).
    page = client.get(url)
    assert page.status_code == 200 and b"Stop these emails?" in page.content
    assert not NotificationPreference.objects.exists()
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert b"You are unsubscribed" in response.content
    pref = NotificationPreference.objects.get(user=world.member.user, kind=TEST_KIND)
    assert pref.enabled is False


def test_a_wrong_or_foreign_token_is_404(world, ping_kind):
    client = Client(enforce_csrf_checks=True)
    bad = reverse("notifications:unsubscribe", kwargs={"token": "not-a-token"})
    assert client.post(f"{bad}?kind={TEST_KIND}").status_code == 404
    assert client.get(f"{bad}?kind={TEST_KIND}").status_code == 404
    # A real token, but a kind that cannot be switched off, or no kind: 404 as well.
    from mentoring.notifications.tokens import unsubscribe_token

    good = reverse(
        "notifications:unsubscribe", kwargs={"token": unsubscribe_token(world.member.user.pk)}
    )
    assert client.post(f"{good}?kind=pair_published").status_code == 404
    assert client.post(good).status_code == 404
    assert not NotificationPreference.objects.exists()


def test_the_preferences_page_switches_kinds_and_lists_what_cannot_be(world):
    client = world.client_for("member")
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Upcoming session reminders" in text
    assert "cannot be switched off" in text and "you have been paired" in text
    assert 'name="kind_pair_published"' not in text
    response = client.post(reverse("notifications:preferences"), {})  # every box unticked
    assert response.status_code == 302
    assert (
        NotificationPreference.objects.get(user=world.member.user, kind="session_upcoming").enabled
        is False
    )
    assert not NotificationPreference.objects.filter(kind="pair_published").exists()
    client.post(reverse("notifications:preferences"), {"kind_session_upcoming": "on"})
    assert (
        NotificationPreference.objects.get(user=world.member.user, kind="session_upcoming").enabled
        is True
    )


# --- the bell and the notifications page -----------------------------------------------------
def _sent_to(user, n: int, *, read: bool = False) -> list[Delivery]:
    now = timezone.now()
    return [
        Delivery.objects.create(
            recipient=user,
            email=user.email,
            kind="session_upcoming",
            object_key=f"session:{i}",
            due_at=now - dt.timedelta(minutes=i),
            status=Delivery.Status.SENT,
            sent_at=now - dt.timedelta(minutes=i),
            read_at=now if read else None,
            subject=f"Reminder {i}",
            link=f"https://mentoring.example/pairing/sessions/{i}/",
        )
        for i in range(n)
    ]


def test_the_bell_counts_unread_notifications_with_one_query(world):
    _sent_to(world.member.user, 3)
    _sent_to(world.member.user, 2, read=True)
    Delivery.objects.create(
        recipient=world.member.user, kind="session_upcoming", object_key="x", due_at=NOW
    )  # pending: not a notification yet
    client = world.client_for("member")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("notifications:preferences"))
    text = page.content.decode()
    assert 'aria-label="Notifications, 3 unread"' in text
    bell_queries = [q for q in queries if "mentoring_delivery" in q["sql"]]
    assert len(bell_queries) == 1
    # The partner sees none of them.
    other = world.client_for("other_pair_member").get(reverse("notifications:preferences"))
    assert 'aria-label="Notifications"' in other.content.decode()


def test_the_list_marks_read_and_follows_the_link(world):
    (first, second) = _sent_to(world.member.user, 2)
    client = world.client_for("member")
    page = client.get(reverse("notifications:list"))
    assert "Reminder 0" in page.content.decode() and "Reminder 1" in page.content.decode()
    response = client.post(
        reverse("notifications:read", kwargs={"delivery_id": first.pk}), {"next": first.link}
    )
    assert response.status_code == 302 and response["Location"] == "/pairing/sessions/0/"
    first.refresh_from_db()
    assert first.read_at is not None
    # An offsite "next" is never followed.
    response = client.post(
        reverse("notifications:read", kwargs={"delivery_id": second.pk}),
        {"next": "https://evil.example//evil.example/x"},
    )
    assert response["Location"] == reverse("notifications:list")
    client.post(reverse("notifications:read_all"))
    assert not Delivery.objects.filter(recipient=world.member.user, read_at__isnull=True).exists()


def test_someone_elses_notification_is_404(world):
    (theirs,) = _sent_to(world.partner.user, 1)
    client = world.client_for("member")
    url = reverse("notifications:read", kwargs={"delivery_id": theirs.pk})
    assert client.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_list_is_paginated(world):
    _sent_to(world.member.user, 25)
    client = world.client_for("member")
    first = client.get(reverse("notifications:list")).content.decode()
    assert first.count('data-testid="notification"') == 20
    second = client.get(reverse("notifications:list") + "?page=2").content.decode()
    assert second.count('data-testid="notification"') == 5
