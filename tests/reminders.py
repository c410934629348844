"""Driving the reminder machinery in tests: one beat pass at a chosen instant, and reading
back what went out (the delivery rows, the mails they became)."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core import mail

from mentoring.notifications.models import Delivery
from mentoring.notifications.services import deliveries_plan, deliveries_send_due


def beat(at: dt.datetime) -> None:
    """What beat does at ``at``: plan every kind's due reminders, then send the due ones."""
    with time_machine.travel(at, tick=False):
        deliveries_plan(now=at)
        deliveries_send_due(now=at, limit=10_000)


def sent(kind: str) -> list[Delivery]:
    """The deliveries of ``kind`` that went out, oldest first, with their recipients."""
    return list(
        Delivery.objects.filter(kind=kind, status=Delivery.Status.SENT)
        .select_related("recipient")
        .order_by("due_at", "pk")
    )


def mail_of(delivery: Delivery):
    """The email a delivery became (matched by its Message-ID)."""
    for message in mail.outbox:
        if message.extra_headers.get("Message-ID", "").startswith(f"<delivery-{delivery.pk}@"):
            return message
    raise AssertionError(f"No mail for delivery {delivery.pk}")


def html_of(message) -> str:
    return next(body for body, mimetype in message.alternatives if mimetype == "text/html")
