"""Outcome events from CSV: promotion, role change, pay change, left the organisation.

Columns ``email, kind, occurred_on, pay_change_pct``. A row names one participant of the
programme by email (every cohort they are in) and one event. Errors keep the row out: no
or bad email, an email that is not a participant of this programme, an unknown kind, a
missing, unreadable or future date, a pay change without a readable percentage (or one
outside −100…1000), the same event twice in the file. Warnings do not: a percentage on
another kind (ignored), an event before the person's cohort started (recorded, but not a
benefit of the programme), an event already recorded (left as it is).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from feedback.models import OutcomeEvent, OutcomeImport
from mentoring.models import User
from mentoring.outbox import enqueue
from programmes.models import Participant, Programme
from programmes.services.audit import audit_record

from .base import (
    OutcomeImportBlocked,
    OutcomePreview,
    OutcomeResult,
    OutcomeRow,
    outcome_parse,
    parse_date,
    parse_decimal,
)

COLUMNS = ("email", "kind", "occurred_on", "pay_change_pct")
REQUIRED = "email"
Kind = OutcomeEvent.Kind
# How a kind may be written in the file (any case; underscores, hyphens or spaces).
KIND_ALIASES = {
    "promotion": Kind.PROMOTION,
    "promoted": Kind.PROMOTION,
    "role change": Kind.ROLE_CHANGE,
    "new role": Kind.ROLE_CHANGE,
    "pay change": Kind.PAY_CHANGE,
    "pay": Kind.PAY_CHANGE,
    "left": Kind.LEFT,
    "leaver": Kind.LEFT,
    "left the organisation": Kind.LEFT,
    "left the organization": Kind.LEFT,
}
PCT_MIN, PCT_MAX = Decimal(-100), Decimal(1000)

MISSING_EMAIL = "missing_email"
INVALID_EMAIL = "invalid_email"
NOT_IN_PROGRAMME = "not_in_programme"
UNKNOWN_KIND = "unknown_kind"
BAD_DATE = "bad_date"
FUTURE_DATE = "future_date"
BAD_PCT = "bad_pay_change"
PCT_IGNORED = "pay_change_ignored"
DUPLICATE_ROW = "duplicate_row"
BEFORE_START = "before_start"
ALREADY_RECORDED = "already_recorded"
PROBLEM_LABELS = {
    MISSING_EMAIL: "No email",
    INVALID_EMAIL: "Email not valid",
    NOT_IN_PROGRAMME: "Not a participant of this programme",
    UNKNOWN_KIND: "Unknown kind",
    BAD_DATE: "Date missing or unreadable",
    FUTURE_DATE: "Date in the future",
    BAD_PCT: "Pay change percentage missing or unreadable",
    PCT_IGNORED: "Percentage ignored",
    DUPLICATE_ROW: "Same event twice in the file",
    BEFORE_START: "Before the programme",
    ALREADY_RECORDED: "Already recorded",
}
TEMPLATE_ROWS = [
    ["alex@example.com", "promotion", "2026-05-01", ""],
    ["sam@example.com", "pay_change", "2026-04-01", "4.5"],
    ["kim@example.com", "role_change", "2026-06-15", ""],
    ["lee@example.com", "left", "2026-07-31", ""],
]


def _people(programme: Programme) -> dict[str, list[tuple[int, object]]]:
    """lower-case email → [(participant id, cohort start)] of the programme's participants."""
    people: dict[str, list[tuple[int, object]]] = {}
    for pk, email, starts_on in Participant.objects.filter(cohort__programme=programme).values_list(
        "pk", "email", "cohort__starts_on"
    ):
        people.setdefault(email.lower(), []).append((pk, starts_on))
    return people


def _row_validate(row: OutcomeRow, *, people, existing, seen, today) -> None:
    cells = row.cells
    email = cells["email"].lower()
    if not email:
        row.error(MISSING_EMAIL, "email", "No email: each row needs the person's email.")
    else:
        try:
            validate_email(email)
        except ValidationError:
            row.error(INVALID_EMAIL, "email", f"“{cells['email']}” is not a valid email.")
        else:
            if email not in people:
                row.error(
                    NOT_IN_PROGRAMME,
                    "email",
                    "Not a participant of this programme: check the email, or leave the row out.",
                )
    kind = KIND_ALIASES.get(
        " ".join(cells["kind"].lower().replace("_", " ").replace("-", " ").split())
    )
    if kind is None:
        row.error(
            UNKNOWN_KIND,
            "kind",
            f"Kind “{cells['kind']}” is unknown: use promotion, role_change, pay_change or left."
            if cells["kind"]
            else "No kind: use promotion, role_change, pay_change or left.",
        )
    occurred_on = parse_date(cells["occurred_on"])
    if occurred_on is None:
        row.error(
            BAD_DATE,
            "occurred_on",
            f"Date “{cells['occurred_on']}” is not a date: write it as 2026-03-31."
            if cells["occurred_on"]
            else "No date: write when it happened, as 2026-03-31.",
        )
    elif occurred_on > today:
        row.error(
            FUTURE_DATE, "occurred_on", "The date is in the future: record events that happened."
        )
    pct = None
    if kind == Kind.PAY_CHANGE:
        pct = parse_decimal(cells["pay_change_pct"]) if cells["pay_change_pct"] else None
        if pct is None or not PCT_MIN < pct <= PCT_MAX:
            row.error(
                BAD_PCT,
                "pay_change_pct",
                "A pay change needs its percentage, e.g. 4.5 for a 4.5 % rise or -2 for a cut."
                if pct is None
                else "The percentage must be above -100 and at most 1000.",
            )
        elif pct != pct.quantize(Decimal("0.01")):
            pct = pct.quantize(Decimal("0.01"))
    elif cells["pay_change_pct"]:
        row.warn(
            PCT_IGNORED, "pay_change_pct", "The percentage is ignored: only pay changes have one."
        )
    if row.has_errors:
        return
    key = (email, kind, occurred_on)
    if key in seen:
        row.error(DUPLICATE_ROW, "email", f"The same event is on line {seen[key]} too.")
        return
    seen[key] = row.line
    participations = people[email]
    row.values = {
        "participant_ids": [pk for pk, _ in participations],
        "kind": kind,
        "occurred_on": occurred_on,
        "pay_change_pct": pct,
    }
    if all(occurred_on < starts_on for _, starts_on in participations):
        row.warn(
            BEFORE_START,
            "occurred_on",
            "Before the person's cohort started: recorded, but not counted as a benefit "
            "of the programme.",
        )
    if all((pk, kind, occurred_on) in existing for pk, _ in participations):
        row.unchanged = True
        row.warn(ALREADY_RECORDED, "kind", "Already recorded: left as it is.")


def events_preview(*, programme: Programme, text: str) -> OutcomePreview:
    """Every row of ``text`` with its problems (reads only)."""
    parsed, ignored = outcome_parse(text, columns=COLUMNS, required=REQUIRED)
    people = _people(programme)
    existing = set(
        OutcomeEvent.objects.filter(participant__cohort__programme=programme).values_list(
            "participant_id", "kind", "occurred_on"
        )
    )
    seen: dict = {}
    today = timezone.localdate()
    rows = []
    for line, cells in parsed:
        row = OutcomeRow(line=line, cells=cells)
        _row_validate(row, people=people, existing=existing, seen=seen, today=today)
        rows.append(row)
    return OutcomePreview(rows=rows, ignored_columns=ignored)


def events_apply(
    *,
    programme: Programme,
    text: str,
    by: User,
    file_name: str = "",
    skip_errors: bool = False,
    expected_rows: int | None = None,
) -> OutcomeResult:
    """Write the good rows of ``text`` in one transaction, or nothing (``OutcomeImportBlocked``).

    The programme row is locked, so two imports at once cannot record one event twice and
    what is written is what the preview (run again here) shows. The pair metrics of the
    programme are recomputed after commit.
    """
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        preview = events_preview(programme=programme, text=text)
        good = preview.good_rows
        if expected_rows is not None and expected_rows != len(good):
            raise OutcomeImportBlocked(preview, changed=True)
        if not preview.can_apply(skip_errors=skip_errors):
            raise OutcomeImportBlocked(preview)
        skipped = preview.error_rows
        to_write = [row for row in good if not row.unchanged]
        source = OutcomeImport.objects.create(
            programme=programme,
            kind=OutcomeImport.Kind.EVENTS,
            file_name=file_name[:255],
            rows=len(to_write),
            skipped=len(skipped),
            created_by=by,
        )
        events = [
            OutcomeEvent(
                participant_id=pk,
                kind=row.values["kind"],
                occurred_on=row.values["occurred_on"],
                pay_change_pct=row.values["pay_change_pct"],
                source_import=source,
                created_by=by,
            )
            for row in to_write
            for pk in row.values["participant_ids"]
        ]
        OutcomeEvent.objects.bulk_create(events, ignore_conflicts=True, batch_size=1000)
        audit_record(
            programme=programme,
            actor=by,
            action="outcomes.events_imported",
            rows=len(to_write),
            unchanged=len(good) - len(to_write),
            skipped=len(skipped),
            file=file_name,
        )
        if to_write:
            enqueue("feedback.tasks.metrics_refresh_all_task", programme.pk)
    return OutcomeResult(
        written=len(to_write),
        unchanged=len(good) - len(to_write),
        skipped=skipped,
        import_id=source.pk,
    )
