"""Applying a file: every row enrolled in one transaction, or nothing.

Apply re-validates inside the transaction that writes, with the cohort locked, so two
admins importing at once cannot enrol one person twice and what is written is what the
admin saw. Invitations are emailed after commit, in batches.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from mentoring.errors import RuleViolation
from mentoring.models import User
from mentoring.tokens import unissued_digest
from programmes.models import Cohort, Invitation, Participant, Programme, Skill, invitation_expiry

from ..audit import audit_record
from ..bulk import bulk_insert
from ..invitations import invitations_enqueue
from .preview import import_preview
from .rows import ImportPreview, ImportRow


class ImportBlocked(RuleViolation):
    """Apply was refused: some rows still have blocking problems (``preview`` shows them)."""

    def __init__(self, preview: ImportPreview) -> None:
        super().__init__("The file still has problems; nothing was imported.", code="blocked")
        self.preview = preview


@dataclass(frozen=True)
class ImportResult:
    created: int
    skills_added: list[str]
    invitations_queued: bool


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
            raise RuleViolation("This programme is closed; nobody can be invited any more.")
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
