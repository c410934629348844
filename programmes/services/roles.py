"""Who administers a programme and who reads its aggregates (HR viewers)."""

from django.db import transaction
from django.utils import timezone

from mentoring.errors import RuleViolation
from mentoring.models import User
from programmes.models import Programme, ProgrammeRole, StaffInvitation

from .audit import audit_record
from .staff_invitations import staff_invitations_open, staff_invite

Role = ProgrammeRole.Role


@transaction.atomic
def role_add(
    *, programme: Programme, by: User, email: str, role: str, base_url: str
) -> ProgrammeRole | StaffInvitation:
    """Give ``email`` a role: at once when an account uses that address, else by an emailed
    invitation (``staff_invite``) that grants it when accepted."""
    if User.objects.filter(email__iexact=email.strip()).exists():
        return role_grant(programme=programme, by=by, email=email, role=role)
    return staff_invite(programme=programme, by=by, email=email, role=role, base_url=base_url)


@transaction.atomic
def role_grant(*, programme: Programme, by: User, email: str, role: str) -> ProgrammeRole:
    """Give the account with ``email`` a role. The person must have signed up already.

    An open invitation of that address to that role is closed (revoked): its link would
    grant nothing new.
    """
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise RuleViolation(
            {
                "email": f"No account uses {email.strip()} yet. Ask them to create one "
                "(Sign up) with this address, then add them here."
            }
        )
    existing = ProgrammeRole.objects.filter(programme=programme, user=user, role=role).first()
    if existing:
        already = f"{user.display_name} is already {existing.get_role_display().lower()}."
        raise RuleViolation({"email": already})
    granted = ProgrammeRole.objects.create(programme=programme, user=user, role=role, granted_by=by)
    staff_invitations_open(programme=programme).filter(email=user.email.lower(), role=role).update(
        revoked_at=timezone.now()
    )
    audit_record(
        programme=programme,
        actor=by,
        action="role.granted",
        email=user.email,
        role=role,
    )
    return granted


@transaction.atomic
def role_revoke(*, role: ProgrammeRole, by: User) -> None:
    """Remove a role; a programme always keeps at least one admin."""
    programme = Programme.objects.select_for_update().get(pk=role.programme_id)
    if role.role == Role.ADMIN:
        admins = ProgrammeRole.objects.filter(programme=programme, role=Role.ADMIN).count()
        if admins <= 1:
            raise RuleViolation("A programme needs at least one admin: add another admin first.")
    email, kind = role.user.email, role.role
    role.delete()
    audit_record(programme=programme, actor=by, action="role.revoked", email=email, role=kind)
