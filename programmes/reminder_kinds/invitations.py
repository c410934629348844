"""``invitation_unaccepted``: 3 and 7 days after an invitation was emailed, if nobody
accepted it, to the invited address (the invitee has no account yet).

Only the SHA-256 of an invitation's token is stored, so the reminder can carry a working
link only by issuing a new token, as a resend does: the render makes a fresh token, saves
its hash and puts the link in the mail's body. The link in the earlier email then stops
working (the reminder says so): there is one live link at a time, and it is in the newest
mail. The render runs inside the send's transaction, so a mail server that refuses rolls
the new hash back. The token is never stored: not in the delivery's ``context``, nor in
its ``link`` (the bell's deep link), which is the site's address only. ``sent_at`` (the
anchor of both reminders) is not touched; an admin's resend sets it again, which starts
the two reminders afresh and makes pending ones for the old email moot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from mentoring.notifications.models import Delivery
from mentoring.notifications.registry import Due, Kind, RenderedMessage
from mentoring.tokens import token_issue
from programmes.models import Invitation, Participant
from programmes.services.invitations import SENDING_STATUSES, invitation_url

from .common import SCAN_CHUNK, absolute, reminder_message, when_text, windows

CODE = "invitation_unaccepted"


def _open_invitations():
    return Invitation.objects.filter(
        accepted_at__isnull=True,
        participant__user__isnull=True,
        cohort__programme__status__in=SENDING_STATUSES,
    ).exclude(participant__status=Participant.Status.WITHDRAWN)


def invitation_scan(now: dt.datetime) -> Iterator[Due]:
    """Per programme and offset, on the (cohort, sent_at) index."""
    for window in windows(code=CODE, now=now):
        invitations = (
            _open_invitations()
            .filter(
                cohort__programme_id=window.programme_id,
                sent_at__gt=window.low,
                sent_at__lte=window.high,
                expires_at__gt=now,
            )
            .values_list("pk", "email", "sent_at")
            .order_by()
        )
        for invitation_id, email, sent_at in invitations.iterator(chunk_size=SCAN_CHUNK):
            yield Due(
                recipient_id=None,
                email=email.lower(),
                object_key=f"invitation:{invitation_id}",
                due_at=sent_at + window.offset,
                programme_id=window.programme_id,
                context={"invitation_id": invitation_id, "hours": window.offset_hours},
            )


@sensitive_variables("token", "url")
def invitation_render(delivery: Delivery) -> RenderedMessage | None:
    """None when the invitation was accepted, withdrawn, expired, resent since (another
    ``sent_at``), or its programme no longer takes invitees."""
    hours = int(delivery.context.get("hours", 0))
    invitation = (
        _open_invitations()
        .select_for_update(of=("self",))
        .select_related("participant", "cohort__programme", "created_by")
        .filter(pk=delivery.context.get("invitation_id"))
        .first()
    )
    now = timezone.now()
    if (
        invitation is None
        or invitation.sent_at is None
        or invitation.sent_at + dt.timedelta(hours=hours) != delivery.due_at
        or invitation.expires_at <= now
    ):
        return None
    token, invitation.token_hash = token_issue()
    invitation.save(update_fields=["token_hash"])
    url = invitation_url(token=token, base_url=absolute(""))
    participant = invitation.participant
    programme = invitation.cohort.programme
    zone = participant.time_zone
    days = max(1, round((now - invitation.sent_at).total_seconds() / 86400))
    return reminder_message(
        code=CODE,
        subject=f"Reminder: your invitation to {programme.name}",
        # The bell's deep link is stored: never the tokened URL (it is in the body only).
        link=absolute(reverse("home")),
        zone_name=zone,
        context={
            "participant": participant,
            "programme": programme,
            "cohort": invitation.cohort,
            "inviter": invitation.created_by,
            "email": invitation.email,
            "url": url,
            "days": days,
            "expires": when_text(invitation.expires_at, zone),
        },
    )


KIND = Kind(
    code=CODE,
    label="Invitation reminders",
    description="3 and 7 days after an invitation was emailed, while nobody has accepted it.",
    default_offsets=(72, 168),
    scan=invitation_scan,
    render=invitation_render,
)
