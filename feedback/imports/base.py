"""What both outcome imports share: reading the file, rows and their problems, the preview,
the refusal to apply, and the CSV of rows to fix.

The rules are the participant import's (``programmes.services.imports``): the file is
decoded the same way (UTF-8, 5 MB), every row is shown with its problems, an error keeps
its row out and a warning does not, and apply writes all the good rows or none.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from mentoring.errors import RuleViolation
from programmes.csv_utils import csv_stream
from programmes.services.imports import Problem, import_decode

__all__ = [
    "PROBLEMS_COLUMN",
    "OutcomeImportBlocked",
    "OutcomePreview",
    "OutcomeResult",
    "OutcomeRow",
    "Problem",
    "import_decode",
    "outcome_parse",
    "parse_date",
    "parse_decimal",
    "parse_count",
    "skipped_csv",
]

PROBLEMS_COLUMN = "problems"


@dataclass
class OutcomeRow:
    line: int  # line number in the file (the header is line 1)
    cells: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)  # parsed cells, once valid
    problems: list[Problem] = field(default_factory=list)
    # Ready rows that write nothing (the same event was imported before).
    unchanged: bool = False
    replaces: bool = False  # a comparison row that replaces figures imported before

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.blocking]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.blocking]

    @property
    def has_errors(self) -> bool:
        return any(p.blocking for p in self.problems)

    @property
    def problem_columns(self) -> set[str]:
        return {p.column for p in self.problems}

    def error(self, code: str, column: str, message: str) -> None:
        self.problems.append(Problem(code, column, message))

    def warn(self, code: str, column: str, message: str) -> None:
        self.problems.append(Problem(code, column, message, blocking=False))


@dataclass
class OutcomePreview:
    rows: list[OutcomeRow]
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def error_rows(self) -> list[OutcomeRow]:
        return [r for r in self.rows if r.has_errors]

    @property
    def good_rows(self) -> list[OutcomeRow]:
        """The rows an import applies: no error (warnings are fine)."""
        return [r for r in self.rows if not r.has_errors]

    def can_apply(self, *, skip_errors: bool = False) -> bool:
        good = self.good_rows
        return bool(good) and (skip_errors or len(good) == len(self.rows))

    def counts(self) -> dict[str, int]:
        to_fix = sum(1 for r in self.rows if r.has_errors)
        warnings = sum(1 for r in self.rows if not r.has_errors and r.problems)
        total = len(self.rows)
        return {
            "rows": total,
            "ready": total - to_fix - warnings,
            "warnings": warnings,
            "to_fix": to_fix,
            "importable": total - to_fix,
        }

    def problem_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.rows:
            for code in {p.code for p in row.problems}:
                counts[code] = counts.get(code, 0) + 1
        return counts


@dataclass(frozen=True)
class OutcomeResult:
    written: int  # rows that created (or, comparison, replaced) a record
    unchanged: int = 0  # good rows already recorded
    skipped: list[OutcomeRow] = field(default_factory=list)  # rows to fix, left out
    import_id: int | None = None  # the OutcomeImport row


class OutcomeImportBlocked(RuleViolation):
    """Apply was refused and nothing was written (``preview`` shows the rows as they are now)."""

    def __init__(self, preview: OutcomePreview, *, changed: bool = False) -> None:
        message = (
            "The check of this file changed since you looked at it (someone may have "
            "imported meanwhile); nothing was imported. Look at the rows again."
            if changed
            else "The file still has rows to fix; nothing was imported."
        )
        super().__init__(message, code="changed" if changed else "blocked")
        self.preview = preview
        self.changed = changed


def _header_key(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def outcome_parse(
    text: str, *, columns: tuple[str, ...], required: str
) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """Rows as ``(line, {column: stripped cell})`` and the names of ignored columns."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise RuleViolation("The file is empty.") from None
    except csv.Error as exc:
        raise RuleViolation(f"The file is not a readable CSV file ({exc}).") from None
    keys = [_header_key(name) for name in header]
    if required not in keys:
        if len(header) == 1 and ";" in header[0]:
            raise RuleViolation(
                "The columns are separated by semicolons. Save the file with commas between "
                "columns."
            )
        raise RuleViolation(
            f"The first line must name the columns and include “{required}”. "
            "Download the template to see the expected columns."
        )
    ignored = [name for name, key in zip(header, keys, strict=True) if key not in columns]
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue  # blank lines are not rows
            cells = {column: "" for column in columns}
            for key, value in zip(keys, values, strict=False):
                if key in cells:
                    cells[key] = value.strip()
            rows.append((reader.line_num, cells))
    except csv.Error as exc:
        raise RuleViolation(
            f"Line {reader.line_num} cannot be read as CSV ({exc}). "
            "Check for an unclosed quotation mark."
        ) from None
    return rows, ignored


def parse_date(text: str) -> dt.date | None:
    """An ISO date (2026-03-31); ``None`` if the cell is not one."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_decimal(text: str) -> Decimal | None:
    """A number such as 4.5, -2 or 3,5 (decimal comma) with an optional %; else ``None``."""
    cleaned = text.replace("%", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_count(text: str) -> int | None:
    """A whole number ≥ 0 (1,200 and 1 200 read as 1200); else ``None``."""
    cleaned = text.replace(",", "").replace(" ", "")
    return int(cleaned) if cleaned.isdigit() else None


def skipped_csv(rows: list[OutcomeRow], *, columns: tuple[str, ...]) -> str:
    """``rows`` (rows to fix) with their errors, UTF-8 CSV text with a byte-order mark."""
    lines = (
        [*(row.cells[column] for column in columns), " ".join(p.message for p in row.errors)]
        for row in rows
    )
    return "".join(csv_stream((*columns, PROBLEMS_COLUMN), lines))
