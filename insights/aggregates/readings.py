"""One-line plain-words readings of a comparison, defined precisely.

``compare_proportions`` (participants vs comparison group, Wilson 95 % intervals):

- either group describes fewer than 5 people → "Too few people to tell.";
- the two 95 % intervals overlap (``low_a <= high_b and low_b <= high_a``) → "Too few
  people to tell: …" with both figures — the data are compatible with no difference;
- otherwise the higher group is named: "… higher among participants (x %) than in the
  comparison group (y %); the 95 % intervals do not overlap." Non-overlap is a
  conservative test: a real but small difference can still read "too few to tell".

``compare_means`` does the same with the two means' 95 % normal intervals, and
``change_reading`` with one mean change's interval against 0.
"""

from __future__ import annotations

from .intervals import Mean, Proportion
from .suppression import MIN_PEOPLE

TOO_FEW = "Too few people to tell"


def _pct(value: float) -> str:
    return f"{value * 100:.0f} %"


def _range(low: float, high: float) -> str:
    return f"{low * 100:.0f}–{high * 100:.0f} %"


def overlap(low_a: float, high_a: float, low_b: float, high_b: float) -> bool:
    return low_a <= high_b and low_b <= high_a


def compare_proportions(
    measure: str, participants: Proportion, comparison: Proportion, *, comparison_name: str
) -> str:
    """``measure`` names the rate in lower case ("retention"); see the module docstring."""
    if participants.n < MIN_PEOPLE or comparison.n < MIN_PEOPLE:
        return f"{TOO_FEW}: fewer than 5 people in a group."
    a, b = participants.rate or 0.0, comparison.rate or 0.0
    figures = (
        f"participants {_pct(a)} ({_range(participants.low, participants.high)}), "
        f"{comparison_name} {_pct(b)} ({_range(comparison.low, comparison.high)})"
    )
    if overlap(participants.low, participants.high, comparison.low, comparison.high):
        return f"{TOO_FEW} a difference in {measure}: {figures}; the 95 % intervals overlap."
    higher = "higher" if a > b else "lower"
    return (
        f"{measure[:1].upper()}{measure[1:]} is {higher} among participants than in the "
        f"{comparison_name}: {figures}; the 95 % intervals do not overlap."
    )


def compare_means(measure: str, first: tuple[str, Mean], second: tuple[str, Mean]) -> str:
    """Two groups' means of ``measure`` (e.g. "learning rating"), named by their labels."""
    (name_a, a), (name_b, b) = first, second
    if a.n < MIN_PEOPLE or b.n < MIN_PEOPLE or a.value is None or b.value is None:
        return f"{TOO_FEW}: fewer than 5 people in a group."
    if a.low is None or b.low is None or overlap(a.low, a.high, b.low, b.high):
        return (
            f"{TOO_FEW} a difference in {measure} between {name_a} ({a.value:.1f}) and "
            f"{name_b} ({b.value:.1f}): the 95 % intervals overlap."
        )
    (higher, high), (lower, low) = sorted([first, second], key=lambda group: -group[1].value)
    return (
        f"{measure[:1].upper()}{measure[1:]} is higher for {higher} than for {lower} "
        f"({high.value:.1f} vs {low.value:.1f}); the 95 % intervals do not overlap."
    )


def change_reading(measure: str, change: Mean) -> str:
    """A mean change (end − baseline) of ``measure`` on a 1–5 scale."""
    if change.n < MIN_PEOPLE or change.value is None:
        return f"{TOO_FEW}: fewer than 5 people answered both surveys."
    if change.low is None or change.low <= 0 <= change.high:
        return (
            f"{TOO_FEW} whether {measure} changed: mean change {change.value:+.1f} "
            f"({change.low:+.1f} to {change.high:+.1f}) includes no change."
            if change.low is not None
            else f"{TOO_FEW} whether {measure} changed."
        )
    direction = "rose" if change.value > 0 else "fell"
    return (
        f"{measure[:1].upper()}{measure[1:]} {direction} from baseline to end by {change.value:+.1f} "
        f"points (95 % interval {change.low:+.1f} to {change.high:+.1f})."
    )
