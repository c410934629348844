"""The one small-group rule of every HR and outcome page (README "Outcomes and the HR
dashboard"): a figure about fewer than ``MIN_GROUP_SIZE`` people is never shown; it reads
``SUPPRESSED_TEXT`` instead.

Pure Python, no Django, on the lowest floor so that every app can use the same rule:
``insights.aggregates.suppression`` (tables and charts, with complementary suppression on
top) and ``feedback.selectors.outcomes`` (the outcome summary's counts).
"""

from __future__ import annotations

MIN_GROUP_SIZE = 5
SUPPRESSED_TEXT = f"fewer than {MIN_GROUP_SIZE}"


def is_suppressed(people: int | None) -> bool:
    """True when a figure describes fewer than ``MIN_GROUP_SIZE`` people (0 included); an
    unknown count (``None``) is suppressed too."""
    return people is None or people < MIN_GROUP_SIZE


def count_shown(people: int | None) -> str:
    """``people`` as a page says it: the number, or "fewer than 5"."""
    return SUPPRESSED_TEXT if is_suppressed(people) else str(people)
