"""Sending invitation emails (from Celery, after commit, in batches, at most once each)."""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from mentoring.outbox import enqueue
from mentoring.tokens import token_issue
from programmes.models import Invitation, Participant, Programme

logger = logging.getLogger(__name__)

SEND_BATCH = 200  # invitations per Celery task: 10,000 invitees = 50 tasks, not 10,000
# The tasks, by name: ``programmes.tasks`` imports this module, so it cannot import them.
SEND_ONE_TASK = "programmes.tasks.invitation_send_task"
SEND_BATCH_TASK = "programmes.tasks.invitations_send_batch_task"
VALID_DAYS = 30  # an invitation link works this long after it was emailed
# Programmes whose invitations go out: a draft programme keeps them until enrolment opens.
SENDING_STATUSES = (
    Programme.Status.ENROLLING,
    Programme.Status.MATCHING,
    Programme.Status.RUNNING,
)


@sensitive_variables("token")
def invitation_url(*, token: str, base_url: str) -> str:
    """The link of an invitation email; ``token`` is the raw token (only its hash is kept)."""
    path = reverse("programmes:invitation", kwargs={"token": token})
    return base_url.rstrip("/") + path


def invitations_enqueue(
    *, programme: Programme, invitation_ids: Iterable[int], base_url: str
) -> bool:
    """Queue the emails (after commit) when the programme sends invitations; True if queued."""
    if programme.status not in SENDING_STATUSES:
        return False
    ids = list(invitation_ids)
    if len(ids) == 1:
        enqueue(SEND_ONE_TASK, ids[0], base_url)
    else:
        _enqueue_batches(ids, base_url)
    return bool(ids)


def _enqueue_batches(ids: list[int], base_url: str) -> None:
    for start in range(0, len(ids), SEND_BATCH):
        enqueue(SEND_BATCH_TASK, ids[start : start + SEND_BATCH], base_url)


def invitations_unsent(*, invitations: QuerySet[Invitation]) -> QuerySet[Invitation]:
    """The invitations of ``invitations`` that opening enrolment emails: not yet sent nor
    accepted, of people who have not withdrawn (the enrolment preview counts these)."""
    return invitations.filter(sent_at__isnull=True, accepted_at__isnull=True).exclude(
        participant__status=Participant.Status.WITHDRAWN
    )


def invitations_enqueue_unsent(*, invitations: QuerySet[Invitation], base_url: str) -> int:
    """Queue every invitation of ``invitations`` not yet sent nor accepted (opening enrolment)."""
    ids = list(
        invitations_unsent(invitations=invitations).order_by("pk").values_list("pk", flat=True)
    )
    _enqueue_batches(ids, base_url)
    return len(ids)


@sensitive_variables("token", "context")
def invitation_message(
    *, invitation: Invitation, token: str, base_url: str
) -> EmailMultiAlternatives:
    """The invitation email, its link made from ``token``: the one place the token lives."""
    participant = invitation.participant
    programme = invitation.cohort.programme
    context = {
        "invitation": invitation,
        "participant": participant,
        "programme": programme,
        "cohort": invitation.cohort,
        "url": invitation_url(token=token, base_url=base_url),
        "inviter": invitation.created_by,
        "valid_days": VALID_DAYS,
    }
    subject = " ".join(render_to_string("emails/invitation_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/invitation_body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    )
    message.attach_alternative(
        render_to_string("emails/invitation_body.html", context), "text/html"
    )
    return message


@sensitive_variables("token", "message")
def invitations_send(*, invitation_ids: Iterable[int], base_url: str) -> int:
    """Email each invitation not sent yet; returns how many were sent.

    Idempotent: an invitation with ``sent_at`` is skipped, so a retried or duplicated
    task sends nothing twice. Each invitation is claimed under a row lock in its own
    transaction, so two workers never send the same one. Vanished, accepted or
    withdrawn invitations are skipped, as are those of a programme not (or no longer)
    sending invitations.

    The link's token is made here, just before the email is built, and only its hash is
    saved: the token exists in the email and nowhere else (not in the task's arguments,
    not in the database). A resend (``sent_at`` cleared) gets a fresh token.
    """
    sent = 0
    connection = get_connection()
    try:
        for invitation_id in invitation_ids:
            with transaction.atomic():
                invitation = (
                    Invitation.objects.select_for_update(of=("self",))
                    .select_related("participant", "cohort__programme", "created_by")
                    .filter(pk=invitation_id)
                    .first()
                )
                if invitation is None or invitation.sent_at or invitation.accepted_at:
                    continue
                if invitation.participant.status == Participant.Status.WITHDRAWN:
                    continue
                if invitation.cohort.programme.status not in SENDING_STATUSES:
                    continue
                now = timezone.now()
                invitation.sent_at = now
                invitation.expires_at = max(invitation.expires_at, now + timedelta(days=VALID_DAYS))
                token, invitation.token_hash = token_issue()
                message = invitation_message(invitation=invitation, token=token, base_url=base_url)
                message.connection = connection
                # Sent inside the transaction: if the mail server refuses, sent_at and the
                # new hash roll back and the task's retry tries again with a new token.
                message.send()
                invitation.save(update_fields=["sent_at", "expires_at", "token_hash"])
                sent += 1
    finally:
        connection.close()
    return sent
