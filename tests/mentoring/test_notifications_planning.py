"""Planning and sending in batches: a Due to an address without an account (an invitee),
and a send batch that reads what its rows share once (a kind's ``prefetch``), so its
queries grow with the mails only by each row's own claim and mark."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentoring.notifications import registry
from mentoring.notifications.models import Delivery
from mentoring.notifications.registry import Due, Kind, RenderedMessage
from mentoring.notifications.services import deliveries_plan, deliveries_send_due_batch
from pairing.management.commands.bench_reminders import bench_build
from pairing.models import MentoringSession

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 2, 1, 9, 0, tzinfo=dt.UTC)
TEST_KIND = "test_guest_ping"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_BASE_URL = "https://mentoring.example"


def _render(delivery):
    return RenderedMessage(subject=f"Ping {delivery.object_key}", text="Hello", html=None, link="")


@pytest.fixture
def guest_kind(monkeypatch):
    """The only kind registered: its scan yields the Dues in the list."""
    dues: list[Due] = []
    kind = Kind(code=TEST_KIND, label="Guest pings", scan=lambda now: iter(dues), render=_render)
    monkeypatch.setattr(registry, "_kinds", {TEST_KIND: kind})
    return dues


# --- a Due without an account -------------------------------------------------------------
def test_a_recipientless_due_planned_twice_is_one_row_to_its_address(guest_kind):
    due = Due(recipient_id=None, email="Guest@Example.com", object_key="invitation:7", due_at=NOW)
    guest_kind.extend([due, due])  # twice in one scan, too
    assert deliveries_plan(now=NOW) == 1
    assert deliveries_plan(now=NOW) == 0
    (row,) = Delivery.objects.filter(kind=TEST_KIND)
    assert row.recipient_id is None
    assert row.email == "guest@example.com"
    assert row.status == Delivery.Status.PENDING
    assert deliveries_send_due_batch(now=NOW) == (1, 1)
    (message,) = mail.outbox
    assert message.to == ["guest@example.com"]
    # No account, no preferences: no one-click unsubscribe to offer.
    assert "List-Unsubscribe" not in message.extra_headers


def test_an_address_and_an_account_with_the_same_key_are_two_rows(guest_kind, make_user):
    user = make_user(email="member@example.com")
    guest_kind.extend(
        [
            Due(recipient_id=None, email="guest@example.com", object_key="thing:1", due_at=NOW),
            Due(recipient_id=None, email="other@example.com", object_key="thing:1", due_at=NOW),
            Due(recipient_id=user.pk, object_key="thing:1", due_at=NOW),
        ]
    )
    assert deliveries_plan(now=NOW) == 3
    assert deliveries_plan(now=NOW) == 0
    rows = Delivery.objects.filter(kind=TEST_KIND).order_by("email")
    assert [(r.recipient_id, r.email) for r in rows] == [
        (None, "guest@example.com"),
        (user.pk, "member@example.com"),
        (None, "other@example.com"),
    ]


def test_a_due_with_neither_recipient_nor_email_is_refused():
    with pytest.raises(ValueError, match="needs a recipient_id or an email"):
        Due(recipient_id=None, object_key="invitation:7", due_at=NOW)
    with pytest.raises(ValueError, match="needs a recipient_id or an email"):
        Due(recipient_id=None, email="", object_key="invitation:7", due_at=NOW)


# --- a send batch reads shared rows once --------------------------------------------------
def _send_batch(pairs: int, *, held_ago: dt.timedelta | None = None) -> tuple[int, list[str]]:
    """Build ``pairs`` pairs each with a session in 12 hours (or, with ``held_ago``, that
    long ago and not logged), plan, then send one batch: ``(mails sent, the batch's SQL)``."""
    programme = bench_build(due=2 * pairs)
    if held_ago is not None:
        MentoringSession.objects.filter(pair__cohort__programme=programme).update(
            scheduled_start=timezone.now() - held_ago
        )
    deliveries_plan(now=timezone.now())
    mail.outbox = []
    with CaptureQueriesContext(connection) as queries:
        sent, claimed = deliveries_send_due_batch(limit=1000)
    assert sent == claimed == 2 * pairs
    assert len(mail.outbox) == 2 * pairs
    if held_ago is None:
        assert {m.subject.split(" in ")[0] for m in mail.outbox} == {
            f"Mentoring session with P{i}" for i in range(2 * pairs)
        }
    else:
        assert all(m.subject.startswith("Log your session of") for m in mail.outbox)
    return sent, [q["sql"] for q in queries]


def _per_row(sql: str) -> bool:
    """The batch's read of its rows, then each row's own claim and mark (in the savepoint
    of its transaction: the test runs inside one)."""
    return "mentoring_delivery" in sql or "SAVEPOINT" in sql


def test_a_send_batch_of_upcoming_sessions_reads_them_in_constant_queries():
    small_sent, small = _send_batch(4)
    large_sent, large = _send_batch(12)
    assert (small_sent, large_sent) == (8, 24)
    assert MentoringSession.objects.count() == 16
    shared = [q for q in small if not _per_row(q)]
    # What the mails share (settings, opt-outs, sessions, seats): the same at both sizes,
    # with one query for all the sessions and one for all their seats.
    assert len(shared) == len([q for q in large if not _per_row(q)])
    assert sum("pairing_mentoringsession" in q for q in shared) == 1
    assert sum("pairing_pairmember" in q for q in shared) == 1
    # Per mail only its own savepoint, claim, mark and release: no per-session read.
    for sent, sql in ((small_sent, small), (large_sent, large)):
        assert len([q for q in sql if _per_row(q)]) == 1 + 4 * sent
    assert len(large) - len(small) == 4 * (large_sent - small_sent)


def test_a_send_batch_of_log_reminders_reads_the_sessions_and_seats_once():
    small_sent, small = _send_batch(4, held_ago=dt.timedelta(hours=25))
    large_sent, large = _send_batch(12, held_ago=dt.timedelta(hours=25))
    shared = [q for q in small if not _per_row(q)]
    assert len(shared) == len([q for q in large if not _per_row(q)])
    assert sum("pairing_mentoringsession" in q for q in shared) == 1
    assert sum("pairing_pairmember" in q for q in shared) == 1
    assert len(large) - len(small) == 4 * (large_sent - small_sent)
