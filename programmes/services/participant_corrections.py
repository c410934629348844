"""A programme admin's corrections to one participant: the profile fields the admin owns,
and a move to another cohort of the programme.

The admin owns what an HR system would hold: name, work email (until the person accepts
and signs in with it), department, location, job title, level, manager and time zone. The
participant's own answers (skills, goals, demographics, consent) are never the admin's to
change. Withdrawing goes through ``participants.participant_withdraw``, the service the
participant uses. Every change is audited with the fields it touched.
"""

from django.db import transaction

from mentoring.errors import RuleViolation
from mentoring.models import User
from programmes.hooks import participant_moving
from programmes.models import Cohort, Invitation, Participant, Programme

from .audit import audit_record
from .imports import participant_link_managers
from .participants import JOINABLE, invitation_resend

Status = Participant.Status
# In the order the edit form shows them.
ADMIN_OWNED_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "department",
    "location",
    "job_title",
    "seniority",
    "manager_email",
    "time_zone",
)


def _manager_in_cohort(*, cohort_id: int, email: str, exclude_pk: int) -> Participant | None:
    if not email:
        return None
    return (
        Participant.objects.filter(cohort_id=cohort_id, email__iexact=email)
        .exclude(pk=exclude_pk)
        .first()
    )


@transaction.atomic
def participant_update_details(
    *,
    participant: Participant,
    by: User,
    base_url: str,
    first_name: str,
    last_name: str,
    email: str,
    department: str,
    location: str,
    job_title: str,
    seniority: int | None,
    manager_email: str,
    time_zone: str,
) -> list[str]:
    """Save the admin-owned fields that changed; returns their names (empty: no change).

    A new email is refused once the person has accepted (it is the address they sign in
    with) and when someone else in the programme has it. For an invitee, the invitation
    follows the new address: a fresh link is emailed to it and the old one stops working.
    A changed manager email re-links the reporting line inside the cohort.
    """
    # The cohort row first, as imports and pairing take it, then the participant's.
    Cohort.objects.select_for_update().filter(pk=participant.cohort_id).first()
    participant = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("cohort__programme")
        .get(pk=participant.pk)
    )
    programme = participant.cohort.programme
    if programme.status == Programme.Status.CLOSED:
        raise RuleViolation("This programme is closed; its participants can no longer change.")
    values = {
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "email": email.strip().lower(),
        "department": department.strip(),
        "location": location.strip(),
        "job_title": job_title.strip(),
        "seniority": seniority,
        "manager_email": manager_email.strip().lower(),
        "time_zone": time_zone or "UTC",
    }
    changed = [name for name in ADMIN_OWNED_FIELDS if getattr(participant, name) != values[name]]
    if not changed:
        return []
    errors: dict[str, str] = {}
    if "email" in changed:
        if participant.user_id is not None:
            errors["email"] = (
                f"{participant.display_name} has accepted the invitation and signs in with "
                "this address; they change it in their own account."
            )
        elif (
            Participant.objects.filter(cohort__programme=programme, email__iexact=values["email"])
            .exclude(pk=participant.pk)
            .exists()
        ):
            errors["email"] = "Someone in this programme already has this email."
    if values["manager_email"] and values["manager_email"] == values["email"]:
        errors["manager_email"] = "A person cannot be their own manager."
    if errors:
        raise RuleViolation(errors)
    for name in changed:
        setattr(participant, name, values[name])
    fields = [*changed, "updated_at"]
    if "manager_email" in changed:
        participant.manager = _manager_in_cohort(
            cohort_id=participant.cohort_id,
            email=participant.manager_email,
            exclude_pk=participant.pk,
        )
        fields.append("manager")
    participant.full_clean(exclude=["user", "manager", "cohort"])
    participant.save(update_fields=fields)
    audit_record(
        programme=programme,
        actor=by,
        action="participant.updated",
        participant=participant.pk,
        email=participant.email,
        name=participant.display_name,
        fields=changed,
    )
    if "email" in changed:
        Invitation.objects.filter(participant=participant).update(email=participant.email)
        # Reports listed with the new address as their manager's are linked now.
        participant_link_managers(
            cohort=participant.cohort, managers={participant.email: participant.pk}
        )
        if participant.status == Status.INVITED and programme.status in JOINABLE:
            invitation_resend(participant=participant, by=by, base_url=base_url)
    return changed


def participant_move_refusal(participant: Participant) -> str:
    """Why ``participant`` cannot move to another cohort now, in words ("" when they can)."""
    name = participant.display_name
    if participant.cohort.programme.status == Programme.Status.CLOSED:
        return "This programme is closed; its participants can no longer move."
    match participant.status:
        case Status.PAIRED:
            return (
                f"{name} is in a live pair in {participant.cohort.name}, and a pair stays in "
                "its cohort. Once the pair has ended (a member ends it from the pair's page), "
                "you can move them."
            )
        case Status.COMPLETED:
            return f"{name} has completed the programme; a finished participation stays put."
        case Status.WITHDRAWN:
            return f"{name} is withdrawn; a withdrawn participation stays in its cohort."
    return ""


@transaction.atomic
def participant_move(*, participant: Participant, to_cohort: Cohort, by: User) -> Participant:
    """Move an invited or enrolled participant to another cohort of the same programme.

    Their invitation moves with them. The reporting lines follow the cohort: their manager
    is looked up again in the new cohort, and their reports in the old one lose the link
    (keeping the manager's email, so it comes back if they do). Higher apps are told first
    (``hooks.participant_moving``): pairing drops their unpublished proposals in the old
    cohort, and refuses while a pairing run of it is computing.
    """
    source_id = participant.cohort_id
    if to_cohort.pk == source_id:
        raise RuleViolation({"cohort": "They are already in this cohort."})
    # Both cohort rows, in id order (two moves in opposite directions cannot deadlock).
    locked = {
        cohort.pk: cohort
        for cohort in Cohort.objects.select_for_update()
        .select_related("programme")
        .filter(pk__in=[source_id, to_cohort.pk])
        .order_by("pk")
    }
    source, target = locked[source_id], locked[to_cohort.pk]
    if target.programme_id != source.programme_id:
        raise RuleViolation({"cohort": "A participant moves only within their programme."})
    participant = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("cohort__programme")
        .get(pk=participant.pk)
    )
    refusal = participant_move_refusal(participant)
    if refusal:
        raise RuleViolation(refusal)
    if (
        participant.user_id
        and Participant.objects.filter(cohort=target, user_id=participant.user_id).exists()
    ):
        raise RuleViolation({"cohort": "Their account already takes part in that cohort."})
    participant_moving(participant=participant, source=source)
    participant.cohort = target
    participant.manager = _manager_in_cohort(
        cohort_id=target.pk, email=participant.manager_email, exclude_pk=participant.pk
    )
    participant.save(update_fields=["cohort", "manager", "updated_at"])
    Participant.objects.filter(cohort_id=source_id, manager=participant).update(manager=None)
    Invitation.objects.filter(participant=participant).update(cohort=target)
    participant_link_managers(cohort=target, managers={participant.email: participant.pk})
    audit_record(
        programme=target.programme,
        actor=by,
        action="participant.moved",
        participant=participant.pk,
        email=participant.email,
        name=participant.display_name,
        cohort=target.name,
        previous=source.name,
    )
    return participant
