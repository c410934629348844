"""Invitation emails, sent by Celery after the import or invite has committed."""

from smtplib import SMTPException

from celery import shared_task

from .services.applications import application_decision_email
from .services.invitations import invitations_send
from .services.staff_invitations import staff_invitation_send


@shared_task(
    time_limit=60,
    soft_time_limit=50,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    max_retries=8,
)
def invitation_send_task(invitation_id: int, base_url: str) -> int:
    """Email one invitation unless it was sent already (safe to run twice)."""
    return invitations_send(invitation_ids=[invitation_id], base_url=base_url)


@shared_task(
    time_limit=600,
    soft_time_limit=540,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    max_retries=8,
)
def invitations_send_batch_task(invitation_ids: list[int], base_url: str) -> int:
    """Email a batch (up to 200) of invitations; a retry skips those already sent."""
    return invitations_send(invitation_ids=invitation_ids, base_url=base_url)


@shared_task(
    time_limit=60,
    soft_time_limit=50,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    max_retries=8,
)
def staff_invitation_send_task(invitation_id: int, base_url: str) -> bool:
    """Email an admin's or HR viewer's invitation unless it was sent already (safe twice)."""
    return staff_invitation_send(invitation_id=invitation_id, base_url=base_url)


@shared_task(
    time_limit=60,
    soft_time_limit=50,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    max_retries=8,
)
def application_decision_email_task(application_id: int, base_url: str) -> int:
    """Email an applicant the admins' decision unless it was sent already (safe twice)."""
    return application_decision_email(application_id=application_id, base_url=base_url)
