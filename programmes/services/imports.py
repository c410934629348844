"""Bulk enrolment from a CSV file: decode → validate (a preview of every row) → apply.

The preview and the apply step run the same validation, so what the admin saw is what
is applied; apply re-validates inside the transaction that writes, with the cohort
locked, so two admins importing at once cannot enrol one person twice. Nothing is
written unless every row is clean (all or nothing); invitations are emailed after
commit, in batches.

Columns: ``email, first_name, last_name, department, location, job_title, seniority,
manager_email, time_zone, skills_offered, skills_wanted``; skills are ``;``-separated
names from the programme's vocabulary. Only ``email`` is required.
"""

import csv
import io
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from mentoring.models import User
from mentoring.tokens import unissued_digest
from programmes.models import Cohort, Invitation, Participant, Programme, Skill, invitation_expiry

from .audit import audit_record
from .bulk import bulk_insert
from .invitations import invitations_enqueue

COLUMNS = (
    "email",
    "first_name",
    "last_name",
    "department",
    "location",
    "job_title",
    "seniority",
    "manager_email",
    "time_zone",
    "skills_offered",
    "skills_wanted",
)
SKILL_COLUMNS = ("skills_offered", "skills_wanted")
MAX_FILE_BYTES = 5 * 1024 * 1024
SKILL_SEPARATOR = ";"
# Longest text each column may hold (the model's max_length).
MAX_LENGTHS = {
    "first_name": 150,
    "last_name": 150,
    "department": 120,
    "location": 120,
    "job_title": 160,
}
SKILL_MAX_LENGTH = 100

# Problem codes. All are blocking except the manager warnings; an unknown skill is
# blocking unless the admin chooses to add the new skills to the vocabulary.
MISSING_EMAIL = "missing_email"
INVALID_EMAIL = "invalid_email"
DUPLICATE_ROW = "duplicate_row"
ALREADY_ENROLLED = "already_enrolled"
UNKNOWN_TIME_ZONE = "unknown_time_zone"
SENIORITY_RANGE = "seniority_out_of_range"
UNKNOWN_SKILL = "unknown_skill"
TOO_LONG = "too_long"
MANAGER_NOT_FOUND = "manager_not_found"
MANAGER_INVALID = "manager_invalid"
PROBLEM_LABELS = {
    MISSING_EMAIL: "Missing email",
    INVALID_EMAIL: "Invalid email",
    DUPLICATE_ROW: "Duplicate row",
    ALREADY_ENROLLED: "Already in the programme",
    UNKNOWN_TIME_ZONE: "Unknown time zone",
    SENIORITY_RANGE: "Seniority not 1–10",
    UNKNOWN_SKILL: "Unknown skill",
    TOO_LONG: "Text too long",
    MANAGER_NOT_FOUND: "Manager not in the cohort (warning)",
    MANAGER_INVALID: "Manager email ignored (warning)",
}


class ImportFileError(Exception):
    """The file cannot be read at all (size, encoding, header). ``str(exc)`` is for the admin."""


class ImportBlocked(Exception):
    """Apply was refused: some rows still have blocking problems."""

    def __init__(self, preview: "ImportPreview") -> None:
        super().__init__("The file still has problems; nothing was imported.")
        self.preview = preview


@dataclass(frozen=True)
class Problem:
    code: str
    column: str
    message: str
    blocking: bool = True

    @property
    def is_error(self) -> bool:
        """Blocking whatever the admin chooses (an unknown skill can be added instead)."""
        return self.blocking and self.code != UNKNOWN_SKILL


@dataclass
class ImportRow:
    line: int  # line number in the file (the header is line 1)
    cells: dict[str, str]
    email: str = ""
    seniority: int | None = None
    time_zone: str = "UTC"
    manager_email: str = ""
    skills_offered: list[str] = field(default_factory=list)  # canonical or new names
    skills_wanted: list[str] = field(default_factory=list)
    unknown_skills: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def blockers(self, *, add_unknown_skills: bool) -> list[Problem]:
        return [
            p
            for p in self.problems
            if p.blocking and not (add_unknown_skills and p.code == UNKNOWN_SKILL)
        ]

    def warnings(self, *, add_unknown_skills: bool) -> list[Problem]:
        blocking = self.blockers(add_unknown_skills=add_unknown_skills)
        return [p for p in self.problems if p not in blocking]

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)

    @property
    def problem_columns(self) -> set[str]:
        return {p.column for p in self.problems}

    @property
    def name(self) -> str:
        return f"{self.cells.get('first_name', '')} {self.cells.get('last_name', '')}".strip()


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    ignored_columns: list[str] = field(default_factory=list)
    unknown_skills: list[str] = field(default_factory=list)  # distinct, first spelling seen

    def blocked_rows(self, *, add_unknown_skills: bool) -> list[ImportRow]:
        return [r for r in self.rows if r.blockers(add_unknown_skills=add_unknown_skills)]

    def can_apply(self, *, add_unknown_skills: bool) -> bool:
        return bool(self.rows) and not self.blocked_rows(add_unknown_skills=add_unknown_skills)

    @property
    def blocked_by_skills_only(self) -> bool:
        """Every blocking problem is an unknown skill: ticking "add to vocabulary" unblocks."""
        return bool(self.unknown_skills) and not self.blocked_rows(add_unknown_skills=True)

    def counts(self, *, add_unknown_skills: bool) -> dict[str, int]:
        blocked = len(self.blocked_rows(add_unknown_skills=add_unknown_skills))
        warned = sum(
            1
            for r in self.rows
            if not r.blockers(add_unknown_skills=add_unknown_skills)
            and r.warnings(add_unknown_skills=add_unknown_skills)
        )
        return {
            "rows": len(self.rows),
            "blocked": blocked,
            "warnings": warned,
            "ready": len(self.rows) - blocked,
        }

    def problem_counts(self) -> dict[str, int]:
        """How many rows have each kind of problem (for the summary)."""
        counts: dict[str, int] = {}
        for row in self.rows:
            for code in {p.code for p in row.problems}:
                counts[code] = counts.get(code, 0) + 1
        return counts


@dataclass(frozen=True)
class ImportContext:
    """What the database knows that validation needs; loaded with a few queries."""

    taken: dict[str, str]  # email → why it cannot be imported again
    cohort_emails: frozenset[str]  # participants already in the cohort (possible managers)
    skills: dict[str, str]  # lower-case name → vocabulary spelling
    time_zones: dict[str, str]  # lower-case name → canonical IANA name


@dataclass(frozen=True)
class ImportResult:
    created: int
    skills_added: list[str]
    invitations_queued: bool


# --- reading the file ----------------------------------------------------------------------
def import_decode(data: bytes) -> str:
    """The file's text. UTF-8 with or without a byte-order mark; anything else is refused."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is 5 MB. "
            "Split it into several files and import them one after the other."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(
            "The file is saved as UTF-16. Save it as “CSV UTF-8 (comma delimited)” "
            "and upload it again."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
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
        raise ImportFileError("The file is empty.") from None
    except csv.Error as exc:
        raise ImportFileError(f"The file is not a readable CSV file ({exc}).") from None
    keys = [_header_key(name) for name in header]
    if "email" not in keys:
        if len(header) == 1 and ";" in header[0]:
            raise ImportFileError(
                "The columns are separated by semicolons. Save the file with commas between "
                "columns (skills inside a cell stay separated by semicolons)."
            )
        raise ImportFileError(
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
        raise ImportFileError(
            f"Line {reader.line_num} cannot be read as CSV ({exc}). "
            "Check for an unclosed quotation mark."
        ) from None
    return rows, ignored


# --- validation ----------------------------------------------------------------------------
def _time_zone_map() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def import_context(*, cohort: Cohort) -> ImportContext:
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
                    if row.email in context.taken:
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
        row.skills_offered = _skills(row, "skills_offered", context, new_skills)
        row.skills_wanted = _skills(row, "skills_wanted", context, new_skills)
        if row.unknown_skills:
            row.problems.append(
                Problem(
                    UNKNOWN_SKILL,
                    "skills",
                    "Not in the skill vocabulary: "
                    + ", ".join(f"“{name}”" for name in row.unknown_skills)
                    + ". Fix the spelling, or add them to the vocabulary with the box next to Import.",
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
    return result, list(new_skills.values())


def import_preview(*, cohort: Cohort, text: str) -> ImportPreview:
    parsed, ignored = import_parse(text)
    rows, unknown = validate_rows(parsed, context=import_context(cohort=cohort))
    return ImportPreview(rows=rows, ignored_columns=ignored, unknown_skills=unknown)


# --- apply ---------------------------------------------------------------------------------
def import_apply(
    *,
    cohort: Cohort,
    text: str,
    add_unknown_skills: bool,
    by: User,
    base_url: str,
    file_name: str = "",
) -> ImportResult:
    """Enrol every row of ``text`` into ``cohort`` in one transaction, or nothing.

    Participants are created as invited (no user account until they accept); one
    invitation each. Raises ``ImportBlocked`` when a row still has a blocking problem.
    """
    with transaction.atomic():
        # The lock serialises imports into one cohort; validation then sees every earlier one.
        cohort = Cohort.objects.select_for_update().select_related("programme").get(pk=cohort.pk)
        programme = cohort.programme
        if programme.status == Programme.Status.CLOSED:
            raise ImportFileError("This programme is closed; nobody can be invited any more.")
        preview = import_preview(cohort=cohort, text=text)
        if not preview.can_apply(add_unknown_skills=add_unknown_skills):
            raise ImportBlocked(preview)
        added = _skills_create(programme=programme, names=preview.unknown_skills)
        skill_ids = dict(Skill.objects.filter(programme=programme).values_list("name", "pk"))
        skill_ids_ci = {name.lower(): pk for name, pk in skill_ids.items()}
        participant_ids = _participants_create(cohort=cohort, rows=preview.rows)
        invitation_ids = _invitations_create(
            cohort=cohort, rows=preview.rows, participant_ids=participant_ids, by=by
        )
        _skills_link(rows=preview.rows, participant_ids=participant_ids, skill_ids=skill_ids_ci)
        audit_record(
            programme=programme,
            actor=by,
            action="import.applied",
            cohort=cohort.name,
            rows=len(participant_ids),
            skills_added=added,
            file=file_name,
        )
        queued = invitations_enqueue(
            programme=programme,
            invitation_ids=invitation_ids,
            base_url=base_url,
        )
    return ImportResult(created=len(participant_ids), skills_added=added, invitations_queued=queued)


def _skills_create(*, programme: Programme, names: list[str]) -> list[str]:
    if not names:
        return []
    Skill.objects.bulk_create([Skill(programme=programme, name=name) for name in names])
    return names


def _manager_layers(rows: list[ImportRow]) -> list[list[ImportRow]]:
    """Rows grouped so that a manager listed in the file comes in an earlier group than
    their reports (layer 0: no manager in the file). Rows in a reporting cycle go in
    layer 0 and are linked afterwards."""
    in_file = {row.email: row for row in rows}
    depth: dict[str, int] = {}
    for row in rows:
        chain: list[ImportRow] = []
        current: ImportRow | None = row
        while current is not None and current.email not in depth:
            if current in chain:  # a cycle: break it here
                depth[current.email] = 0
                break
            chain.append(current)
            current = in_file.get(current.manager_email)
        base = depth[current.email] + 1 if current is not None else 0
        for offset, member in enumerate(reversed(chain)):
            depth.setdefault(member.email, base + offset)
    layers: list[list[ImportRow]] = []
    for row in rows:
        level = depth[row.email]
        while len(layers) <= level:
            layers.append([])
        layers[level].append(row)
    return layers


def _participants_create(*, cohort: Cohort, rows: list[ImportRow]) -> list[int]:
    """Insert one invited participant per row, managers before their reports so each row
    carries its ``manager_id`` (no correlated UPDATE, whose plan degrades on a table that
    has just grown by thousands of rows). Returns the ids in row order."""
    now = timezone.now()
    ids = dict(Participant.objects.filter(cohort=cohort).values_list("email", "pk"))
    for layer in _manager_layers(rows):
        bulk_insert(
            Participant,
            [
                {
                    "cohort_id": cohort.pk,
                    "email": row.email,
                    "first_name": row.cells["first_name"],
                    "last_name": row.cells["last_name"],
                    "department": row.cells["department"],
                    "location": row.cells["location"],
                    "job_title": row.cells["job_title"],
                    "seniority": row.seniority,
                    "manager_email": row.manager_email,
                    "manager_id": ids.get(row.manager_email),
                    "time_zone": row.time_zone,
                    "status": Participant.Status.INVITED.value,
                    "created_at": now,
                    "updated_at": now,
                }
                for row in layer
            ],
        )
        ids = dict(Participant.objects.filter(cohort=cohort).values_list("email", "pk"))
    participant_link_managers(cohort=cohort, managers={row.email: ids[row.email] for row in rows})
    return [ids[row.email] for row in rows]


def _invitations_create(
    *, cohort: Cohort, rows: list[ImportRow], participant_ids: list[int], by: User
) -> list[int]:
    """One single-use invitation per new participant; returns their ids."""
    now = timezone.now()
    expires = invitation_expiry()
    bulk_insert(
        Invitation,
        [
            {
                "participant_id": participant_id,
                "email": row.email,
                "cohort_id": cohort.pk,
                # A placeholder hash no link matches: the emailed token is made at send time.
                "token_hash": unissued_digest(),
                "expires_at": expires,
                "created_by_id": by.pk,
                "created_at": now,
            }
            for row, participant_id in zip(rows, participant_ids, strict=True)
        ],
    )
    ids = dict(Invitation.objects.filter(cohort=cohort).values_list("participant_id", "pk"))
    return [ids[participant_id] for participant_id in participant_ids]


def participant_link_managers(*, cohort: Cohort, managers: dict[str, int]) -> int:
    """Link participants of ``cohort`` still without a manager whose ``manager_email`` is
    one of ``managers`` (email → participant id): reports who joined before their
    manager, and reporting cycles inside one file. Returns how many were linked."""
    waiting = (
        Participant.objects.filter(cohort=cohort, manager__isnull=True)
        .exclude(manager_email="")
        .values_list("pk", "manager_email")
    )
    by_manager: dict[int, list[int]] = {}
    for pk, manager_email in waiting:
        manager = managers.get(manager_email)
        if manager is not None and manager != pk:
            by_manager.setdefault(manager, []).append(pk)
    for manager, reports in by_manager.items():
        Participant.objects.filter(pk__in=reports).update(manager_id=manager)
    return sum(len(reports) for reports in by_manager.values())


def _skills_link(
    *, rows: list[ImportRow], participant_ids: list[int], skill_ids: dict[str, int]
) -> None:
    for through, attribute in (
        (Participant.skills_offered.through, "skills_offered"),
        (Participant.skills_wanted.through, "skills_wanted"),
    ):
        bulk_insert(
            through,
            [
                {"participant_id": participant_id, "skill_id": skill_ids[name.lower()]}
                for row, participant_id in zip(rows, participant_ids, strict=True)
                for name in getattr(row, attribute)
            ],
        )


def import_template_rows() -> list[list[str]]:
    """The template's example rows (a manager and a report, skills ``;``-separated)."""
    return [
        [
            "amira.haddad@example.com",
            "Amira",
            "Haddad",
            "Finance",
            "London",
            "Head of Financial Planning",
            "8",
            "",
            "Europe/London",
            "Budgeting; Negotiation",
            "Data analysis",
        ],
        [
            "leo.martin@example.com",
            "Leo",
            "Martin",
            "Engineering",
            "Lisbon",
            "Software Engineer",
            "3",
            "amira.haddad@example.com",
            "Europe/Lisbon",
            "Data analysis",
            "Negotiation; Public speaking",
        ],
    ]
