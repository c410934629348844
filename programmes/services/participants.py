"""A participant's journey: invited → (accepts, signs the charter, fills the profile) enrolled
→ paired (by the pairing app) → completed, or withdrawn at any point before pairing.
"""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from mentoring.errors import RuleViolation
from mentoring.models import User
from mentoring.tokens import token_digest, unissued_digest
from programmes.hooks import demographics_erased
from programmes.models import Cohort, Invitation, Participant, Programme, Skill, invitation_expiry

from .audit import audit_record
from .imports import (
    Problem,
    import_context,
    participant_link_managers,
    validate_rows,
)
from .invitations import invitations_enqueue

Status = Participant.Status
# Programme statuses in which invitees may accept and join.
JOINABLE = (Programme.Status.ENROLLING, Programme.Status.MATCHING, Programme.Status.RUNNING)


def participant_invite_check(*, cohort: Cohort, cells: dict[str, str]) -> list[Problem]:
    """Problems the import would report for this one person (skills are chosen, not typed)."""
    rows, _ = validate_rows([(1, cells)], context=import_context(cohort=cohort))
    return rows[0].problems


@transaction.atomic
def participant_invite(
    *,
    cohort: Cohort,
    by: User,
    base_url: str,
    email: str,
    first_name: str = "",
    last_name: str = "",
    department: str = "",
    location: str = "",
    job_title: str = "",
    seniority: int | None = None,
    manager_email: str = "",
    time_zone: str = "UTC",
    skills_offered: Iterable[Skill] = (),
    skills_wanted: Iterable[Skill] = (),
    notify: bool = True,
) -> Participant:
    """Invite one person into ``cohort``; the email goes out after commit (not in draft).

    ``notify=False`` creates the invitation without emailing it: an approved application
    links the applicant's account at once (see ``applications``).
    """
    programme = cohort.programme
    if programme.status == Programme.Status.CLOSED:
        raise RuleViolation("This programme is closed; nobody can be invited any more.")
    email = email.strip().lower()
    manager_email = manager_email.strip().lower()
    manager = (
        Participant.objects.filter(cohort=cohort, email__iexact=manager_email).first()
        if manager_email
        else None
    )
    participant = Participant(
        cohort=cohort,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        department=department.strip(),
        location=location.strip(),
        job_title=job_title.strip(),
        seniority=seniority,
        manager_email=manager_email,
        manager=manager,
        time_zone=time_zone or "UTC",
        status=Status.INVITED,
    )
    participant.full_clean()
    participant.save()
    participant.skills_offered.set(skills_offered)
    participant.skills_wanted.set(skills_wanted)
    invitation = Invitation.objects.create(
        participant=participant, email=email, cohort=cohort, created_by=by
    )
    participant_link_managers(cohort=cohort, managers={email: participant.pk})
    audit_record(
        programme=programme,
        actor=by,
        action="participant.invited",
        participant=participant.pk,
        email=email,
        cohort=cohort.name,
    )
    if notify:
        invitations_enqueue(programme=programme, invitation_ids=[invitation.pk], base_url=base_url)
    return participant


@transaction.atomic
def invitation_resend(*, participant: Participant, by: User, base_url: str) -> Invitation:
    """A fresh link (the old one stops working) and a new email, for someone still invited."""
    if participant.status != Status.INVITED or participant.user_id:
        raise RuleViolation(f"{participant.display_name} has already accepted.")
    programme = participant.cohort.programme
    if programme.status not in JOINABLE:
        raise RuleViolation(
            "Invitations are sent when enrolment opens."
            if programme.status == Programme.Status.DRAFT
            else "This programme is closed."
        )
    invitation, _ = Invitation.objects.get_or_create(
        participant=participant,
        defaults={"email": participant.email, "cohort": participant.cohort, "created_by": by},
    )
    # The old link stops working now; the new one is made when the email goes out.
    invitation.token_hash = unissued_digest()
    invitation.expires_at = invitation_expiry()
    invitation.sent_at = None
    invitation.save(update_fields=["token_hash", "expires_at", "sent_at"])
    audit_record(
        programme=programme,
        actor=by,
        action="invitation.resent",
        participant=participant.pk,
        email=participant.email,
    )
    invitations_enqueue(programme=programme, invitation_ids=[invitation.pk], base_url=base_url)
    return invitation


@sensitive_variables("token")
def invitation_get_by_token(*, token: str) -> Invitation | None:
    """The invitation whose emailed link carries ``token`` (looked up by its hash)."""
    return (
        Invitation.objects.select_related("participant", "cohort__programme")
        .filter(token_hash=token_digest(token))
        .first()
    )


def user_owns_email(*, user: User, email: str) -> bool:
    """True when ``email`` is the user's login or one of their verified addresses."""
    from allauth.account.models import EmailAddress

    email = email.strip().lower()
    if user.email.lower() == email:
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def invitation_accept(*, invitation: Invitation, user: User) -> Participant:
    """Link the invitee's account to their participation (single use).

    Raises ``RuleViolation`` with a message for the invitee: expired, already used,
    for another address, programme not open, or already a participant of the cohort.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("participant", "cohort__programme")
            .get(pk=invitation.pk)
        )
        participant = invitation.participant
        if not user_owns_email(user=user, email=invitation.email):
            raise RuleViolation(
                "This invitation was sent to a different email address than the one you are "
                "signed in with. Sign out and sign in (or create an account) with the address "
                "the invitation was sent to."
            )
        if invitation.accepted_at is not None:
            if participant.user_id == user.pk:
                return participant  # a second click on the link: nothing to do
            raise RuleViolation("This invitation has already been used.")
        if invitation.expires_at <= timezone.now():
            raise RuleViolation(
                "This invitation has expired. Ask the programme admin to send you a new one."
            )
        if participant.status == Status.WITHDRAWN:
            raise RuleViolation("You withdrew from this programme.")
        if invitation.cohort.programme.status not in JOINABLE:
            raise RuleViolation("This programme is not open for enrolment.")
        if Participant.objects.filter(cohort=invitation.cohort, user=user).exists():
            raise RuleViolation("You already take part in this cohort.")
        participant.user = user
        participant.first_name = participant.first_name or user.first_name
        participant.last_name = participant.last_name or user.last_name
        invitation.accepted_at = timezone.now()
        try:
            participant.save(update_fields=["user", "first_name", "last_name", "updated_at"])
        except IntegrityError:
            raise RuleViolation("You already take part in this cohort.") from None
        invitation.save(update_fields=["accepted_at"])
    return participant


def participant_accept_charter(*, participant: Participant) -> Participant:
    if participant.status == Status.WITHDRAWN:
        raise RuleViolation("You withdrew from this programme.")
    if participant.charter_accepted_at is None:
        participant.charter_accepted_at = timezone.now()
        participant.save(update_fields=["charter_accepted_at", "updated_at"])
    return participant


@transaction.atomic
def participant_update_profile(
    *,
    participant: Participant,
    skills_offered: Iterable[Skill],
    skills_wanted: Iterable[Skill],
    goals: str,
    time_zone: str,
    demographics_consent: bool,
    gender: str = "",
    gender_self_description: str = "",
    birth_year: int | None = None,
) -> Participant:
    """Save the profile; a first complete profile (charter accepted) enrols the participant.

    Gender and birth year are kept only with consent: without it they are erased, and so is
    what pairing derived from them (see ``participant_demographics_erase``).
    """
    if participant.status in (Status.WITHDRAWN, Status.COMPLETED):
        raise RuleViolation("This participation has ended; the profile cannot change.")
    if participant.charter_accepted_at is None:
        raise RuleViolation("Accept the programme charter first.")
    before = (participant.demographics_consent, participant.gender, participant.birth_year)
    participant.goals = goals.strip()
    participant.time_zone = time_zone
    participant.demographics_consent = demographics_consent
    participant.gender = gender.strip() if demographics_consent else ""
    words = gender_self_description.strip()
    participant.gender_self_description = words if demographics_consent and words else ""
    participant.birth_year = birth_year if demographics_consent else None
    # A value taken back (consent unticked, a field emptied or changed) must also leave the
    # pairs' scores. Lock the cohort before this participant's row, in the order pairing
    # runs and publication take them, so the two never wait for each other.
    forget = before[0] and before != (
        participant.demographics_consent,
        participant.gender,
        participant.birth_year,
    )
    if forget:
        _lock_cohort_for_demographics(participant)
    fields = ["goals", "time_zone", "demographics_consent", "gender", "birth_year", "updated_at"]
    fields.append("gender_self_description")
    if participant.status == Status.INVITED:
        participant.status = Status.ENROLLED
        fields.append("status")
    participant.full_clean(exclude=["user", "manager", "cohort"])
    participant.save(update_fields=fields)
    participant.skills_offered.set(skills_offered)
    participant.skills_wanted.set(skills_wanted)
    if forget:
        demographics_erased(participant=participant)
    user = participant.user
    if user is not None and user.time_zone == "UTC" and time_zone != "UTC":
        # An account still on the default zone takes the one just chosen, so the pages
        # and emails show times where the person is.
        user.time_zone = time_zone
        user.save(update_fields=["time_zone"])
    return participant


def _lock_cohort_for_demographics(participant: Participant) -> None:
    Cohort.objects.select_for_update().filter(pk=participant.cohort_id).first()


@transaction.atomic
def participant_demographics_erase(*, participant: Participant) -> Participant:
    """Withdraw consent: erase gender and birth year, and what pairing derived from them
    (pairing's handler of ``programmes.hooks.demographics_erased``, in this transaction).

    Allowed in every status, after the programme too: consent can always be taken back.
    """
    _lock_cohort_for_demographics(participant)
    participant.demographics_consent = False
    participant.gender = ""
    participant.gender_self_description = ""
    participant.birth_year = None
    participant.save(
        update_fields=[
            "demographics_consent",
            "gender",
            "gender_self_description",
            "birth_year",
            "updated_at",
        ]
    )
    demographics_erased(participant=participant)
    return participant


@transaction.atomic
def participant_withdraw(
    *, participant: Participant, reason: str, by: User | None = None
) -> Participant:
    """Leave the programme, or (``by`` a programme admin) be withdrawn by its admin.

    The participant's own withdrawal and an admin's go through here alike; ``withdrawn_by``
    and the audit trail say who did it. The reason is read by the programme's admins only
    (a participant withdrawn by an admin is not shown the admin's reason). A paired
    participant's pair is ended first, by one of its members, from the pair's page.

    Leaving ends the consent to use gender and birth year "for this programme": they are
    erased with everything pairing derived from them.
    """
    # Read the status again under locks (a publication may just have paired them): the
    # cohort first, then the participant, in the order pairing takes them.
    _lock_cohort_for_demographics(participant)
    participant = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("cohort__programme", "user")
        .get(pk=participant.pk)
    )
    by = by if by is not None else participant.user
    by_admin = by is not None and by.pk != participant.user_id
    if participant.status == Status.WITHDRAWN:
        return participant
    if participant.status in (Status.PAIRED, Status.COMPLETED):
        if by_admin:
            raise RuleViolation(
                f"{participant.display_name} is in a live pair. A pair is ended by one of its "
                "members from the pair's page (you are told why); withdraw them once it has "
                "ended."
                if participant.status == Status.PAIRED
                else f"{participant.display_name} has completed the programme; there is "
                "nothing to withdraw from."
            )
        raise RuleViolation(
            "You are in a pair: ask to end the pair from your pair's page first, so your "
            "partner and the programme admin know."
            if participant.status == Status.PAIRED
            else "Your participation is already complete."
        )
    if participant.demographics_consent:
        participant_demographics_erase(participant=participant)
    participant.status = Status.WITHDRAWN
    participant.withdrawn_reason = reason.strip()
    participant.withdrawn_by = by
    participant.save(update_fields=["status", "withdrawn_reason", "withdrawn_by", "updated_at"])
    audit_record(
        programme=participant.cohort.programme,
        actor=by,
        action="participant.withdrawn_by_admin" if by_admin else "participant.withdrew",
        participant=participant.pk,
        email=participant.email,
        name=participant.display_name,
        cohort=participant.cohort.name,
    )
    return participant
