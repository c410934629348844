"""Bulk enrolment from a CSV file: decode → validate (a preview of every row) → apply.

The preview and the apply step run the same validation, so what the admin saw is what
is applied; apply re-validates inside the transaction that writes, with the cohort
locked, so two admins importing at once cannot enrol one person twice. Nothing is
written unless every row is clean (all or nothing); invitations are emailed after
commit, in batches.

- ``columns``: the columns, their limits, the problem codes and labels, template rows.
- ``rows``: what a preview is made of (rows, their problems, what validation knows).
- ``preview``: reading the file and validating it into a preview (reads only).
- ``apply``: writing a clean file in one transaction (``ImportBlocked`` otherwise).

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
    import_template_rows,
)
from .preview import import_context, import_decode, import_parse, import_preview, validate_rows
from .rows import ImportContext, ImportPreview, ImportRow, Problem

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
    "PROBLEM_LABELS",
    "SENIORITY_RANGE",
    "SKILL_COLUMNS",
    "SKILL_MAX_LENGTH",
    "SKILL_SEPARATOR",
    "TOO_LONG",
    "UNKNOWN_SKILL",
    "UNKNOWN_TIME_ZONE",
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
    "validate_rows",
]
