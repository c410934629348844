"""The groups a side of a pair falls in, and per-group tables of per-side figures.

A *side* is one participant in one pair. Demographic groups use only values given with
consent: the selector passes ``gender=""`` and ``birth_year=None`` for anyone without
``demographics_consent``, and they land in "Not given or no consent".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .contract import Column, TableInput, Value
from .intervals import mean_interval

NOT_GIVEN = "Not given or no consent"
ALL_SIDES = "All sides"

GENDER_LABELS = {
    "woman": "Women",
    "man": "Men",
    "non_binary": "Non-binary",
    "self_describe": "Self-described",
}


@dataclass(frozen=True)
class SideFacts:
    """One side's stored figures (feedback's ``SideMetric``) and the groups it is in."""

    participant_id: int
    pair_id: int
    seniority: int | None = None
    partner_seniority: int | None = None  # the most senior other member of the pair
    mentored_first: bool | None = None  # None: the pair has no first mentor recorded
    gender: str = ""  # consented value or ""
    birth_year: int | None = None  # consented value or None
    department: str = ""
    learned_mean: float | None = None  # 1–5
    challenged_mean: float | None = None  # 1–5, this side's own "I was challenged"
    listened_mean: float | None = None
    power_shared_mean: float | None = None
    goal_progress_mean: float | None = None  # 0–100
    items_received: int = 0
    items_received_by_kind: dict[str, int] = field(default_factory=dict)
    outcome_count: int = 0
    benefit_score: float = 0.0  # 0–1


def by_seniority(side: SideFacts) -> str:
    """Junior side: less senior than every other member of the pair."""
    if side.seniority is None or side.partner_seniority is None:
        return "Seniority not given"
    if side.seniority < side.partner_seniority:
        return "Junior side"
    if side.seniority > side.partner_seniority:
        return "Senior side"
    return "Same level"


def by_first_role(side: SideFacts) -> str:
    if side.mentored_first is None:
        return "First mentor not set"
    return "Mentor first" if side.mentored_first else "Mentee first"


def by_gender(side: SideFacts) -> str:
    return GENDER_LABELS.get(side.gender, NOT_GIVEN)


def generation(birth_year: int | None) -> str:
    if birth_year is None:
        return NOT_GIVEN
    if birth_year < 1965:
        return "Born before 1965"
    if birth_year <= 1980:
        return "Born 1965–1980"
    if birth_year <= 1996:
        return "Born 1981–1996"
    return "Born 1997 or later"


def by_generation(side: SideFacts) -> str:
    return generation(side.birth_year)


def by_department(side: SideFacts) -> str:
    return side.department.strip() or "Department not given"


BREAKDOWNS: dict[str, tuple[str, Callable[[SideFacts], str]]] = {
    "seniority": ("Side (by seniority)", by_seniority),
    "first_role": ("First role", by_first_role),
    "gender": ("Gender", by_gender),
    "generation": ("Generation", by_generation),
    "department": ("Department", by_department),
}

# Fixed row orders, so charts compare like with like across programmes.
ORDER = {
    "seniority": ["Junior side", "Senior side", "Same level", "Seniority not given"],
    "first_role": ["Mentor first", "Mentee first", "First mentor not set"],
    "gender": [*GENDER_LABELS.values(), NOT_GIVEN],
    "generation": [
        "Born before 1965",
        "Born 1965–1980",
        "Born 1981–1996",
        "Born 1997 or later",
        NOT_GIVEN,
    ],
}


@dataclass(frozen=True)
class Measure:
    """A per-side figure averaged over a group: ``get`` returns None when a side has none."""

    column: Column
    get: Callable[[SideFacts], float | None]


def group_labels(breakdown: str, sides: Sequence[SideFacts]) -> list[str]:
    _, group_of = BREAKDOWNS[breakdown]
    present = {group_of(side) for side in sides}
    order = ORDER.get(breakdown)
    if order:
        return [label for label in order if label in present]
    return sorted(present)


def breakdown_table(
    breakdown: str, sides: Sequence[SideFacts], measures: Sequence[Measure]
) -> TableInput:
    """One row per group and an "All sides" total row; each cell the mean of a measure
    over the group's sides that have it, describing that many distinct people.

    Each measure is read once per side; the groups are lists of positions into those
    readings (in the sides' order, so every sum adds the same numbers in the same order).
    """
    header, group_of = BREAKDOWNS[breakdown]
    columns = [Column("people", "People", kind="count", plotted=False)]
    columns += [m.column for m in measures]
    table = TableInput(row_header=header, columns=columns, partition=True)
    groups: dict[str, list[int]] = {label: [] for label in group_labels(breakdown, sides)}
    for position, side in enumerate(sides):
        groups[group_of(side)].append(position)
    rows = [*groups.items(), (ALL_SIDES, range(len(sides)))]
    pids = [side.participant_id for side in sides]
    cells: list[dict[str, Value]] = []
    for _, positions in rows:
        people = len({pids[i] for i in positions})
        cells.append({"people": Value(people, people)})
    for measure in measures:
        readings = [measure.get(side) for side in sides]
        for (_, positions), values in zip(rows, cells, strict=True):
            present = [i for i in positions if readings[i] is not None]
            result = mean_interval([float(readings[i]) for i in present])
            values[measure.column.key] = Value(result.value, len({pids[i] for i in present}))
    for (label, _), values in zip(rows, cells, strict=True):
        table.add(label, values, total=label == ALL_SIDES)
    return table
