"""Bulk enrolment from a CSV file: decode → validate (a preview of every row) → apply.

The preview and the apply step run the same validation, so what the admin saw is what
is applied; apply re-validates inside the transaction that writes, with the cohort
locked, so two admins importing at once cannot enrol one person twice. Rows with errors
are never written: a file with some is refused, unless the admin chooses to import the
good rows and skip those (still one transaction: all the good rows, or none). Warnings
(unknown skills, managers outside the cohort) never block a row. With "update existing
people", a row for someone already in the cohort updates their admin-owned fields.
Invitations are emailed after commit, in batches.

- ``columns``: the columns, their limits, the problem codes and labels, template rows.
- ``rows``: what a preview is made of (rows, their problems, what validation knows).
- ``preview``: reading the file and validating it into a preview (reads only).
- ``apply``: writing the good rows in one transaction (``ImportBlocked`` otherwise).
- ``skipped``: the rows to fix, with their problems, as a CSV file to fix and re-upload.

A file that cannot be read at all raises ``mentoring.errors.RuleViolation`` with a
message for the admin. The names below are the package's interface.
"""

from .apply import ImportBlocked, ImportResult, import_apply, participant_link_managers
from .columns import (
    ALREADY_ENROLLED,
    COLUMNS,
    DUPLICATE_ROW,
    INVALID_EMAIL,
    MANAGER_INVALID,
    MANAGER_NOT_FOUND,
    MAX_FILE_BYTES,
    MAX_LENGTHS,
    MISSING_EMAIL,
    PROBLEM_LABELS,
    SENIORITY_RANGE,
    SKILL_COLUMNS,
    SKILL_MAX_LENGTH,
    SKILL_SEPARATOR,
    TOO_LONG,
    UNKNOWN_SKILL,
    UNKNOWN_TIME_ZONE,
    UPDATABLE_COLUMNS,
    import_template_rows,
)
from .preview import import_context, import_decode, import_parse, import_preview, validate_rows
from .rows import Change, ExistingPerson, ImportContext, ImportPreview, ImportRow, Problem
from .skipped import PROBLEMS_COLUMN, skipped_rows_csv

__all__ = [
    "ALREADY_ENROLLED",
    "COLUMNS",
    "DUPLICATE_ROW",
    "INVALID_EMAIL",
    "MANAGER_INVALID",
    "MANAGER_NOT_FOUND",
    "MAX_FILE_BYTES",
    "MAX_LENGTHS",
    "MISSING_EMAIL",
    "PROBLEMS_COLUMN",
    "PROBLEM_LABELS",
    "SENIORITY_RANGE",
    "SKILL_COLUMNS",
    "SKILL_MAX_LENGTH",
    "SKILL_SEPARATOR",
    "TOO_LONG",
    "UNKNOWN_SKILL",
    "UNKNOWN_TIME_ZONE",
    "UPDATABLE_COLUMNS",
    "Change",
    "ExistingPerson",
    "ImportBlocked",
    "ImportContext",
    "ImportPreview",
    "ImportResult",
    "ImportRow",
    "Problem",
    "import_apply",
    "import_context",
    "import_decode",
    "import_parse",
    "import_preview",
    "import_template_rows",
    "participant_link_managers",
    "skipped_rows_csv",
    "validate_rows",
]
