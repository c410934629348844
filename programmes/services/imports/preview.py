"""Reading a CSV file and validating every row into a preview (nothing is written).

Decode (UTF-8 only, 5 MB at most) → parse (header names the columns, blank lines skipped)
→ validate each row against what the database knows (loaded once, in a few queries). A
file that cannot be read at all raises ``RuleViolation``; a readable file always gives a
preview, its problems listed on their rows.
"""

import csv
import io
import zoneinfo
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from mentoring.errors import RuleViolation
from programmes.models import Cohort, Participant

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
    SENIORITY_RANGE,
    SKILL_MAX_LENGTH,
    SKILL_SEPARATOR,
    TOO_LONG,
    UNKNOWN_SKILL,
    UNKNOWN_TIME_ZONE,
    UPDATABLE_COLUMNS,
)
from .rows import Change, ExistingPerson, ImportContext, ImportPreview, ImportRow, Problem


# --- reading the file ----------------------------------------------------------------------
def import_decode(data: bytes) -> str:
    """The file's text. UTF-8 with or without a byte-order mark; anything else is refused."""
    if len(data) > MAX_FILE_BYTES:
        raise RuleViolation(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is 5 MB. "
            "Split it into several files and import them one after the other."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RuleViolation(
            "The file is saved as UTF-16. Save it as “CSV UTF-8 (comma delimited)” "
            "and upload it again."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RuleViolation(
            "The file is not UTF-8 text (it may be Windows-1252 or Latin-1, or not a CSV "
            "at all). In Excel choose “Save as → CSV UTF-8 (comma delimited)”; in Google "
            "Sheets “Download → Comma-separated values”."
        ) from None


def _header_key(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def import_parse(text: str) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """Rows as ``(line, {column: stripped cell})`` and the names of ignored columns."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise RuleViolation("The file is empty.") from None
    except csv.Error as exc:
        raise RuleViolation(f"The file is not a readable CSV file ({exc}).") from None
    keys = [_header_key(name) for name in header]
    if "email" not in keys:
        if len(header) == 1 and ";" in header[0]:
            raise RuleViolation(
                "The columns are separated by semicolons. Save the file with commas between "
                "columns (skills inside a cell stay separated by semicolons)."
            )
        raise RuleViolation(
            "The first line must name the columns and include “email”. "
            "Download the template to see the expected columns."
        )
    ignored = [name for name, key in zip(header, keys, strict=True) if key not in COLUMNS]
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue  # blank lines are not rows
            cells = {column: "" for column in COLUMNS}
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


# --- validation ----------------------------------------------------------------------------
def _time_zone_map() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def _existing_people(cohort: Cohort) -> dict[str, ExistingPerson]:
    """The cohort's people by email, their admin-owned fields as an import row writes them."""
    people: dict[str, ExistingPerson] = {}
    for pk, email, *values in Participant.objects.filter(cohort=cohort).values_list(
        "pk", "email", *UPDATABLE_COLUMNS
    ):
        cells = {
            column: "" if value is None else str(value)
            for column, value in zip(UPDATABLE_COLUMNS, values, strict=True)
        }
        people[email.lower()] = ExistingPerson(pk=pk, cells=cells)
    return people


def import_context(*, cohort: Cohort, update_existing: bool = False) -> ImportContext:
    """What validation needs from the database. With ``update_existing``, people already in
    ``cohort`` are not refused: their rows update them (see ``validate_rows``)."""
    programme = cohort.programme
    taken: dict[str, str] = {}
    cohort_emails: set[str] = set()
    for email, cohort_id, cohort_name, status in Participant.objects.filter(
        cohort__programme=programme
    ).values_list("email", "cohort_id", "cohort__name", "status"):
        email = email.lower()
        label = Participant.Status(status).label.lower()
        if cohort_id == cohort.pk:
            cohort_emails.add(email)
            taken[email] = f"Already in this cohort ({label})."
        else:
            taken.setdefault(
                email, f"Already in this programme’s cohort “{cohort_name}” ({label})."
            )
    skills = {name.lower(): name for name in programme.skills.values_list("name", flat=True)}
    return ImportContext(
        taken=taken,
        cohort_emails=frozenset(cohort_emails),
        skills=skills,
        time_zones=_time_zone_map(),
        existing=_existing_people(cohort) if update_existing else None,
    )


def _skills(
    row: ImportRow, column: str, context: ImportContext, new_skills: dict[str, str]
) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    for raw in row.cells[column].split(SKILL_SEPARATOR):
        name = " ".join(raw.split())
        key = name.lower()
        if not name or key in seen:
            continue
        seen.add(key)
        if len(name) > SKILL_MAX_LENGTH:
            row.problems.append(
                Problem(TOO_LONG, column, f"Skill “{name[:30]}…” is longer than 100 characters.")
            )
            continue
        if key in context.skills:
            names.append(context.skills[key])
            continue
        spelling = new_skills.setdefault(key, name)
        names.append(spelling)
        if spelling not in row.unknown_skills:
            row.unknown_skills.append(spelling)
    return names


def _email_is_valid(email: str, cache: dict[str, bool]) -> bool:
    if email not in cache:
        try:
            validate_email(email)
        except ValidationError:
            cache[email] = False
        else:
            cache[email] = True
    return cache[email]


def validate_rows(
    rows: Iterable[tuple[int, dict[str, str]]], *, context: ImportContext
) -> tuple[list[ImportRow], list[str]]:
    """Check every row; no database access (``context`` holds what the database knows).

    Returns the rows with their problems and the distinct unknown skills.
    """
    result = [ImportRow(line=line, cells=cells) for line, cells in rows]
    file_emails: dict[str, int] = {}
    new_skills: dict[str, str] = {}
    for row in result:
        cells = row.cells
        email = cells["email"]
        if not email:
            row.problems.append(Problem(MISSING_EMAIL, "email", "Email is missing."))
        else:
            try:
                validate_email(email)
            except ValidationError:
                row.problems.append(
                    Problem(INVALID_EMAIL, "email", f"“{email}” is not a valid email address.")
                )
            else:
                row.email = email.lower()
                if row.email in file_emails:
                    row.problems.append(
                        Problem(
                            DUPLICATE_ROW,
                            "email",
                            f"Same email as row {file_emails[row.email]}; keep one of them.",
                        )
                    )
                else:
                    file_emails[row.email] = row.line
                    if context.existing is not None and row.email in context.existing:
                        row.existing_id = context.existing[row.email].pk
                    elif row.email in context.taken:
                        row.problems.append(
                            Problem(ALREADY_ENROLLED, "email", context.taken[row.email])
                        )
        for column, limit in MAX_LENGTHS.items():
            if len(cells[column]) > limit:
                row.problems.append(
                    Problem(
                        TOO_LONG,
                        column,
                        f"{column.replace('_', ' ').capitalize()} is longer than {limit} characters.",
                    )
                )
        seniority = cells["seniority"]
        if seniority:
            try:
                row.seniority = int(seniority)
            except ValueError:
                row.seniority = None
            if row.seniority is None or not 1 <= row.seniority <= 10:
                row.seniority = None
                row.problems.append(
                    Problem(
                        SENIORITY_RANGE,
                        "seniority",
                        f"Seniority must be a whole number from 1 (most junior) to 10 "
                        f"(most senior), not “{seniority}”.",
                    )
                )
        zone = cells["time_zone"]
        if zone:
            canonical = context.time_zones.get(zone.lower().replace(" ", "_"))
            if canonical is None:
                row.problems.append(
                    Problem(
                        UNKNOWN_TIME_ZONE,
                        "time_zone",
                        f"Unknown time zone “{zone}”; use a name like Europe/London or "
                        "America/New_York.",
                    )
                )
            else:
                row.time_zone = canonical
        if row.is_update:
            continue  # skills are the person's own answers: an update leaves them alone
        row.skills_offered = _skills(row, "skills_offered", context, new_skills)
        row.skills_wanted = _skills(row, "skills_wanted", context, new_skills)
        if row.unknown_skills:
            names = ", ".join(f"“{name}”" for name in row.unknown_skills)
            row.problems.append(
                Problem(
                    UNKNOWN_SKILL,
                    "skills",
                    f"Not in the skill vocabulary: {names}. Left out of this person's skills, "
                    "unless you tick “Add … to the vocabulary” below; if it is a typo, fix it "
                    "in your file.",
                    blocking=False,
                )
            )
    # Managers may be earlier or later rows of the same file: a second pass.
    valid_managers: dict[str, bool] = {}  # a manager manages many rows: check each once
    for row in result:
        manager = row.cells["manager_email"]
        if not manager:
            continue
        if not _email_is_valid(manager, valid_managers):
            row.problems.append(
                Problem(
                    MANAGER_INVALID,
                    "manager_email",
                    f"Manager email “{manager}” is not valid; it will be left empty.",
                    blocking=False,
                )
            )
            continue
        manager = manager.lower()
        if manager == row.email:
            row.problems.append(
                Problem(
                    MANAGER_INVALID,
                    "manager_email",
                    "A person cannot be their own manager; it will be left empty.",
                    blocking=False,
                )
            )
            continue
        row.manager_email = manager
        if manager not in file_emails and manager not in context.cohort_emails:
            row.problems.append(
                Problem(
                    MANAGER_NOT_FOUND,
                    "manager_email",
                    f"Manager {manager} is not in this cohort; the reporting line is kept "
                    "and linked if they join.",
                    blocking=False,
                )
            )
    if context.existing is not None:
        for row in result:
            if row.is_update and not row.has_errors:
                row.changes = _changes(row, context.existing[row.email])
    return result, list(new_skills.values())


def _changes(row: ImportRow, person: ExistingPerson) -> list[Change]:
    """What ``row`` changes on ``person``: only columns with a value (an empty cell or a
    column left out keeps what is there), compared as the import would write them."""
    cells = row.cells
    after = {column: cells[column] for column in UPDATABLE_COLUMNS}
    after["seniority"] = str(row.seniority) if row.seniority is not None else ""
    after["time_zone"] = row.time_zone if cells["time_zone"] else ""
    after["manager_email"] = row.manager_email
    return [
        Change(column, person.cells[column], value)
        for column, value in after.items()
        if value and value != person.cells[column]
    ]


def import_preview(*, cohort: Cohort, text: str, update_existing: bool = False) -> ImportPreview:
    parsed, ignored = import_parse(text)
    context = import_context(cohort=cohort, update_existing=update_existing)
    rows, unknown = validate_rows(parsed, context=context)
    return ImportPreview(
        rows=rows,
        ignored_columns=ignored,
        unknown_skills=unknown,
        update_existing=update_existing,
        already_in_cohort=sum(
            1
            for row in rows
            if row.email in context.cohort_emails
            and any(p.code == ALREADY_ENROLLED for p in row.problems)
        ),
    )
