"""In-app notifications (mark read) and each person's per-kind preferences."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from . import registry
from .models import Delivery, NotificationPreference
from .registry import Kind

if TYPE_CHECKING:
    from mentoring.models import User


def notification_mark_read(*, user: User, delivery_id: int) -> bool:
    """Mark one of ``user``'s notifications read; False if it is not theirs (or was read)."""
    return bool(
        Delivery.objects.filter(pk=delivery_id, recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    )


def notifications_mark_all_read(*, user: User) -> int:
    return Delivery.objects.filter(
        recipient=user, status=Delivery.Status.SENT, read_at__isnull=True
    ).update(read_at=timezone.now())


# --- preferences --------------------------------------------------------------------------
def preference_set(*, user: User, kind: str, enabled: bool) -> None:
    """Switch ``kind`` on or off for ``user``; account (un-unsubscribable) kinds stay on."""
    if not registry.kind_get(kind).can_unsubscribe:
        raise ValueError(f"{kind} cannot be switched off.")
    NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"enabled": enabled}
    )


def preferences_for(user: User) -> dict[str, bool]:
    """Every registered kind's current choice for ``user`` (True = on)."""
    off = set(
        NotificationPreference.objects.filter(user=user, enabled=False).values_list(
            "kind", flat=True
        )
    )
    return {code: code not in off for code in registry.kinds()}


def scan_window(now: datetime, kind: Kind) -> tuple[datetime, datetime]:
    """``(oldest, now)``: the due times a scan of ``kind`` yields."""
    return now - timedelta(hours=kind.look_back_hours), now
