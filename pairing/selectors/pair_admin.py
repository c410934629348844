"""Reads for a pair's admin actions on its health page: notes, snoozed flags, history.

For pages already behind ``pairing.permissions.pair_get_for_admin``: nothing here checks
who is asking.
"""

from datetime import datetime

from django.db.models import Q, QuerySet

from pairing.models import AdminNote, FlagSnooze, Pair
from programmes.models import AuditEvent

#: The audit actions shown in a pair's "History" (what admins did about it, and its end).
PAIR_HISTORY_ACTIONS = (
    "pairing.admin_note_added",
    "pairing.flag_snoozed",
    "pairing.flag_unsnoozed",
    "pairing.pair_ended_early",
    "feedback.pair_nudged",
)
HISTORY_LENGTH = 20


def snooze_running_q(*, now: datetime, prefix: str = "") -> Q:
    """Snoozes still setting their flag aside at ``now`` (``prefix``: a path to FlagSnooze)."""
    return Q(**{f"{prefix}lifted_at__isnull": True, f"{prefix}until__gt": now})


def snoozes_running(*, now: datetime) -> QuerySet[FlagSnooze]:
    return FlagSnooze.objects.filter(snooze_running_q(now=now))


def snoozes_running_for(*, pair: Pair, now: datetime) -> dict[str, FlagSnooze]:
    """The pair's running snoozes by flag key, with who snoozed them (one query)."""
    return {
        s.flag: s for s in snoozes_running(now=now).filter(pair=pair).select_related("created_by")
    }


def admin_notes_for(*, pair: Pair) -> list[AdminNote]:
    """The pair's admin notes, newest first, with their authors (one query)."""
    return list(AdminNote.objects.filter(pair=pair).select_related("author"))


def pair_history(*, pair: Pair) -> list[AuditEvent]:
    """The latest admin actions on the pair, newest first (one query)."""
    return list(
        AuditEvent.objects.filter(
            programme_id=pair.cohort.programme_id,
            action__in=PAIR_HISTORY_ACTIONS,
            detail__pair_id=pair.pk,
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")[:HISTORY_LENGTH]
    )
