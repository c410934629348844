"""Per-side charts: who benefits, what each side received, survey change — by group.

Every chart here compares groups of *sides* (one participant in one pair) under one
breakdown (``breakdowns.BREAKDOWNS``); a group's cell is the mean over its sides and
describes that many distinct people.
"""

from __future__ import annotations

from collections.abc import Sequence

from .breakdowns import (
    BREAKDOWNS,
    NOT_GIVEN,
    Measure,
    SideFacts,
    breakdown_table,
)
from .contract import Chart, Column, Table
from .facts import SurveyChange
from .intervals import Mean, mean_interval
from .readings import TOO_FEW, change_reading, compare_means

KIND_LABELS = {
    "introduction": "Introductions",
    "advocacy": "Advocacy / sponsorship",
    "stretch": "Stretch assignments",
    "visibility": "Credit / visibility",
    "resource": "Resources shared",
    "feedback": "Feedback",
    "ask_fulfilled": "Fulfilled asks",
}
SURVEY_LABELS = {
    "engagement": "Engagement",
    "satisfaction": "Satisfaction with the programme",
    "confidence": "Confidence",
    "valued": "Feeling valued",
    "intent_to_stay": "Intent to stay",
}
UNGROUPED = {NOT_GIVEN, "Seniority not given", "First mentor not set", "Department not given"}


def _two_groups(table: Table) -> list[str]:
    """The first two named groups of a table (junior/senior, women/men, …)."""
    return [r.label for r in table.rows if not r.total and r.label not in UNGROUPED][:2]


def _reading(
    breakdown: str, sides: Sequence[SideFacts], table: Table, measure: str, key: str, get
) -> str:
    """Compare the first two named groups' means of one measure (``readings``)."""
    _, group_of = BREAKDOWNS[breakdown]
    names = _two_groups(table)
    if len(names) < 2:
        return f"{TOO_FEW}: fewer than two groups to compare."
    if any(table.cell(name, key).suppressed for name in names):
        return f"{TOO_FEW}: fewer than 5 people in a group."
    means = []
    for name in names:
        rows = [(s.participant_id, get(s)) for s in sides if group_of(s) == name]
        rows = [(pid, value) for pid, value in rows if value is not None]
        result = mean_interval([float(value) for _, value in rows])
        people = len({pid for pid, _ in rows})
        label = f"the {name.lower()}" if name.endswith(" side") else name.lower()
        means.append((label, Mean(result.value, people, result.low, result.high)))
    return compare_means(measure, means[0], means[1])


def benefit_chart(breakdown: str, sides: Sequence[SideFacts]) -> Chart:
    header, _ = BREAKDOWNS[breakdown]
    measures = [
        Measure(Column("benefit", "Benefit score (0–1)", kind="score"), lambda s: s.benefit_score),
        Measure(
            Column("learning", "Learning (1–5)", kind="mean", plotted=False),
            lambda s: s.learned_mean,
        ),
        Measure(
            Column("goals", "Goal progress (0–100)", kind="mean", plotted=False),
            lambda s: s.goal_progress_mean,
        ),
        Measure(
            Column("items", "Confirmed items received", kind="mean", plotted=False),
            lambda s: s.items_received,
        ),
        Measure(
            Column("outcomes", "Positive career outcomes", kind="mean", plotted=False),
            lambda s: s.outcome_count,
        ),
    ]
    table = breakdown_table(breakdown, sides, measures).build()
    return Chart(
        key="benefit",
        title=f"Per-side benefit by {header.lower()}",
        reading=_reading(
            breakdown, sides, table, "benefit score", "benefit", lambda s: s.benefit_score
        ),
        table=table,
        y_label="Mean benefit score (0–1)",
        note="Means per side. Learning and goal progress count only sides that reflected "
        "or set goals; items and outcomes are per side.",
        empty=not sides,
    )


def items_chart(breakdown: str, sides: Sequence[SideFacts]) -> Chart:
    header, _ = BREAKDOWNS[breakdown]
    measures = [
        Measure(
            Column(f"kind_{kind}", label, kind="mean"),
            lambda s, kind=kind: s.items_received_by_kind.get(kind, 0),
        )
        for kind, label in KIND_LABELS.items()
    ]
    table = breakdown_table(breakdown, sides, measures).build()
    return Chart(
        key="items",
        title=f"Confirmed ledger items received per side, by kind and {header.lower()}",
        reading=_reading(
            breakdown,
            sides,
            table,
            "the number of items received",
            "people",
            lambda s: s.items_received,
        ),
        table=table,
        y_label="Items received per side",
        empty=not sides,
    )


def ratings_chart(breakdown: str, sides: Sequence[SideFacts], *, key: str = "ratings") -> Chart:
    """What each side received from its partner, in its own reflections' words."""
    header, _ = BREAKDOWNS[breakdown]
    measures = [
        Measure(Column("challenged", "Challenged (1–5)", kind="mean"), lambda s: s.challenged_mean),
        Measure(
            Column("listened", "Listened to and affirmed (1–5)", kind="mean"),
            lambda s: s.listened_mean,
        ),
        Measure(Column("power", "Power shared (1–5)", kind="mean"), lambda s: s.power_shared_mean),
    ]
    table = breakdown_table(breakdown, sides, measures).build()
    return Chart(
        key=key,
        title=f"Ratings received from the partner, by {header.lower()}",
        reading=_reading(
            breakdown,
            sides,
            table,
            "the rating of being challenged",
            "challenged",
            lambda s: s.challenged_mean,
        ),
        table=table,
        y_label="Mean rating (1–5)",
        note="Each side's own reflection ratings: how challenged, listened to and "
        "power-sharing they found their partner.",
        empty=not sides,
    )


def survey_change_chart(
    breakdown: str, sides: Sequence[SideFacts], changes: Sequence[SurveyChange]
) -> Chart:
    """Mean change end − baseline (points on 1–5) per score, by group.

    A participant in several pairs counts once, in the group of their latest side.
    """
    header, group_of = BREAKDOWNS[breakdown]
    latest: dict[int, SideFacts] = {}
    for side in sides:
        if side.participant_id not in latest or side.pair_id > latest[side.participant_id].pair_id:
            latest[side.participant_id] = side
    both = [c for c in changes if c.participant_id in latest]
    group_sides = [latest[c.participant_id] for c in both]
    by_pid = {c.participant_id: c for c in both}

    def delta(score: str):
        def get(side: SideFacts) -> float | None:
            change = by_pid[side.participant_id]
            if score in change.baseline and score in change.end:
                return change.end[score] - change.baseline[score]
            return None

        return get

    measures = [
        Measure(Column(score, f"{label} (change)", kind="mean"), delta(score))
        for score, label in SURVEY_LABELS.items()
    ]
    table = breakdown_table(breakdown, group_sides, measures).build()
    total_people = len(group_sides)
    best = None
    for score, label in SURVEY_LABELS.items():
        values = [v for v in (delta(score)(s) for s in group_sides) if v is not None]
        result = mean_interval([float(v) for v in values])
        if result.low is not None and not result.low <= 0 <= result.high and result.n >= 5:
            if best is None or abs(result.value) > abs(best[1].value):
                best = (label, result)
    if total_people < 5:
        reading = f"{TOO_FEW}: fewer than 5 people answered both the baseline and end surveys."
    elif best is None:
        reading = f"{TOO_FEW} whether any score changed from baseline to end: every 95 % interval includes no change."
    else:
        reading = change_reading(best[0].lower(), best[1])
    return Chart(
        key="survey_change",
        title=f"Survey change, baseline to end, by {header.lower()}",
        reading=reading,
        table=table,
        y_label="Mean change (points on 1–5)",
        note="Only people who answered both the baseline and the end survey.",
        empty=not both,
    )
