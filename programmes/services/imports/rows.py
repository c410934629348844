"""What a preview is made of: each row with its problems, and what validation needs to know."""

from dataclasses import dataclass, field

from .columns import UNKNOWN_SKILL


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
