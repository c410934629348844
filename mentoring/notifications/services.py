"""Plan, send and mark notifications, each mail exactly once.

**Planning** (``deliveries_plan``, beat every 5 minutes): every registered kind's ``scan``
yields what is due; rows are inserted in batches with ``ignore_conflicts`` on the unique
key ``(recipient, kind, object_key, due_at)`` (for an invitee without an account, the
address instead of the recipient), so re-planning the same reminder is a no-op.
A kind switched off for the programme, or by the person, is stored as ``skipped``: the
decision is durable, and switching it back on never sends a stale reminder late.

**Sending** (``deliveries_send_due``, beat every minute): the ids of due ``pending`` rows
are read in one indexed query (``status, due_at``); each row is then claimed on its own,
in its own transaction, with ``select_for_update(skip_locked=True)`` and the condition
``status = pending`` re-checked under the lock. The mail is handed to the mail server
*inside* that transaction, the row is marked ``sent``, then the transaction commits.

Why at-least-once with a one-row window, rather than a committed "sending" claim:

- a worker killed (SIGKILL, OOM, time limit) before the commit loses its connection, so
  PostgreSQL rolls the claim back and the row is ``pending`` again at once: the restarted
  worker (or the other one) sends it. Nothing is ever stuck "sending" with nobody to say
  whether it went out, so no due mail is lost;
- two workers never hold the same row (the lock), and a row committed ``sent`` is never
  picked again (the re-checked condition), so racing workers send one mail each;
- the only duplicate possible is a worker dying in the microseconds between the mail
  server's "250 OK" and the commit, for that one row. That message carries the same
  ``Message-ID`` (``<delivery-<id>@…>``) both times, which mail clients use to collapse
  duplicates. A committed "sending" claim would instead turn the much longer window of a
  slow SMTP conversation into a *lost* reminder, which is worse for reminders that keep a
  programme running.

On a mail-server error the row stays ``pending`` with ``attempts`` + 1 and the error; the
task retries with back-off. After ``MAX_ATTEMPTS`` the row is ``failed``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import islice
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import registry
from .emails import email_for
from .models import Delivery, NotificationPreference
from .registry import Due, Kind, RenderedMessage

if TYPE_CHECKING:
    from mentoring.models import User

logger = logging.getLogger(__name__)

#: After this many refused attempts a delivery is ``failed`` (an admin can see it).
MAX_ATTEMPTS = 5

#: One-off mail's due time when the caller gives none: a fixed instant, so the unique key
#: is (recipient, kind, object) alone.
ONE_OFF_DUE_AT = datetime(2000, 1, 1, tzinfo=UTC)


class SendError(Exception):
    """The mail server refused or could not be reached; the task retries with back-off."""


# --- planning ------------------------------------------------------------------------------
@contextmanager
def _timing_memo() -> Iterator[None]:
    """During one planning run or send batch, read each (programme, kind) setting once,
    and let kinds share what several deliveries need (``registry.memoised``)."""
    registry._memo, registry.batch_memo = {}, {}
    try:
        yield
    finally:
        registry._memo, registry.batch_memo = None, None


def _batched(items: Iterable[Due], size: int) -> Iterator[list[Due]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _plan_key(recipient_id: int | None, email: str, object_key: str, due_at: datetime) -> tuple:
    """The unique key a row is planned under: the account, else the address (lower case:
    ``delivery_once_by_email``)."""
    return (recipient_id, "" if recipient_id is not None else email.lower(), object_key, due_at)


def _plan_batch(kind: Kind, batch: list[Due], *, now: datetime) -> int:
    from mentoring.models import User

    # Dedupe inside the batch (a scan may yield the same Due twice).
    unique: dict[tuple, Due] = {}
    for due in batch:
        unique[_plan_key(due.recipient_id, due.email, due.object_key, due.due_at)] = due
    recipient_ids = {key[0] for key in unique if key[0] is not None}
    addresses = {key[1] for key in unique if key[0] is None}
    # Rows already planned: by account, and (no account) by address. An empty ``__in``
    # matches nothing, so either side may be empty.
    who = Q(recipient_id__in=recipient_ids) | Q(recipient__isnull=True, email__in=addresses)
    existing = {
        _plan_key(*row)
        for row in Delivery.objects.filter(
            who, kind=kind.code, object_key__in={due.object_key for due in unique.values()}
        ).values_list("recipient_id", "email", "object_key", "due_at")
    }
    fresh = [due for key, due in unique.items() if key not in existing]
    if not fresh:
        return 0
    emails = dict(
        User.objects.filter(
            pk__in={d.recipient_id for d in fresh if d.recipient_id is not None}, is_active=True
        ).values_list("pk", "email")
    )
    opted_out = set()
    if kind.can_unsubscribe and emails:
        opted_out = set(
            NotificationPreference.objects.filter(
                kind=kind.code, enabled=False, user_id__in=emails.keys()
            ).values_list("user_id", flat=True)
        )
    rows = []
    for due in fresh:
        if due.recipient_id is None:
            email = due.email.lower()  # no account: no preferences to switch it off
        elif due.recipient_id in emails:
            email = emails[due.recipient_id]
        else:
            continue  # account gone or deactivated
        enabled, _ = registry.timing_for(due.programme_id, kind.code)
        off = not enabled or due.recipient_id in opted_out
        rows.append(
            Delivery(
                recipient_id=due.recipient_id,
                email=email,
                kind=kind.code,
                object_key=due.object_key,
                due_at=due.due_at,
                programme_id=due.programme_id,
                context=due.context,
                status=Delivery.Status.SKIPPED if off else Delivery.Status.PENDING,
                last_error=("switched off" if off else ""),
            )
        )
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def deliveries_plan(*, now: datetime | None = None, batch_size: int = 1000) -> int:
    """Store every registered kind's due notifications; returns the rows created."""
    now = now or timezone.now()
    created = 0
    with _timing_memo():
        for kind in registry.kinds().values():
            if kind.scan is None:
                continue
            for batch in _batched(kind.scan(now), batch_size):
                created += _plan_batch(kind, batch, now=now)
    return created


# --- sending -------------------------------------------------------------------------------
def _stored_message(delivery: Delivery) -> RenderedMessage | None:
    """A one-off mail's text, stored at creation (an admin's edited nudge)."""
    stored = (delivery.context or {}).get("message")
    if not stored:
        return None
    return RenderedMessage(
        subject=stored["subject"],
        text=stored["text"],
        html=stored.get("html"),
        link=stored.get("link", ""),
    )


def _still_wanted(delivery: Delivery, kind: Kind) -> bool:
    """The setting and the person's preference, read again at send time."""
    if delivery.created_by_id is None:
        enabled, _ = registry.timing_for(delivery.programme_id, kind.code)
        if not enabled:
            return False
    if kind.can_unsubscribe and delivery.recipient_id:
        opted_out = (registry.batch_memo or {}).get(_OPTED_OUT)
        if opted_out is not None:
            return (delivery.recipient_id, kind.code) not in opted_out
        return not NotificationPreference.objects.filter(
            user_id=delivery.recipient_id, kind=kind.code, enabled=False
        ).exists()
    return True


_OPTED_OUT = ("notifications", "opted_out")


def _record_failure(delivery_id: int, error: str) -> None:
    Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING).update(
        attempts=F("attempts") + 1, last_error=error[:2000]
    )
    Delivery.objects.filter(
        pk=delivery_id, status=Delivery.Status.PENDING, attempts__gte=MAX_ATTEMPTS
    ).update(status=Delivery.Status.FAILED)


def _send_one(delivery_id: int) -> bool:
    """Claim, render, send and mark one delivery; True if a mail went out now.

    Raises ``SendError`` when the mail server refused (the row stays pending).
    """
    now = timezone.now()
    try:
        with transaction.atomic():
            delivery = (
                Delivery.objects.select_for_update(skip_locked=True)
                .filter(pk=delivery_id, status=Delivery.Status.PENDING)
                .first()
            )
            if delivery is None:
                return False  # another worker holds it, or it is no longer pending
            delivery.status = Delivery.Status.SENDING
            delivery.claimed_at = now
            kind = registry.kinds().get(delivery.kind)
            message = None
            if kind is not None and _still_wanted(delivery, kind):
                message = _stored_message(delivery)
                if message is None and kind.render is not None:
                    message = kind.render(delivery)
            if message is None or not delivery.email:
                delivery.status = Delivery.Status.SKIPPED
                delivery.last_error = "unknown kind" if kind is None else "no longer relevant"
                delivery.save(update_fields=["status", "claimed_at", "last_error"])
                return False
            # Marked sent *before* the mail goes out, in the same transaction: if the
            # server refuses, the row rolls back to pending; once it has accepted, only
            # the COMMIT is left to send, so a worker killed in between (the one moment a
            # mail could go twice) has microseconds to die in, not a database round trip.
            delivery.status = Delivery.Status.SENT
            delivery.sent_at = timezone.now()
            delivery.attempts += 1
            delivery.subject = " ".join(message.subject.split())[:200]
            delivery.link = message.link[:500]
            delivery.save(
                update_fields=["status", "claimed_at", "sent_at", "attempts", "subject", "link"]
            )
            mail = email_for(delivery, kind, message)
            try:
                mail.send()
            except Exception as exc:  # noqa: BLE001 - SMTP, DNS, TLS: all "try again later"
                raise SendError(f"{type(exc).__name__}: {exc}") from exc
            return True
    except SendError as exc:
        _record_failure(delivery_id, str(exc))
        raise


def deliveries_send_due_batch(*, limit: int = 500, now: datetime | None = None) -> tuple[int, int]:
    """One batch: ``(mails sent, due rows looked at)``. See ``deliveries_send_due``.

    What the batch's rows share is read once: the programme settings, the recipients'
    switched-off kinds, and what a kind's ``prefetch`` reads for all its rows at once (or
    ``memoised``: a session both members are reminded of). Each row is still claimed,
    sent and marked in its own transaction.
    """
    now = now or timezone.now()
    rows = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, due_at__lte=now)
        .order_by("due_at", "kind", "object_key", "pk")
        .values_list("pk", "recipient_id", "kind", "object_key")[:limit]
    )
    if not rows:
        return 0, 0
    with _timing_memo():
        registry.batch_memo[_OPTED_OUT] = set(
            NotificationPreference.objects.filter(
                enabled=False, user_id__in={r for _, r, _, _ in rows if r}
            ).values_list("user_id", "kind")
        )
        # Each kind's prefetch reads what its rows' renders need, once for the batch.
        keys_by_kind: dict[str, dict[str, None]] = {}
        for _, _, code, object_key in rows:
            keys_by_kind.setdefault(code, {})[object_key] = None  # distinct, in order
        known = registry.kinds()
        for code, keys in keys_by_kind.items():
            kind = known.get(code)
            if kind is not None and kind.prefetch is not None:
                kind.prefetch(list(keys))
        sent = sum(_send_one(pk) for pk, _, _, _ in rows)
    return sent, len(rows)


def deliveries_send_due(*, limit: int = 200, now: datetime | None = None) -> int:
    """Send up to ``limit`` due pending deliveries (one indexed query on (status, due_at)
    for their ids, then one row at a time); returns the mails sent.

    Stops at the first mail-server error (raising ``SendError``): the server is probably
    down, and the task retries the whole batch later with back-off.
    """
    return deliveries_send_due_batch(limit=limit, now=now)[0]


def delivery_send_now(
    *,
    recipient: User | None = None,
    kind: str,
    object_key: str,
    due_at: datetime | None = None,
    programme_id: int | None = None,
    context: dict | None = None,
    created_by: User | None = None,
    message: RenderedMessage | None = None,
    email: str = "",
) -> Delivery | None:
    """Create the delivery (once: the unique key) and send it now; the row if it went out
    now, None if it had already been sent (or skipped). ``message`` is stored with the row
    (an admin's edited text), else the kind renders it. ``email`` addresses someone without
    an account (``recipient`` None). Raises ``SendError`` if the mail server refused."""
    registry.kind_get(kind)  # an unknown kind fails loudly here, not at send time
    if recipient is None and not email:
        raise ValueError("A recipient or an email address is needed.")
    due_at = due_at or ONE_OFF_DUE_AT
    context = dict(context or {})
    if message is not None:
        context["message"] = {
            "subject": message.subject,
            "text": message.text,
            "html": message.html,
            "link": message.link,
        }
    lookup = {"kind": kind, "object_key": object_key, "due_at": due_at}
    if recipient is not None:
        lookup["recipient"] = recipient
    else:
        lookup.update(recipient=None, email=email.lower())
    defaults = {
        "email": (recipient.email if recipient is not None else email.lower()),
        "programme_id": programme_id,
        "context": context,
        "created_by": created_by,
    }
    try:
        with transaction.atomic():
            delivery, _ = Delivery.objects.get_or_create(**lookup, defaults=defaults)
    except IntegrityError:
        delivery = Delivery.objects.get(**lookup)
    if _send_one(delivery.pk):
        delivery.refresh_from_db()
        return delivery
    return None


# In-app and preferences: their own module, offered here too (the contract's names).
from .emails import preferences_url, unsubscribe_url  # noqa: E402, F401
from .inbox import (  # noqa: E402, F401
    notification_mark_read,
    notifications_mark_all_read,
    preference_set,
    preferences_for,
    scan_window,
)
