"""The demo people, read from ``people.csv`` next to this module.

The file's first eleven columns are the participant import's
(``programmes.services.imports.COLUMNS``): a programme's rows, in those columns, are the
file its admin uploads into the cohort. The last five say what each person does once
invited, through the participant pages' services:

- ``programme``: the slug of the demo programme (``programmes.demo.programmes``);
- ``enrolled``: ``yes``: accepts the invitation, signs the charter and fills the profile;
  ``no``: invited, has not answered yet;
- ``gender``, ``birth_year``: shared in the profile with consent (empty: no consent);
- ``goals``: what they write as their goals in the profile.
"""

import csv
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from programmes.services.imports import COLUMNS

PEOPLE_CSV = Path(__file__).with_name("people.csv")


@dataclass(frozen=True)
class DemoPerson:
    cells: dict[str, str]  # the import's columns, as in the file
    programme: str
    enrolled: bool
    gender: str
    birth_year: int | None
    goals: str

    @property
    def email(self) -> str:
        return self.cells["email"].lower()


def _person(row: dict[str, str]) -> DemoPerson:
    enrolled = row["enrolled"].strip().lower()
    if enrolled not in ("yes", "no"):
        raise ValueError(f"{PEOPLE_CSV.name}: enrolled must be yes or no for {row['email']}")
    return DemoPerson(
        cells={column: row[column] for column in COLUMNS},
        programme=row["programme"],
        enrolled=enrolled == "yes",
        gender=row["gender"],
        birth_year=int(row["birth_year"]) if row["birth_year"] else None,
        goals=row["goals"],
    )


@cache
def _everyone() -> tuple[DemoPerson, ...]:
    with PEOPLE_CSV.open(encoding="utf-8", newline="") as file:
        return tuple(_person(row) for row in csv.DictReader(file))


def demo_people(*, programme: str) -> list[DemoPerson]:
    """The people of the demo programme whose slug is ``programme``, in file order."""
    return [person for person in _everyone() if person.programme == programme]


def import_text(people: list[DemoPerson]) -> str:
    """``people`` as the CSV file an admin uploads: the import's columns, nothing else."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([person.cells[column] for column in COLUMNS] for person in people)
    return out.getvalue()
