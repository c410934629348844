"""Retention and promotion of participants against the organisation's comparison group.

Participants: everyone in scope who was paired. Retained = no "left" event in the
period; promoted = at least one promotion in the period. The comparison group's rates
come from the imported organisation-wide counts for the same period:
retention = 1 − Σ leavers / Σ headcount, promotion = Σ promotions / Σ headcount.
Both with Wilson 95 % intervals, and the reading of ``readings.compare_proportions``.
"""

from __future__ import annotations

from collections.abc import Sequence

from .contract import Chart, Column, TableInput, Value
from .facts import ComparisonTotals, OutcomePerson
from .intervals import wilson
from .readings import compare_proportions

COMPARISON_NAME = "comparison group"


def _rate_chart(
    *,
    key: str,
    title: str,
    measure: str,
    column: str,
    participants: tuple[int, int],
    organisation: tuple[int, int],
    period: str,
) -> Chart:
    mine = wilson(*participants)
    org = wilson(*organisation)
    table = TableInput(
        row_header="Group",
        columns=[
            Column("people", "People", plotted=False),
            Column("rate", f"{column} (95 % interval)", kind="percent"),
        ],
    )
    table.add(
        "Participants",
        {"people": Value(mine.n, mine.n), "rate": Value(mine.rate, mine.n, mine.low, mine.high)},
    )
    table.add(
        "Comparison group (organisation)",
        {"people": Value(org.n, org.n), "rate": Value(org.rate, org.n, org.low, org.high)},
    )
    return Chart(
        key=key,
        title=title,
        reading=compare_proportions(measure, mine, org, comparison_name=COMPARISON_NAME),
        table=table.build(),
        y_label=f"{column} (percent)",
        note=period,
        empty=not mine.n and not org.n,
    )


def retention_chart(
    people: Sequence[OutcomePerson], comparison: ComparisonTotals, *, period: str
) -> Chart:
    stayed = sum(1 for p in people if not p.left)
    org_stayed = max(0, comparison.headcount - comparison.leavers)
    return _rate_chart(
        key="retention",
        title="Retention: participants and the comparison group",
        measure="retention",
        column="Stayed",
        participants=(stayed, len(people)),
        organisation=(org_stayed, comparison.headcount),
        period=period,
    )


def promotion_chart(
    people: Sequence[OutcomePerson], comparison: ComparisonTotals, *, period: str
) -> Chart:
    promoted = sum(1 for p in people if p.promoted)
    return _rate_chart(
        key="promotion",
        title="Promotion: participants and the comparison group",
        measure="the promotion rate",
        column="Promoted",
        participants=(promoted, len(people)),
        organisation=(min(comparison.promotions, comparison.headcount), comparison.headcount),
        period=period,
    )
