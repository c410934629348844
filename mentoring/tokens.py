"""Secret URL tokens (calendar feeds, invitations): the database keeps only their hash.

A token is 32 random bytes (``secrets.token_urlsafe``), so a plain SHA-256 is enough: there
is nothing to guess, and a leaked table (a backup, a read-only replica, the Django admin)
gives no working link. The raw token exists only where it is handed to its owner: the
calendar page right after creation, the invitation email.
"""

import hashlib
import secrets

TOKEN_BYTES = 32


def token_digest(token: str) -> str:
    """The stored form of ``token``: SHA-256, 64 hex characters."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_issue() -> tuple[str, str]:
    """A fresh secret and its digest: ``(token, digest)``. Store the digest, hand out the token."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_digest(token)


def unissued_digest() -> str:
    """The digest of a token nobody was given: a placeholder no URL can match.

    Used where a row must exist before its link is handed out (an invitation waits for
    its email), and to make an old link stop working at once.
    """
    return token_issue()[1]
