"""Reads for the in-app notifications: the bell's count and the notifications page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from .models import Delivery

if TYPE_CHECKING:
    from mentoring.models import User


def notifications_for(user: User) -> QuerySet[Delivery]:
    """``user``'s notifications, newest first: what was sent to them (in-app = the mail)."""
    return (
        Delivery.objects.filter(recipient=user, status=Delivery.Status.SENT)
        .only("pk", "kind", "subject", "link", "sent_at", "read_at")
        .order_by("-sent_at", "-pk")
    )


def notifications_unread_count(user: User) -> int:
    """One indexed query (recipient, read_at)."""
    return Delivery.objects.filter(
        recipient=user, read_at__isnull=True, status=Delivery.Status.SENT
    ).count()
