"""What a pair's health page shows about the admins' actions: notes and history lines."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.timezone import localtime

from feedback.selectors.metrics import FLAGS
from pairing.models import Pair
from pairing.selectors.pair_admin import pair_history


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    who: str
    what: str


def _flag_label(key: str | None) -> str:
    return FLAGS.get(key or "", (key or "a flag",))[0]


def _describe(action: str, detail: dict) -> str:
    if action == "pairing.admin_note_added":
        return "left a note"
    if action == "pairing.flag_snoozed":
        until = parse_datetime(detail.get("until") or "")
        when = f" until {date_format(localtime(until), 'D j M Y')}" if until else ""
        return f"snoozed “{_flag_label(detail.get('flag'))}”{when}"
    if action == "pairing.flag_unsnoozed":
        return f"lifted the snooze of “{_flag_label(detail.get('flag'))}”"
    if action == "feedback.pair_nudged":
        n = detail.get("recipients", 0)
        return f"sent a nudge to {n} member{'s' if n != 1 else ''}"
    if action == "pairing.pair_ended_early":
        if detail.get("on_behalf"):
            return "ended the pair on the members' behalf"
        return "ended the pair early (a member)"
    return action


def pair_history_lines(*, pair: Pair) -> list[HistoryLine]:
    """The pair's latest admin actions in words, newest first (one query)."""
    return [
        HistoryLine(
            at=event.created_at,
            who=event.actor.display_name if event.actor else "Someone no longer here",
            what=_describe(event.action, event.detail or {}),
        )
        for event in pair_history(pair=pair)
    ]
