"""Secret-link helpers for tests: only a token's hash is stored, so a test gets the token
the way a person does (from the email) or issues one the way the sending task does."""

import re

from mentoring.tokens import token_digest, token_issue
from programmes.models import Invitation

INVITATION_LINK = re.compile(r"/programmes/invitations/(?P<token>[A-Za-z0-9_-]+)/")


def emailed_invitation_token(body: str) -> str:
    """The token of the invitation link in an email body."""
    match = INVITATION_LINK.search(body)
    assert match, "no invitation link in the email"
    return match.group("token")


def invitation_token_issue(invitation: Invitation) -> str:
    """Give ``invitation`` a working link token, as sending its email does; returns it."""
    token, digest = token_issue()
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=digest)
    invitation.token_hash = digest
    return token


def invitation_of_token(token: str) -> Invitation | None:
    return Invitation.objects.filter(token_hash=token_digest(token)).first()


STAFF_INVITATION_LINK = re.compile(
    r"(?P<url>https?://\S+/programmes/staff-invitations/(?P<token>[A-Za-z0-9_-]+)/)"
)


def emailed_staff_invitation_link(body: str) -> tuple[str, str]:
    """``(url, token)`` of the admin's or HR viewer's invitation link in an email body."""
    match = STAFF_INVITATION_LINK.search(body)
    assert match, "no staff invitation link in the email"
    return match.group("url"), match.group("token")


def token_issue_for(row) -> str:
    """Give any row with a ``token_hash`` (an invitation, a staff invitation) a working link
    token, as sending its email does; returns the token."""
    token, digest = token_issue()
    type(row).objects.filter(pk=row.pk).update(token_hash=digest)
    row.token_hash = digest
    return token
