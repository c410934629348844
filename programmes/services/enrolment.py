"""Opening enrolment: what it will send (per cohort, with the email itself), then sending it.

Opening enrolment emails every invitation prepared while the programme was a draft, so
the admin sees the count and a rendered invitation first and confirms that count; if it
changed in the meantime (someone imported more people), nothing is sent and the page
shows the new figures.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count

from mentoring.errors import RuleViolation
from mentoring.mail_preview import EmailPreview, email_preview
from mentoring.models import User
from programmes.models import Cohort, Invitation, Programme

from .invitations import invitation_message, invitations_unsent
from .programmes import programme_transition_counted

# The preview's link: a real link's token is made for each invitee when their email is
# sent (only its hash is kept), so the preview can only show an example that leads nowhere.
PREVIEW_TOKEN = "example-link-made-for-each-invitee"  # noqa: S105 - not a secret: a placeholder


@dataclass(frozen=True)
class CohortInvitations:
    cohort: Cohort
    waiting: int  # invitations emailed when enrolment opens


@dataclass(frozen=True)
class EnrolmentOpening:
    cohorts: list[CohortInvitations]
    total: int
    sample: EmailPreview | None  # the first invitation's email, as it will be sent
    sample_name: str  # whom that sample is addressed to


def _unsent(programme: Programme):
    return invitations_unsent(invitations=Invitation.objects.filter(cohort__programme=programme))


def enrolment_opening_preview(*, programme: Programme, base_url: str) -> EnrolmentOpening:
    """How many invitations opening enrolment sends, per cohort, and one of them rendered.

    Three queries whatever the number of invitations.
    """
    waiting = dict(
        _unsent(programme).values("cohort_id").annotate(n=Count("id")).values_list("cohort_id", "n")
    )
    cohorts = [
        CohortInvitations(cohort=cohort, waiting=waiting.get(cohort.pk, 0))
        for cohort in programme.cohorts.order_by("starts_on", "name")
    ]
    first = (
        _unsent(programme)
        .select_related("participant", "cohort__programme", "created_by")
        .order_by("cohort__starts_on", "cohort__name", "pk")
        .first()
    )
    sample = None
    if first is not None:
        message = invitation_message(invitation=first, token=PREVIEW_TOKEN, base_url=base_url)
        sample = email_preview(message)
    return EnrolmentOpening(
        cohorts=cohorts,
        total=sum(waiting.values()),
        sample=sample,
        sample_name=first.participant.display_name if first is not None else "",
    )


def programme_open_enrolment(
    *, programme: Programme, by: User, base_url: str, expected_invitations: int
) -> int:
    """Open enrolment and queue the prepared invitations; returns how many were queued.

    ``expected_invitations`` is the count the admin confirmed: if it no longer matches (more
    people were imported, someone withdrew), ``RuleViolation`` is raised and nothing is
    sent. Raises ``TransitionNotAllowed`` (a ``RuleViolation``) when enrolment cannot open.
    """
    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        now = _unsent(programme).count()
        if now != expected_invitations:
            raise RuleViolation(
                {
                    "expected_invitations": f"The number of invitations to send changed since "
                    f"you opened this page ({expected_invitations} then, {now} now). Check "
                    "the figures below and confirm again."
                }
            )
        return programme_transition_counted(
            programme=programme, target=Programme.Status.ENROLLING, by=by, base_url=base_url
        )
