"""Programmes' side of the reminder settings: the timing provider the registry calls."""

from .reminder_models import ReminderSetting


def timing(programme_id: int, kind: str) -> tuple[bool, tuple[int, ...]] | None:
    """``(enabled, offsets)`` for the programme's setting of ``kind``, None without one.

    An empty ``offsets`` in a row means "the kind's defaults" (only on/off was changed)."""
    row = (
        ReminderSetting.objects.filter(programme_id=programme_id, kind=kind)
        .values_list("enabled", "offsets")
        .first()
    )
    if row is None:
        return None
    enabled, offsets = row
    if not offsets:
        from mentoring.notifications.registry import kinds

        known = kinds().get(kind)
        offsets = known.default_offsets if known else ()
    return enabled, tuple(int(h) for h in offsets)
