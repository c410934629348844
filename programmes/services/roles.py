"""Who administers a programme and who reads its aggregates (HR viewers)."""

from django.db import transaction

from mentoring.errors import RuleViolation
from mentoring.models import User
from programmes.models import Programme, ProgrammeRole

from .audit import audit_record

Role = ProgrammeRole.Role


@transaction.atomic
def role_grant(*, programme: Programme, by: User, email: str, role: str) -> ProgrammeRole:
    """Give the account with ``email`` a role. The person must have signed up already."""
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
