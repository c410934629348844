"""What a dashboard chart is: a table of cells, drawn as a chart, a <table> and a CSV.

A view never formats a figure itself: it renders a :class:`Chart`'s ``table`` as an
accessible table, passes ``chartjs()`` to the page as JSON, and serves ``csv_text()``
for the download. The three come from the same cells, so a suppressed cell reads
"fewer than 5" in all three and the CSV holds exactly what the table shows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .suppression import SUPPRESSED_TEXT, Line, suppress

# How a column's values read. "count": whole number; "mean": one decimal (ratings 1–5,
# sessions); "score": two decimals (0–1 indices); "percent": a proportion 0–1 shown as
# a whole percent with its 95 % interval; "days": whole days.
KINDS = ("count", "mean", "score", "percent", "days")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "count"
    plotted: bool = True

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclass(frozen=True)
class Value:
    """One figure before suppression: ``people`` is how many people it describes."""

    value: float | None
    people: int | None
    low: float | None = None  # 95 % interval, percent columns only (0–1)
    high: float | None = None


@dataclass(frozen=True)
class Cell:
    value: float | None  # None when suppressed or empty
    text: str
    suppressed: bool = False


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    total: bool = False


@dataclass(frozen=True)
class Table:
    row_header: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    @property
    def suppressed_count(self) -> int:
        return sum(cell.suppressed for row in self.rows for cell in row.cells)

    def cell(self, row_label: str, column_key: str) -> Cell:
        index = [c.key for c in self.columns].index(column_key)
        for row in self.rows:
            if row.label == row_label:
                return row.cells[index]
        raise KeyError(row_label)


@dataclass(frozen=True)
class Chart:
    """A chart of the dashboard. ``kind``: "bar", "hbar" (horizontal bars) or "line"."""

    key: str
    title: str
    reading: str
    table: Table
    kind: str = "bar"
    y_label: str = ""
    note: str = ""
    empty: bool = False

    def chartjs(self) -> dict:
        """Chart.js data: plotted columns as datasets over the non-total rows.

        A suppressed cell is ``null`` in ``data`` and "fewer than 5" in ``texts``.
        """
        rows = [row for row in self.table.rows if not row.total]
        datasets = []
        for index, column in enumerate(self.table.columns):
            if not column.plotted:
                continue
            cells = [row.cells[index] for row in rows]
            scale = 100 if column.kind == "percent" else 1
            datasets.append(
                {
                    "label": column.label,
                    "data": [None if c.value is None else round(c.value * scale, 3) for c in cells],
                    "texts": [c.text for c in cells],
                }
            )
        return {
            "key": self.key,
            "type": self.kind,
            "title": self.title,
            "yLabel": self.y_label,
            "labels": [row.label for row in rows],
            "datasets": datasets,
        }

    def csv_rows(self) -> list[list[str]]:
        header = [self.table.row_header, *(c.label for c in self.table.columns)]
        body = [[row.label, *(cell.text for cell in row.cells)] for row in self.table.rows]
        return [header, *body]

    def csv_text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for row in self.csv_rows():
            # A label starting with = + - @ would run as a formula in a spreadsheet.
            writer.writerow([_spreadsheet_safe(text) for text in row])
        return out.getvalue()


def _spreadsheet_safe(text: str) -> str:
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def format_value(value: Value, kind: str) -> str:
    if value.value is None:
        return "no data"
    if kind == "count":
        return f"{int(value.value)}"
    if kind == "days":
        return f"{value.value:.0f}"
    if kind == "mean":
        return f"{value.value:.1f}"
    if kind == "score":
        return f"{value.value:.2f}"
    text = f"{value.value * 100:.0f} %"
    if value.low is not None and value.high is not None:
        text += f" ({value.low * 100:.0f}–{value.high * 100:.0f} %)"
    return text


@dataclass
class TableInput:
    """Rows of :class:`Value` by column key, and how the cells add up.

    ``partition``: the non-total rows split the total row's people between them (every
    column then has a line: total row = sum of the other rows; counts add up, and for a
    mean the group sizes do). ``row_total``: for count tables, the column that is the sum
    of ``row_parts`` in every row.
    """

    row_header: str
    columns: Sequence[Column]
    rows: list[tuple[str, Mapping[str, Value], bool]] = field(default_factory=list)
    partition: bool = False
    row_total: str | None = None
    row_parts: Sequence[str] = ()
    # Extra lines, as ((row label, column key) total, [(row label, column key), ...]).
    extra_lines: list[tuple[tuple[str, str], list[tuple[str, str]]]] = field(default_factory=list)

    def add(self, label: str, values: Mapping[str, Value], *, total: bool = False) -> None:
        self.rows.append((label, values, total))

    def lines(self) -> list[Line]:
        lines = []
        totals = [label for label, _, total in self.rows if total]
        groups = [label for label, _, total in self.rows if not total]
        if self.partition and len(totals) == 1:
            for column in self.columns:
                lines.append(
                    Line(
                        total=(totals[0], column.key),
                        parts=tuple((g, column.key) for g in groups),
                    )
                )
        if self.row_total:
            for label, _, _ in self.rows:
                lines.append(
                    Line(
                        total=(label, self.row_total),
                        parts=tuple((label, key) for key in self.row_parts),
                    )
                )
        for total, parts in self.extra_lines:
            lines.append(Line(total=total, parts=tuple(parts)))
        return lines

    def build(self) -> Table:
        people = {}
        for label, values, _ in self.rows:
            for column in self.columns:
                value = values.get(column.key, Value(None, 0))
                people[(label, column.key)] = value.people
        hidden = suppress(people, self.lines())
        rows = []
        for label, values, total in self.rows:
            cells = []
            for column in self.columns:
                value = values.get(column.key, Value(None, 0))
                if (label, column.key) in hidden:
                    cells.append(Cell(value=None, text=SUPPRESSED_TEXT, suppressed=True))
                else:
                    cells.append(Cell(value=value.value, text=format_value(value, column.kind)))
            rows.append(Row(label=label, cells=tuple(cells), total=total))
        return Table(row_header=self.row_header, columns=tuple(self.columns), rows=tuple(rows))


def chart_to_dict(chart: Chart) -> dict:
    """A chart as JSON-ready data (the stored snapshots of ``insights.models``)."""
    return {
        "key": chart.key,
        "title": chart.title,
        "reading": chart.reading,
        "kind": chart.kind,
        "y_label": chart.y_label,
        "note": chart.note,
        "empty": chart.empty,
        "row_header": chart.table.row_header,
        "columns": [[c.key, c.label, c.kind, c.plotted] for c in chart.table.columns],
        "rows": [
            [row.label, row.total, [[c.value, c.text, c.suppressed] for c in row.cells]]
            for row in chart.table.rows
        ],
    }


def chart_from_dict(data: dict) -> Chart:
    table = Table(
        row_header=data["row_header"],
        columns=tuple(Column(*column) for column in data["columns"]),
        rows=tuple(
            Row(label=label, total=total, cells=tuple(Cell(*cell) for cell in cells))
            for label, total, cells in data["rows"]
        ),
    )
    return Chart(
        key=data["key"],
        title=data["title"],
        reading=data["reading"],
        table=table,
        kind=data["kind"],
        y_label=data["y_label"],
        note=data["note"],
        empty=data["empty"],
    )
