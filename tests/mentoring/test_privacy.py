"""The one small-group rule (``mentoring.privacy``): a figure about fewer than five people
reads "fewer than 5" on every HR and outcome page (README "Outcomes and the HR dashboard").
Pure functions: no database."""

import ast
from pathlib import Path

import pytest

from feedback.selectors import outcomes as outcome_selectors
from insights.aggregates import suppression
from mentoring.privacy import MIN_GROUP_SIZE, SUPPRESSED_TEXT, count_shown, is_suppressed

ROOT = Path(__file__).resolve().parents[2]
FLOORS = ("mentoring", "programmes", "pairing", "feedback", "insights")


def test_the_rule_is_five_people_and_its_text_follows_from_it():
    assert MIN_GROUP_SIZE == 5
    assert SUPPRESSED_TEXT == "fewer than 5"


@pytest.mark.parametrize(
    ("people", "suppressed"),
    [(None, True), (0, True), (1, True), (4, True), (5, False), (6, False), (1000, False)],
)
def test_is_suppressed_below_five_only(people, suppressed):
    assert is_suppressed(people) is suppressed


@pytest.mark.parametrize(
    ("people", "shown"),
    [(None, "fewer than 5"), (0, "fewer than 5"), (4, "fewer than 5"), (5, "5"), (12, "12")],
)
def test_count_shown_is_the_number_or_fewer_than_five(people, shown):
    assert count_shown(people) == shown


def test_the_dashboard_and_the_outcome_pages_use_the_same_rule():
    """The two places that suppress small groups read this module, not copies of it."""
    assert suppression.MIN_PEOPLE is MIN_GROUP_SIZE
    assert suppression.SUPPRESSED_TEXT is SUPPRESSED_TEXT
    assert [suppression.is_small(n) for n in (None, 0, 4, 5)] == [True, True, True, False]
    assert outcome_selectors.count_shown is count_shown


def _defines_its_own_text(node: ast.AST) -> bool:
    """An assignment of "fewer than 5" (or an f-string "fewer than {…}") to a name."""
    if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
        return False
    value = node.value
    if isinstance(value, ast.Constant):
        return isinstance(value.value, str) and value.value.strip() == SUPPRESSED_TEXT
    if isinstance(value, ast.JoinedStr) and value.values:
        first = value.values[0]
        return isinstance(first, ast.Constant) and str(first.value).strip() == "fewer than"
    return False


def test_no_app_module_keeps_its_own_copy_of_the_text():
    copies = []
    for floor in FLOORS:
        for path in sorted((ROOT / floor).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if "migrations" in path.parts or name == "mentoring/privacy.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(), filename=name)):
                if _defines_its_own_text(node):
                    copies.append(f"{name}:{node.lineno}")
    assert not copies, "use mentoring.privacy.SUPPRESSED_TEXT instead:\n" + "\n".join(copies)
