"""Inviting programme admins and HR viewers who have no account yet, by email.

The invitation's link works once, for 14 days from when it was emailed; only the SHA-256
of its token is stored (``mentoring.tokens``), and the token is made when the email is
sent, by Celery after commit. Accepting it, signed in with the invited address, grants
the role, recorded as granted by whoever invited. Admins may resend (a new link; the old
one stops working) or revoke an open invitation.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from mentoring.errors import RuleViolation
from mentoring.models import User
from mentoring.outbox import enqueue
from mentoring.tokens import token_digest, token_issue, unissued_digest
from programmes.models import Programme, ProgrammeRole, StaffInvitation, staff_invitation_expiry

from .audit import audit_record
from .participants import user_owns_email

# By name: ``programmes.tasks`` imports this module, so it cannot import the task.
SEND_TASK = "programmes.tasks.staff_invitation_send_task"
VALID_DAYS = 14  # the link works this long after it was emailed


def staff_invitations_open(*, programme: Programme):
    """The programme's invitations neither accepted nor revoked, newest first."""
    return (
        StaffInvitation.objects.filter(
            programme=programme, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )


@transaction.atomic
def staff_invite(
    *, programme: Programme, by: User, email: str, role: str, base_url: str
) -> StaffInvitation:
    """Invite ``email`` (an address with no account) to take ``role``; emailed after commit."""
    email = email.strip().lower()
    label = ProgrammeRole.Role(role).label.lower()
    existing = staff_invitations_open(programme=programme).filter(email=email, role=role).first()
    if existing is not None:
        raise RuleViolation(
            {
                "email": f"{email} was already invited as {label} on "
                f"{existing.created_at:%d %b %Y}. Resend that invitation from the list instead."
            }
        )
    invitation = StaffInvitation(programme=programme, email=email, role=role, invited_by=by)
    invitation.full_clean()
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:  # a second admin invited the same person a moment ago
        raise RuleViolation({"email": f"{email} was already invited as {label}."}) from None
    audit_record(
        programme=programme, actor=by, action="staff_invitation.sent", email=email, role=role
    )
    enqueue(SEND_TASK, invitation.pk, base_url)
    return invitation


def _open_or_refuse(invitation: StaffInvitation) -> StaffInvitation:
    locked = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise RuleViolation(f"{locked.email} has already accepted this invitation.")
    if locked.revoked_at is not None:
        raise RuleViolation("This invitation was revoked.")
    return locked


@transaction.atomic
def staff_invitation_resend(
    *, invitation: StaffInvitation, by: User, base_url: str
) -> StaffInvitation:
    """A new email with a new link; the old link stops working now."""
    invitation = _open_or_refuse(invitation)
    invitation.token_hash = unissued_digest()
    invitation.sent_at = None
    invitation.expires_at = staff_invitation_expiry()
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    audit_record(
        programme=invitation.programme,
        actor=by,
        action="staff_invitation.resent",
        email=invitation.email,
        role=invitation.role,
    )
    enqueue(SEND_TASK, invitation.pk, base_url)
    return invitation


@transaction.atomic
def staff_invitation_revoke(*, invitation: StaffInvitation, by: User) -> StaffInvitation:
    """The link stops working at once; the person can be invited again later."""
    invitation = _open_or_refuse(invitation)
    invitation.revoked_at = timezone.now()
    invitation.token_hash = unissued_digest()
    invitation.save(update_fields=["revoked_at", "token_hash"])
    audit_record(
        programme=invitation.programme,
        actor=by,
        action="staff_invitation.revoked",
        email=invitation.email,
        role=invitation.role,
    )
    return invitation


@sensitive_variables("token")
def staff_invitation_url(*, token: str, base_url: str) -> str:
    path = reverse("programmes:staff_invitation", kwargs={"token": token})
    return base_url.rstrip("/") + path


@sensitive_variables("token", "context")
def staff_invitation_message(
    *, invitation: StaffInvitation, token: str, base_url: str
) -> EmailMultiAlternatives:
    """The invitation email, its link made from ``token``: the one place the token lives."""
    context = {
        "invitation": invitation,
        "programme": invitation.programme,
        "inviter": invitation.invited_by,
        "is_hr": invitation.role == ProgrammeRole.Role.HR,
        "role_label": invitation.get_role_display(),
        "url": staff_invitation_url(token=token, base_url=base_url),
        "valid_days": VALID_DAYS,
    }
    subject = " ".join(render_to_string("emails/staff_invitation_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/staff_invitation_body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    )
    message.attach_alternative(
        render_to_string("emails/staff_invitation_body.html", context), "text/html"
    )
    return message


@sensitive_variables("token", "message")
def staff_invitation_send(*, invitation_id: int, base_url: str) -> bool:
    """Email the invitation unless it was sent already; True if sent (the task's body).

    Idempotent and safe under retries: the row is claimed under a lock, and an invitation
    already sent, accepted, revoked or vanished is skipped. The token is made here and only
    its hash saved; if the mail server refuses, the transaction (and the hash) rolls back.
    """
    with transaction.atomic():
        invitation = (
            StaffInvitation.objects.select_for_update(of=("self",))
            .select_related("programme", "invited_by")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.sent_at or not invitation.is_open:
            return False
        now = timezone.now()
        invitation.sent_at = now
        invitation.expires_at = now + timedelta(days=VALID_DAYS)
        token, invitation.token_hash = token_issue()
        staff_invitation_message(invitation=invitation, token=token, base_url=base_url).send()
        invitation.save(update_fields=["sent_at", "expires_at", "token_hash"])
    return True


@sensitive_variables("token")
def staff_invitation_get_by_token(*, token: str) -> StaffInvitation | None:
    """The invitation whose emailed link carries ``token`` (looked up by its hash)."""
    return (
        StaffInvitation.objects.select_related("programme", "invited_by", "accepted_by")
        .filter(token_hash=token_digest(token))
        .first()
    )


def staff_invitation_refusal(*, invitation: StaffInvitation) -> str:
    """Why the link no longer works, in words for the invitee ("" while it does)."""
    if invitation.revoked_at is not None:
        return "This invitation was withdrawn. Ask the programme admin if you still need access."
    if invitation.accepted_at is not None:
        return "This invitation has already been used."
    if invitation.expires_at <= timezone.now():
        return "This invitation has expired. Ask the programme admin to send you a new one."
    return ""


def staff_invitation_role_held(*, invitation: StaffInvitation, user: User) -> ProgrammeRole | None:
    """The role ``invitation`` grants, if ``user`` holds it already (a second click)."""
    return (
        ProgrammeRole.objects.select_related("programme")
        .filter(programme=invitation.programme, user=user, role=invitation.role)
        .first()
    )


def staff_invitation_accept(*, invitation: StaffInvitation, user: User) -> ProgrammeRole:
    """Grant the invited role to ``user`` (single use); ``RuleViolation`` with the reason.

    A second click by the same person returns their role again. The role is recorded as
    granted by whoever sent the invitation.
    """
    with transaction.atomic():
        invitation = (
            StaffInvitation.objects.select_for_update(of=("self",))
            .select_related("programme", "invited_by")
            .get(pk=invitation.pk)
        )
        if not user_owns_email(user=user, email=invitation.email):
            raise RuleViolation(
                "This invitation was sent to a different email address than the one you are "
                "signed in with. Sign out and sign in (or create an account) with the address "
                "the invitation was sent to."
            )
        if invitation.accepted_at is not None and invitation.accepted_by_id == user.pk:
            role = ProgrammeRole.objects.filter(
                programme=invitation.programme, user=user, role=invitation.role
            ).first()
            if role is not None:
                return role
        refusal = staff_invitation_refusal(invitation=invitation)
        if refusal:
            raise RuleViolation(refusal)
        role, created = ProgrammeRole.objects.get_or_create(
            programme=invitation.programme,
            user=user,
            role=invitation.role,
            defaults={"granted_by": invitation.invited_by},
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        if created:
            audit_record(
                programme=invitation.programme,
                actor=invitation.invited_by,
                action="role.granted",
                email=user.email,
                role=invitation.role,
                invited_by=invitation.invited_by.email if invitation.invited_by else "",
                via="invitation",
            )
    return role
