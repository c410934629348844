"""A member's own balance card on the pair page, read from the stored metrics.

Nothing here computes a metric (``feedback.services.metrics`` stores them); two queries.
Hours and item counts are different units, so the card draws two small charts (hours as
mentor and as mentee; confirmed items received), each with a sentence for screen readers,
and one data table with every figure (``templates/feedback/_pair_balance.html``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery

from feedback.models import PairMetric, SideMetric
from pairing.models import Pair, PairMember
from programmes.models import Participant


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _hours(minutes: int) -> float:
    """Minutes as hours, to one decimal (what the chart and the table show)."""
    return round(minutes / 60, 1)


def _hours_text(hours: float) -> str:
    return f"{hours:g} hour" if hours == 1 else f"{hours:g} hours"


def pair_balance(*, pair: Pair, viewer: Participant) -> dict[str, Any] | None:
    """The viewer's side against their partner(s), from stored metrics (two queries).

    ``None`` until the metrics show a held session: the template then says the balance
    appears after the first logged session. ``viewer`` must be a member of ``pair``
    (callers get both from ``pairing.permissions.pair_get_for_member``).
    """
    metric = PairMetric.objects.filter(pair=pair).only("sessions_held", "computed_at").first()
    if metric is None or metric.sessions_held == 0:
        return None
    sides = list(
        SideMetric.objects.filter(pair=pair)
        .select_related("participant")
        .annotate(
            position=Subquery(
                PairMember.objects.filter(
                    pair_id=OuterRef("pair_id"), participant_id=OuterRef("participant_id")
                ).values("position")[:1]
            )
        )
        .only(
            "participant_id",
            "participant__first_name",
            "participant__last_name",
            "participant__email",
            "sessions_as_mentor",
            "minutes_as_mentor",
            "minutes_as_mentee",
            "items_received",
        )
        .order_by("participant_id")
    )
    mine = next((s for s in sides if s.participant_id == viewer.pk), None)
    if mine is None:
        return None
    partners = [s for s in sides if s.participant_id != viewer.pk]
    partner_items = sum(s.items_received for s in partners)
    whose = "your partner" if len(partners) == 1 else "your partners"
    sentence = (
        f"You have mentored {mine.sessions_as_mentor} of "
        f"{_plural(metric.sessions_held, 'session')}; you received "
        f"{_plural(mine.items_received, 'confirmed item')}, {whose} {partner_items}."
    )
    columns = [("You", mine)] + [
        (s.participant.first_name or s.participant.display_name, s) for s in partners
    ]
    rows = [
        {
            "label": label,
            "position": s.position or 0,
            "minutes_as_mentor": s.minutes_as_mentor,
            "minutes_as_mentee": s.minutes_as_mentee,
            "hours_as_mentor": _hours(s.minutes_as_mentor),
            "hours_as_mentee": _hours(s.minutes_as_mentee),
            "items_received": s.items_received,
        }
        for label, s in columns
    ]
    # What each chart shows, in words: its accessible name (the canvas is an image).
    hours_label = "Hours as mentor and as mentee: " + "; ".join(
        f"{row['label']} {_hours_text(row['hours_as_mentor'])} as mentor, "
        f"{_hours_text(row['hours_as_mentee'])} as mentee"
        for row in rows
    )
    items_label = "Confirmed items received: " + "; ".join(
        f"{row['label']} {row['items_received']}" for row in rows
    )
    return {
        "sentence": sentence,
        "hours_label": hours_label,
        "items_label": items_label,
        "computed_at": metric.computed_at,
        "sessions_held": metric.sessions_held,
        "labels": [label for label, _ in columns],
        "minutes_as_mentor": [s.minutes_as_mentor for _, s in columns],
        "minutes_as_mentee": [s.minutes_as_mentee for _, s in columns],
        "items_received": [s.items_received for _, s in columns],
        "rows": rows,
    }
