"""Applying a file: its good rows in one transaction, or nothing.

Apply re-validates inside the transaction that writes, with the cohort locked, so two
admins importing at once cannot enrol one person twice and what is written is what the
admin saw. A file with rows to fix is refused unless the admin chose to skip them; then
every good row (ready, or ready with warnings) is applied, or none is. Invitations are
emailed after commit, in batches.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from mentoring.errors import RuleViolation
from mentoring.models import User
from mentoring.tokens import unissued_digest
from programmes.models import Cohort, Invitation, Participant, Programme, Skill, invitation_expiry

from ..audit import audit_record
from ..bulk import bulk_insert, bulk_set
from ..invitations import invitations_enqueue
from .preview import import_preview
from .rows import ImportPreview, ImportRow


class ImportBlocked(RuleViolation):
    """Apply was refused and nothing was written (``preview`` shows the rows as they are now):
    rows to fix that the admin did not choose to skip, nothing left to import, or
    (``changed``) the check no longer gives the number of good rows the admin saw."""

    def __init__(self, preview: ImportPreview, *, changed: bool = False) -> None:
        message = (
            "The check of this file changed since you looked at it (someone may have "
            "imported or edited people meanwhile); nothing was imported. Look at the rows "
            "again."
            if changed
            else "The file still has rows to fix; nothing was imported."
        )
        super().__init__(message, code="changed" if changed else "blocked")
        self.preview = preview
        self.changed = changed


@dataclass(frozen=True)
class ImportResult:
    created: int
    skills_added: list[str]
    invitations_queued: bool
    updated: int = 0  # people already in the cohort whose details changed
    unchanged: int = 0  # rows for people already in the cohort with nothing to change
    skipped: list[ImportRow] = field(default_factory=list)  # rows to fix, left out


def import_apply(
    *,
    cohort: Cohort,
    text: str,
    add_unknown_skills: bool,
    by: User,
    base_url: str,
    file_name: str = "",
    skip_errors: bool = False,
    update_existing: bool = False,
    expected_rows: int | None = None,
) -> ImportResult:
    """Apply the rows of ``text`` to ``cohort`` in one transaction, or nothing.

    New people are created as invited (no user account until they accept), one invitation
    each. With ``update_existing``, a row whose email is already in the cohort updates that
    person's admin-owned fields (never their skills or answers). Unknown skills are added to
    the vocabulary with ``add_unknown_skills``, else left out of the rows' skills.

    Raises ``ImportBlocked`` when rows still have errors and ``skip_errors`` is false, when
    no row is left to apply, or when ``expected_rows`` (the good rows the admin saw) is no
    longer the number of good rows.
    """
    with transaction.atomic():
        # The lock serialises imports into one cohort; validation then sees every earlier one.
        cohort = Cohort.objects.select_for_update().select_related("programme").get(pk=cohort.pk)
        programme = cohort.programme
        if programme.status == Programme.Status.CLOSED:
            raise RuleViolation("This programme is closed; nobody can be invited any more.")
        preview = import_preview(cohort=cohort, text=text, update_existing=update_existing)
        good = preview.good_rows
        if expected_rows is not None and expected_rows != len(good):
            raise ImportBlocked(preview, changed=True)
        if not preview.can_apply(skip_errors=skip_errors):
            raise ImportBlocked(preview)
        new_rows = [row for row in good if not row.is_update]
        changed_rows = [row for row in good if row.is_update and row.changes]
        added = (
            _skills_create(programme=programme, names=preview.unknown_skills_of(new_rows))
            if add_unknown_skills
            else []
        )
        skill_ids = dict(Skill.objects.filter(programme=programme).values_list("name", "pk"))
        skill_ids_ci = {name.lower(): pk for name, pk in skill_ids.items()}
        _participants_update(cohort=cohort, rows=changed_rows)
        participant_ids = _participants_create(cohort=cohort, rows=new_rows)
        invitation_ids = _invitations_create(
            cohort=cohort, rows=new_rows, participant_ids=participant_ids, by=by
        )
        _skills_link(rows=new_rows, participant_ids=participant_ids, skill_ids=skill_ids_ci)
        skipped = preview.error_rows
        audit_record(
            programme=programme,
            actor=by,
            action="import.applied",
            cohort=cohort.name,
            rows=len(participant_ids),
            updated=len(changed_rows),
            updated_fields=sorted({c.label for row in changed_rows for c in row.changes}),
            skipped=len(skipped),
            skills_added=added,
            file=file_name,
        )
        queued = invitations_enqueue(
            programme=programme,
            invitation_ids=invitation_ids,
            base_url=base_url,
        )
    return ImportResult(
        created=len(participant_ids),
        skills_added=added,
        invitations_queued=queued,
        updated=len(changed_rows),
        unchanged=len(good) - len(new_rows) - len(changed_rows),
        skipped=skipped,
    )


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


def _participants_update(*, cohort: Cohort, rows: list[ImportRow]) -> None:
    """Write each update row's changes (admin-owned fields only); a changed manager email
    re-links the reporting line inside the cohort (or unlinks it). Rows that change the
    same columns are written together (usually one or two groups for a whole file)."""
    if not rows:
        return
    ids = dict(Participant.objects.filter(cohort=cohort).values_list("email", "pk"))
    groups: dict[tuple[str, ...], list[list]] = {}
    for row in rows:
        columns = tuple(change.column for change in row.changes)
        values: list = [row.existing_id]
        for column in columns:
            if column == "seniority":
                values.append(row.seniority)
            elif column == "time_zone":
                values.append(row.time_zone)
            elif column == "manager_email":
                manager = ids.get(row.manager_email)
                values += [row.manager_email, manager if manager != row.existing_id else None]
            else:
                values.append(row.cells[column])
        groups.setdefault(columns, []).append(values)
    now = timezone.now()
    for columns, values in groups.items():
        names = [n for c in columns for n in ((c, "manager_id") if c == "manager_email" else (c,))]
        bulk_set(Participant, columns=names, rows=values, same={"updated_at": now})


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
                # An unknown skill the admin did not add to the vocabulary is left out.
                if name.lower() in skill_ids
            ],
        )
