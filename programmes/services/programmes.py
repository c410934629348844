"""Creating and editing programmes, and moving them through their life cycle.

Life cycle::

    draft → enrolling → matching → running → closed
                 └─────────────────→ running

From each status the programme page offers every next step of ``NEXT_STATUSES`` with,
for each, what is still missing in plain words (``programme_transition_options``). Pairs
may be proposed and published while enrolling, matching or running, so *running* is one
step from *enrolling* as well as from *matching*: a programme whose people are all paired
is never left without a way forward. *Closed* is the only status with no next step, and
the only irreversible one.
"""

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import slugify

from mentoring.errors import RuleViolation
from mentoring.models import User
from programmes.hooks import transition_precondition_blockers
from programmes.models import Invitation, Participant, Programme, ProgrammeRole

from .audit import audit_record
from .invitations import invitations_enqueue_unsent

Status = Programme.Status

# The steps offered from each status, in life-cycle order. Every status but closed has one.
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    Status.DRAFT: (Status.ENROLLING,),
    Status.ENROLLING: (Status.MATCHING, Status.RUNNING),
    Status.MATCHING: (Status.RUNNING,),
    Status.RUNNING: (Status.CLOSED,),
    Status.CLOSED: (),
}
# Steps that cannot be taken back; the page puts them behind a typed confirmation.
IRREVERSIBLE = frozenset({Status.CLOSED})
# Participants who count towards "at least two ready to be paired": enrolled, or already
# paired (publishing moves people from enrolled to paired; they are still in the programme).
READY_STATUSES = (Participant.Status.ENROLLED, Participant.Status.PAIRED)

# Button label and what the step does, shown on the programme page.
TRANSITION_TEXT: dict[str, tuple[str, str]] = {
    Status.ENROLLING: (
        "Open enrolment",
        "Invitees can join. The invitations prepared so far are emailed now (you see how "
        "many, and the email, before anything is sent); later ones go out at once.",
    ),
    Status.MATCHING: (
        "Start matching",
        "Tells enrolled participants that pairs are being formed. Invitees can still join, "
        "and you can propose and publish pairs as before.",
    ),
    Status.RUNNING: (
        "Start the programme",
        "Marks the programme as under way: published pairs meet, log sessions and reflect, "
        "reminded by email as this programme's reminder settings say (before a session, to "
        "log and reflect on it, when a pair has not met, about ledger items). Invitees can "
        "still join and be paired later.",
    ),
    Status.CLOSED: (
        "Close the programme",
        "Cannot be undone. Paired participants are marked completed, and nobody can be "
        "invited, imported or paired any more.",
    ),
}

# Programme fields an admin edits in the form (everything but status and bookkeeping).
EDITABLE_FIELDS = [
    "name",
    "slug",
    "description",
    "kind",
    "alternation",
    "cadence_days",
    "starts_on",
    "ends_on",
    "charter",
    "skill_weight",
    "cross_gender_weight",
    "cross_generation_weight",
    "cross_department_weight",
    "cross_location_weight",
    "forbid_same_department",
    "allow_trio",
    "max_utc_offset_difference",
    "benefit_weight_learning",
    "benefit_weight_goals",
    "benefit_weight_ledger",
    "benefit_weight_mentee_time",
    "benefit_weight_outcomes",
    "reciprocity_threshold",
]


@dataclass(frozen=True)
class TransitionOption:
    """The next step of a programme, as the programme page offers it."""

    target: str
    label: str
    explanation: str
    blockers: list[str] = field(default_factory=list)
    # The step the page makes its main button: the allowed one furthest along.
    recommended: bool = False

    @property
    def allowed(self) -> bool:
        return not self.blockers

    @property
    def irreversible(self) -> bool:
        return self.target in IRREVERSIBLE


class TransitionNotAllowed(RuleViolation):
    """The programme cannot take that step now; ``blockers`` lists why, one text each."""

    def __init__(self, blockers: list[str]) -> None:
        super().__init__(" ".join(blockers), code="transition_not_allowed")
        self.blockers = blockers


def programme_slug_unique(name: str, *, exclude_pk: int | None = None) -> str:
    """A slug derived from ``name`` that no other programme uses (``name-2``, ``name-3``…)."""
    base = slugify(name)[:70] or "programme"
    taken = set(
        Programme.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    return candidate


@transaction.atomic
def programme_create(*, by: User, **fields: Any) -> Programme:
    """Create a programme in draft; its creator becomes its first admin."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    if not fields.get("slug"):
        fields["slug"] = programme_slug_unique(fields["name"])
    programme = Programme(created_by=by, status=Status.DRAFT, **fields)
    programme.full_clean()
    programme.save()
    ProgrammeRole.objects.create(
        programme=programme, user=by, role=ProgrammeRole.Role.ADMIN, granted_by=by
    )
    audit_record(programme=programme, actor=by, action="programme.created", name=programme.name)
    return programme


@transaction.atomic
def programme_update(*, programme: Programme, by: User, **fields: Any) -> Programme:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    if "slug" in fields and not fields["slug"]:
        fields["slug"] = programme_slug_unique(
            fields.get("name", programme.name), exclude_pk=programme.pk
        )
    changed = [name for name, value in fields.items() if not _same(getattr(programme, name), value)]
    for name in changed:
        setattr(programme, name, fields[name])
    if not changed:
        return programme
    programme.full_clean()
    programme.save(update_fields=[*changed, "updated_at"])
    audit_record(programme=programme, actor=by, action="programme.updated", fields=changed)
    return programme


def _same(old: Any, new: Any) -> bool:
    """Equal values; texts compare without line-ending or surrounding-space differences
    (a browser sends a textarea back with CRLF and without the trailing newline)."""
    if isinstance(old, str) and isinstance(new, str):
        return "\n".join(old.strip().splitlines()) == "\n".join(new.strip().splitlines())
    return old == new


def _one_of(targets: tuple[str, ...]) -> str:
    labels = [Status(target).label.lower() for target in targets]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"


def programme_transition_blockers(
    *, programme: Programme, target: str, today: dt.date | None = None
) -> list[str]:
    """Why ``programme`` cannot move to ``target`` now (an empty list: it can)."""
    offered = NEXT_STATUSES.get(programme.status, ())
    if target not in offered:
        if not offered:
            return ["A closed programme stays closed."]
        return [
            f"A programme that is {programme.get_status_display().lower()} can only move to "
            f"{_one_of(offered)}."
        ]
    blockers: list[str] = []
    if target == Status.ENROLLING:
        if not programme.cohorts.exists():
            blockers.append("Add at least one cohort (an intake with its own dates).")
        if not programme.charter.strip():
            blockers.append("Write the charter participants accept when they join.")
    elif target == Status.MATCHING:
        ready = (
            Participant.objects.filter(
                cohort__programme=programme,
                status__in=READY_STATUSES,
                charter_accepted_at__isnull=False,
            )
            .values("cohort")
            .annotate(n=Count("id"))
            .filter(n__gte=2)
        )
        if not ready.exists():
            blockers.append(
                "At least two participants of one cohort must have accepted the charter "
                "and completed their profile."
            )
    elif target == Status.CLOSED:
        today = today or timezone.localdate()
        if today < programme.starts_on:
            starts = date_format(programme.starts_on, "j F Y")
            blockers.append(f"The programme starts on {starts}; close it after that.")
    # Rules of higher apps (pairing: "publish at least one pair" before running).
    blockers.extend(transition_precondition_blockers(programme=programme, target=target))
    return blockers


def programme_transition_options(*, programme: Programme) -> list[TransitionOption]:
    """Every next step of ``programme`` with its blockers; the recommended one first.

    Empty only for a closed programme. The recommended step is the allowed one furthest
    along the life cycle (after pairs are published while enrolling: start the programme),
    never an irreversible one.
    """
    options = []
    for target in NEXT_STATUSES.get(programme.status, ()):
        label, explanation = TRANSITION_TEXT[target]
        blockers = programme_transition_blockers(programme=programme, target=target)
        options.append(
            TransitionOption(target=target, label=label, explanation=explanation, blockers=blockers)
        )
    allowed = [o for o in options if o.allowed and not o.irreversible]
    if allowed:
        best = allowed[-1]
        options.remove(best)
        options.insert(0, replace(best, recommended=True))
    return options


def programme_transition_option(*, programme: Programme, target: str) -> TransitionOption | None:
    """The option for ``target`` if it is one of ``programme``'s next steps."""
    return next(
        (o for o in programme_transition_options(programme=programme) if o.target == target),
        None,
    )


def programme_transition(
    *, programme: Programme, target: str, by: User, base_url: str
) -> Programme:
    """Move ``programme`` to ``target`` or raise ``TransitionNotAllowed`` with the reasons.

    ``base_url`` (scheme and host) builds the links of invitations sent on opening
    enrolment. Views ask for confirmation first (the enrolment preview, the typed name
    before closing); this service takes the step it is asked to take.
    """
    programme_transition_counted(programme=programme, target=target, by=by, base_url=base_url)
    return programme


def programme_transition_counted(
    *, programme: Programme, target: str, by: User, base_url: str
) -> int:
    """:func:`programme_transition`, returning how many people the step touched: the
    invitations queued when enrolment opens, the participants completed on closing (else 0).
    ``programme.status`` is updated in place.
    """
    with transaction.atomic():
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        blockers = programme_transition_blockers(programme=locked, target=target)
        if blockers:
            raise TransitionNotAllowed(blockers)
        previous = locked.status
        locked.status = target
        locked.save(update_fields=["status", "updated_at"])
        touched = 0
        if target == Status.ENROLLING:
            touched = invitations_enqueue_unsent(
                invitations=Invitation.objects.filter(cohort__programme=locked),
                base_url=base_url,
            )
        elif target == Status.CLOSED:
            touched = Participant.objects.filter(
                cohort__programme=locked, status=Participant.Status.PAIRED
            ).update(status=Participant.Status.COMPLETED, updated_at=timezone.now())
        audit_record(
            programme=locked,
            actor=by,
            action="programme.status_changed",
            previous=previous,
            status=target,
        )
    programme.status = locked.status
    return touched
