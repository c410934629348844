"""The one-click unsubscribe token: the person's id, signed with SECRET_KEY.

Signed rather than stored: a mail's link must keep working as long as the mail exists
(RFC 8058 clients call it without a session), and nothing in the database opens it.
The kind travels in the query string; the token alone can only switch notifications off,
and only for that one person.
"""

from django.core import signing

SALT = "mentoring.notifications.unsubscribe"


def unsubscribe_token(user_id: int) -> str:
    return signing.dumps(user_id, salt=SALT, compress=False)


def unsubscribe_user_id(token: str) -> int | None:
    """The user id in ``token``, or None when it was not made by ``unsubscribe_token``."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
