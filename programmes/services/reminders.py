"""Writes of a programme's reminder settings (``programmes.ReminderSetting``)."""

from django.db import transaction

from mentoring.models import User
from mentoring.notifications.registry import Kind, kinds
from programmes.models import Programme
from programmes.reminder_models import ReminderSetting
from programmes.services.audit import audit_record


def reminder_kinds_timed() -> list[Kind]:
    """The kinds a programme can switch (and time, when they have offsets): those planned
    by a scan."""
    return sorted(
        (k for k in kinds().values() if k.scan is not None),
        key=lambda k: (k.audience != "participant", k.label),
    )


def reminder_settings_current(*, programme: Programme) -> dict[str, tuple[bool, tuple[int, ...]]]:
    """Each timed kind's (enabled, offsets) for ``programme``: its row, else the defaults."""
    rows = {r.kind: r for r in ReminderSetting.objects.filter(programme=programme)}
    current = {}
    for kind in reminder_kinds_timed():
        row = rows.get(kind.code)
        if row is None:
            current[kind.code] = (True, tuple(kind.default_offsets))
        else:
            current[kind.code] = (row.enabled, tuple(row.offsets or kind.default_offsets))
    return current


@transaction.atomic
def reminder_settings_save(
    *, programme: Programme, by: User, settings: dict[str, tuple[bool, list[int]]]
) -> list[str]:
    """Store the settings that differ from what is in force; returns the kinds changed.

    A kind set back to exactly its defaults loses its row (missing row = defaults)."""
    known = {k.code: k for k in reminder_kinds_timed()}
    before = reminder_settings_current(programme=programme)
    changed = []
    for code, (enabled, offsets) in settings.items():
        kind = known.get(code)
        if kind is None:
            raise ValueError(f"{code} is not a reminder a programme can set.")
        offsets = sorted({int(h) for h in offsets}, reverse=True)
        if (enabled, tuple(offsets)) == (
            before[code][0],
            tuple(sorted(before[code][1], reverse=True)),
        ):
            continue
        changed.append(code)
        if enabled and tuple(offsets) == tuple(sorted(kind.default_offsets, reverse=True)):
            ReminderSetting.objects.filter(programme=programme, kind=code).delete()
        else:
            ReminderSetting.objects.update_or_create(
                programme=programme, kind=code, defaults={"enabled": enabled, "offsets": offsets}
            )
    if changed:
        audit_record(programme=programme, actor=by, action="reminders.updated", kinds=changed)
    return changed
