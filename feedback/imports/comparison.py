"""The comparison group from CSV: the organisation's headcount, leavers and promotions per
department and period, set against the programme's participants on the HR dashboard.

Columns ``period_start, period_end, department, headcount, leavers, promotions``; one row
per department and period. Errors keep the row out: a missing or unreadable date, an end
before the start, no department (or a longer one than 120 characters), a headcount that is
not a whole number of at least 1, leavers or promotions that are not whole numbers or
exceed the headcount, the same department and period twice in the file. Warnings do not:
figures that replace those imported before for the same department and period, a
department no participant of the programme belongs to.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.functions import Lower

from feedback.models import ComparisonCount, OutcomeImport
from mentoring.models import User
from programmes.models import Participant, Programme
from programmes.services.audit import audit_record

from .base import (
    OutcomeImportBlocked,
    OutcomePreview,
    OutcomeResult,
    OutcomeRow,
    outcome_parse,
    parse_count,
    parse_date,
)

COLUMNS = ("period_start", "period_end", "department", "headcount", "leavers", "promotions")
REQUIRED = "department"
DEPARTMENT_MAX = 120

BAD_DATE = "bad_date"
PERIOD_ORDER = "period_order"
MISSING_DEPARTMENT = "missing_department"
TOO_LONG = "too_long"
BAD_COUNT = "bad_count"
COUNT_OVER_HEADCOUNT = "count_over_headcount"
DUPLICATE_ROW = "duplicate_row"
REPLACES = "replaces"
UNKNOWN_DEPARTMENT = "unknown_department"
PROBLEM_LABELS = {
    BAD_DATE: "Date missing or unreadable",
    PERIOD_ORDER: "Period ends before it starts",
    MISSING_DEPARTMENT: "No department",
    TOO_LONG: "Too long",
    BAD_COUNT: "Not a whole number",
    COUNT_OVER_HEADCOUNT: "More than the headcount",
    DUPLICATE_ROW: "Same department and period twice",
    REPLACES: "Replaces earlier figures",
    UNKNOWN_DEPARTMENT: "No participant in this department",
}
TEMPLATE_ROWS = [
    ["2026-01-01", "2026-12-31", "Finance", "240", "22", "18"],
    ["2026-01-01", "2026-12-31", "Engineering", "410", "37", "41"],
]


def _row_validate(row: OutcomeRow, *, departments, existing, seen) -> None:
    cells = row.cells
    dates = {}
    for column in ("period_start", "period_end"):
        dates[column] = parse_date(cells[column])
        if dates[column] is None:
            row.error(
                BAD_DATE,
                column,
                f"“{cells[column]}” is not a date: write it as 2026-01-31."
                if cells[column]
                else f"No {column.replace('_', ' ')}: write it as 2026-01-31.",
            )
    start, end = dates["period_start"], dates["period_end"]
    if start and end and end < start:
        row.error(PERIOD_ORDER, "period_end", "The period ends before it starts.")
    department = " ".join(cells["department"].split())
    if not department:
        row.error(MISSING_DEPARTMENT, "department", "No department.")
    elif len(department) > DEPARTMENT_MAX:
        row.error(
            TOO_LONG, "department", f"The department is longer than {DEPARTMENT_MAX} characters."
        )
    counts = {}
    for column in ("headcount", "leavers", "promotions"):
        counts[column] = parse_count(cells[column])
        if counts[column] is None:
            row.error(
                BAD_COUNT,
                column,
                f"{column.capitalize()} “{cells[column]}” is not a whole number."
                if cells[column]
                else f"No {column}: write a whole number (0 if none).",
            )
    headcount = counts["headcount"]
    if headcount == 0:
        row.error(BAD_COUNT, "headcount", "The headcount must be at least 1.")
    elif headcount is not None:
        for column in ("leavers", "promotions"):
            if counts[column] is not None and counts[column] > headcount:
                row.error(
                    COUNT_OVER_HEADCOUNT,
                    column,
                    f"{column.capitalize()} ({counts[column]}) exceed the headcount ({headcount}).",
                )
    if row.has_errors:
        return
    key = (start, end, department.lower())
    if key in seen:
        row.error(
            DUPLICATE_ROW,
            "department",
            f"The same department and period are on line {seen[key]} too.",
        )
        return
    seen[key] = row.line
    row.values = {
        "period_start": start,
        "period_end": end,
        "department": existing.get(key, department),
        **counts,
    }
    if key in existing:
        row.replaces = True
        row.warn(
            REPLACES,
            "department",
            "Replaces the figures imported before for this department and period.",
        )
    if department.lower() not in departments:
        row.warn(
            UNKNOWN_DEPARTMENT,
            "department",
            "No participant of this programme is in this department: it counts for the "
            "organisation as a whole only.",
        )


def comparison_preview(*, programme: Programme, text: str) -> OutcomePreview:
    """Every row of ``text`` with its problems (reads only)."""
    parsed, ignored = outcome_parse(text, columns=COLUMNS, required=REQUIRED)
    departments = set(
        Participant.objects.filter(cohort__programme=programme)
        .exclude(department="")
        .annotate(d=Lower("department"))
        .values_list("d", flat=True)
        .distinct()
    )
    # (start, end, lower-case department) → the department as stored (kept on replace).
    existing = {
        (start, end, department.lower()): department
        for start, end, department in ComparisonCount.objects.filter(
            programme=programme
        ).values_list("period_start", "period_end", "department")
    }
    seen: dict = {}
    rows = []
    for line, cells in parsed:
        row = OutcomeRow(line=line, cells=cells)
        _row_validate(row, departments=departments, existing=existing, seen=seen)
        rows.append(row)
    return OutcomePreview(rows=rows, ignored_columns=ignored)


def comparison_apply(
    *,
    programme: Programme,
    text: str,
    by: User,
    file_name: str = "",
    skip_errors: bool = False,
    expected_rows: int | None = None,
) -> OutcomeResult:
    """Write the good rows in one transaction (new figures, or replacing a department's
    figures for the same period), or nothing (``OutcomeImportBlocked``)."""
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        preview = comparison_preview(programme=programme, text=text)
        good = preview.good_rows
        if expected_rows is not None and expected_rows != len(good):
            raise OutcomeImportBlocked(preview, changed=True)
        if not preview.can_apply(skip_errors=skip_errors):
            raise OutcomeImportBlocked(preview)
        skipped = preview.error_rows
        source = OutcomeImport.objects.create(
            programme=programme,
            kind=OutcomeImport.Kind.COMPARISON,
            file_name=file_name[:255],
            rows=len(good),
            skipped=len(skipped),
            created_by=by,
        )
        ComparisonCount.objects.bulk_create(
            [
                ComparisonCount(programme=programme, source_import=source, **row.values)
                for row in good
            ],
            update_conflicts=True,
            unique_fields=["programme", "period_start", "period_end", "department"],
            update_fields=["headcount", "leavers", "promotions", "source_import", "updated_at"],
            batch_size=1000,
        )
        audit_record(
            programme=programme,
            actor=by,
            action="outcomes.comparison_imported",
            rows=len(good),
            replaced=sum(1 for row in good if row.replaces),
            skipped=len(skipped),
            file=file_name,
        )
    return OutcomeResult(
        written=len(good),
        unchanged=0,
        skipped=skipped,
        import_id=source.pk,
    )
