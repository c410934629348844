"""What a preview is made of: each row with its problems, and what validation needs to know.

A row is one of:

- **to fix**: it has an error (a blocking problem); it is never applied, and the admin may
  apply the other rows and download this one with its problems;
- **ready with warnings**: only warnings (an unknown skill, a manager outside the cohort);
  it is applied, and the warning says what happens instead;
- **ready**: no problem at all.

With "update existing people", a ready row whose email is already in the cohort updates
that person (``existing_id``; ``changes`` lists what changes) instead of being refused.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    code: str
    column: str
    message: str
    blocking: bool = True

    @property
    def is_error(self) -> bool:
        """An error keeps its row out of the import; a warning does not."""
        return self.blocking


@dataclass(frozen=True)
class Change:
    """One admin-owned field an update row changes."""

    column: str
    before: str
    after: str

    @property
    def label(self) -> str:
        """The column as the pages name it (``seniority`` is shown as "level")."""
        return "level" if self.column == "seniority" else self.column.replace("_", " ")


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
    existing_id: int | None = None  # the participant this row updates ("update existing")
    changes: list[Change] = field(default_factory=list)

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
    def is_update(self) -> bool:
        return self.existing_id is not None

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
    update_existing: bool = False
    already_in_cohort: int = 0  # rows refused only because the person is in this cohort

    @property
    def error_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if r.has_errors]

    @property
    def good_rows(self) -> list[ImportRow]:
        """The rows an import applies: no error (warnings are fine)."""
        return [r for r in self.rows if not r.has_errors]

    def can_apply(self, *, skip_errors: bool = False) -> bool:
        """Something to apply, and no error left unless the admin skips those rows."""
        good = self.good_rows
        return bool(good) and (skip_errors or len(good) == len(self.rows))

    def unknown_skills_of(self, rows: list[ImportRow]) -> list[str]:
        """The distinct unknown skills ``rows`` use, in the order the file first uses them."""
        used = {name for row in rows for name in row.unknown_skills}
        return [name for name in self.unknown_skills if name in used]

    def counts(self) -> dict[str, int]:
        """Rows per kind (see the module docstring); ``importable`` = ready + warnings, of
        which ``new`` people, ``updates`` (something changes) and ``unchanged``."""
        to_fix = warnings = new = updates = unchanged = 0
        for row in self.rows:
            if row.has_errors:
                to_fix += 1
                continue
            if row.problems:
                warnings += 1
            if not row.is_update:
                new += 1
            elif row.changes:
                updates += 1
            else:
                unchanged += 1
        total = len(self.rows)
        return {
            "rows": total,
            "ready": total - to_fix - warnings,
            "warnings": warnings,
            "to_fix": to_fix,
            "importable": total - to_fix,
            "new": new,
            "updates": updates,
            "unchanged": unchanged,
        }

    def problem_counts(self) -> dict[str, int]:
        """How many rows have each kind of problem (for the summary)."""
        counts: dict[str, int] = {}
        for row in self.rows:
            for code in {p.code for p in row.problems}:
                counts[code] = counts.get(code, 0) + 1
        return counts


@dataclass(frozen=True)
class ExistingPerson:
    """A participant of the cohort as an update row compares it (admin-owned fields)."""

    pk: int
    cells: dict[str, str]  # UPDATABLE_COLUMNS → current value, as the import would write it


@dataclass(frozen=True)
class ImportContext:
    """What the database knows that validation needs; loaded with a few queries."""

    taken: dict[str, str]  # email → why it cannot be imported again
    cohort_emails: frozenset[str]  # participants already in the cohort (possible managers)
    skills: dict[str, str]  # lower-case name → vocabulary spelling
    time_zones: dict[str, str]  # lower-case name → canonical IANA name
    # Set when the admin ticked "update existing people": the cohort's people by email.
    existing: dict[str, ExistingPerson] | None = None
