"""``{% reminder_promises programme as promises %}``: what the platform will send a paired
participant of ``programme``, in words, from the kinds registered and the programme's
reminder settings (switched-off kinds are left out). One query.

Used wherever the product promises reminders (the participant's programme page, the
"you have been paired" email), so the promise names exactly what is sent.
"""

from django import template

from mentoring.notifications.registry import kinds
from programmes.models import Programme
from programmes.reminder_models import ReminderSetting

register = template.Library()

# kind -> how the promise reads, given the offsets in words ("24 hours and 1 hour").
PROMISES = {
    "session_upcoming": "a reminder {when} before each session, naming whose turn it is to mentor",
    "session_log": "a reminder to log a session {when} after it, if nobody has",
    "reflect": "a reminder to reflect {when} after a session is logged, if you have not",
    "inactivity": "a nudge to propose a time when you have not met for {when}",
    "ledger_unconfirmed": "a reminder {when} after your partner records something they "
    "did for you, if you have not confirmed it yet",
}


def hours_text(hours: int) -> str:
    """72 -> "3 days", 24 -> "24 hours", 1 -> "1 hour"."""
    if hours >= 48 and hours % 24 == 0:
        return f"{hours // 24} days"
    return f"{hours} hour{'s' if hours != 1 else ''}"


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


@register.simple_tag
def reminder_promises(programme: Programme) -> list[str]:
    registered = kinds()
    settings = {row.kind: row for row in ReminderSetting.objects.filter(programme_id=programme.pk)}
    promises = []
    for code, text in PROMISES.items():
        kind = registered.get(code)
        row = settings.get(code)
        if kind is None or (row is not None and not row.enabled):
            continue
        offsets = tuple(row.offsets) if row is not None and row.offsets else kind.default_offsets
        if not offsets and code == "inactivity":
            offsets = (round(programme.cadence_days * 36),)  # 1.5 × the cadence
        if not offsets:
            continue
        # "24 hours and 1 hour before", "24 hours and 3 days after": the first one first.
        ordered = sorted(offsets, reverse=code == "session_upcoming")
        promises.append(text.format(when=_joined([hours_text(h) for h in ordered])))
    return promises
