"""Small-cell suppression, primary and complementary.

**The rule.** A cell that describes fewer than ``MIN_PEOPLE`` (5) people is never shown: it
reads "fewer than 5" in charts, tables and exports. That is *primary* suppression.

**Complementary suppression.** A table's cells are tied together by sums: the cells of a
row add up to the row's total, the row totals add up to the grand total, and so on. Each
such sum is a *line*: ``total = part_1 + … + part_k``. If exactly one member of a line is
hidden and the rest are shown, subtraction gives it back. So, until nothing changes:
for every line with exactly one hidden member, also hide the smallest shown *part* of
that line (ties: the first); if no part is left to hide, hide the line's total. Every
line then has zero or at least two hidden members, and no single subtraction recovers a
hidden cell. (This is the standard "no equation with one unknown" rule; it does not
attempt the full linear-programming audit of interval disclosure.)

Pure Python: cells are any hashable keys, ``people`` maps each to how many people it
describes. The threshold and the text are the project's one rule, ``mentoring.privacy``
(the outcome pages use it too); ``MIN_PEOPLE`` and ``SUPPRESSED_TEXT`` are its names here.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from mentoring.privacy import MIN_GROUP_SIZE as MIN_PEOPLE
from mentoring.privacy import SUPPRESSED_TEXT, is_suppressed

__all__ = [
    "MIN_PEOPLE",
    "SUPPRESSED_TEXT",
    "Line",
    "is_small",
    "primary_suppressed",
    "recoverable_by_subtraction",
    "suppress",
]


@dataclass(frozen=True)
class Line:
    """``total`` is the sum of ``parts`` (all cell keys of one table)."""

    total: Hashable
    parts: tuple[Hashable, ...]


def is_small(people: int | None) -> bool:
    """True when a cell describes fewer than ``MIN_PEOPLE`` people (0 included)."""
    return is_suppressed(people)


def primary_suppressed(people: Mapping[Hashable, int | None]) -> set[Hashable]:
    return {key for key, count in people.items() if is_small(count)}


def suppress(people: Mapping[Hashable, int | None], lines: Iterable[Line] = ()) -> set[Hashable]:
    """The keys to hide: every small cell, plus the complements the ``lines`` require.

    Terminates: each pass either hides one more key or stops, and keys are finite.
    """
    lines = list(lines)
    for line in lines:
        unknown = {line.total, *line.parts} - set(people)
        if unknown:
            raise KeyError(f"line names cells with no count: {sorted(map(str, unknown))}")
    hidden = primary_suppressed(people)
    order = {key: index for index, key in enumerate(people)}
    changed = True
    while changed:
        changed = False
        for line in lines:
            members = (line.total, *line.parts)
            if sum(1 for key in members if key in hidden) != 1:
                continue
            shown_parts = [key for key in line.parts if key not in hidden]
            if shown_parts:
                victim = min(shown_parts, key=lambda key: (people[key] or 0, order[key]))
            else:
                victim = line.total
            if victim in hidden:  # a line of a hidden total and no parts: nothing to give back
                continue
            hidden.add(victim)
            changed = True
    return hidden


def recoverable_by_subtraction(
    people: Mapping[Hashable, int | None], hidden: set[Hashable], lines: Iterable[Line]
) -> set[Hashable]:
    """Hidden keys that some line gives back by one subtraction (empty when ``suppress``
    did its job). Used by the tests and as a safety check before a table is shown."""
    found = set()
    for line in lines:
        members = (line.total, *line.parts)
        missing = [key for key in members if key in hidden]
        if len(missing) == 1:
            found.add(missing[0])
    return found
