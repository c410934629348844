"""The dashboard's arithmetic: pure functions on plain values, no models, queries or
settings (like ``pairing.engine``); the one outside rule it reads is the group-size
threshold of ``mentoring.privacy``, itself a pure module.

- ``suppression``: fewer than 5 people → "fewer than 5", with complementary suppression;
- ``intervals``: Wilson 95 % intervals for proportions, normal intervals for means;
- ``readings``: the one-line plain-words reading of a comparison;
- ``contract``: :class:`Chart` / :class:`Table` / :class:`Cell`, rendered as Chart.js data,
  an accessible table and a CSV of exactly the cells shown;
- ``breakdowns``: the groups a side of a pair falls in (junior/senior, gender, …).
"""

from .contract import Cell, Chart, Column, Row, Table, TableInput, Value
from .intervals import Mean, Proportion, mean_interval, wilson
from .readings import TOO_FEW, change_reading, compare_means, compare_proportions
from .suppression import MIN_PEOPLE, SUPPRESSED_TEXT, Line, recoverable_by_subtraction, suppress

__all__ = [
    "MIN_PEOPLE",
    "SUPPRESSED_TEXT",
    "TOO_FEW",
    "Cell",
    "Chart",
    "Column",
    "Line",
    "Mean",
    "Proportion",
    "Row",
    "Table",
    "TableInput",
    "Value",
    "change_reading",
    "compare_means",
    "compare_proportions",
    "mean_interval",
    "recoverable_by_subtraction",
    "suppress",
    "wilson",
]
