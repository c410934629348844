"""CSV imports of outcome data, with the participant import's rules (``programmes``):
decode → preview every row with its problems → apply the good rows in one transaction.

- ``base``: reading the file, rows, problems, the preview, ``OutcomeImportBlocked`` and
  the CSV of rows to fix.
- ``events``: promotions, role changes, pay changes and departures, keyed by email.
- ``comparison``: the organisation's headcount, leavers and promotions per department.
- ``SPECS``: what the import pages need to know about each kind of file.
"""

from dataclasses import dataclass
from typing import Any

from . import comparison, events
from .base import (
    PROBLEMS_COLUMN,
    OutcomeImportBlocked,
    OutcomePreview,
    OutcomeResult,
    OutcomeRow,
    import_decode,
    skipped_csv,
)


@dataclass(frozen=True)
class ImportSpec:
    """One kind of outcome file, as the upload and preview pages use it."""

    kind: str  # OutcomeImport.Kind, also the URL's ``kind``
    title: str
    columns: tuple[str, ...]
    required: str
    problem_labels: dict[str, str]
    template_rows: list[list[str]]
    preview: Any  # (*, programme, text) -> OutcomePreview
    apply: Any  # (*, programme, text, by, file_name, skip_errors, expected_rows) -> OutcomeResult


SPECS = {
    "events": ImportSpec(
        kind="events",
        title="Outcome events",
        columns=events.COLUMNS,
        required=events.REQUIRED,
        problem_labels=events.PROBLEM_LABELS,
        template_rows=events.TEMPLATE_ROWS,
        preview=events.events_preview,
        apply=events.events_apply,
    ),
    "comparison": ImportSpec(
        kind="comparison",
        title="Comparison group",
        columns=comparison.COLUMNS,
        required=comparison.REQUIRED,
        problem_labels=comparison.PROBLEM_LABELS,
        template_rows=comparison.TEMPLATE_ROWS,
        preview=comparison.comparison_preview,
        apply=comparison.comparison_apply,
    ),
}

__all__ = [
    "PROBLEMS_COLUMN",
    "SPECS",
    "ImportSpec",
    "OutcomeImportBlocked",
    "OutcomePreview",
    "OutcomeResult",
    "OutcomeRow",
    "import_decode",
    "skipped_csv",
]
