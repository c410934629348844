"""Keep secret URL tokens out of logs and error reports.

Three URLs carry a secret in their path: a calendar feed (``/pairing/calendar/<token>.ics``),
a participant's invitation (``/programmes/invitations/<token>/``) and an admin's or HR
viewer's invitation (``/programmes/staff-invitations/<token>/``). Whoever reads a log line
with one of them can read that calendar or take that invitation, so every log line and error
report goes through :func:`redact` first: gunicorn's access log (``gunicorn.conf.py``),
Django's request and server loggers (``RedactSecretsFilter``) and the error emails sent
to ``ADMINS`` (``mentoring.error_reports.RedactingExceptionReporter``).

This module imports nothing from Django at import time: gunicorn's master loads it.
"""

import logging
import re
from collections.abc import Iterable

REDACTED = "[redacted]"

# The separators may be percent-encoded: a sign-in redirect carries the invitation path
# in ``?next=%2Fprogrammes%2Finvitations%2F<token>%2F``.
_SEP = r"(?:/|%2[fF])"
SECRET_PATHS = re.compile(
    rf"(?P<prefix>{_SEP}pairing{_SEP}calendar{_SEP})(?P<secret>[^/?#&\s\"'<>%]+?)(?=\.ics)"
    # A participant's invitation, or an admin's or HR viewer's ("staff-invitations").
    rf"|(?P<prefix2>{_SEP}programmes{_SEP}(?:staff-)?invitations{_SEP})"
    rf"(?P<secret2>[^/?#&\s\"'<>%]+)"
)
# Paths under the calendar prefix that are pages, not tokens.
_NOT_SECRETS = {"revoke"}


def secrets_in(text: str) -> list[str]:
    """The tokens found in the secret paths of ``text`` (to redact them anywhere else too)."""
    found = []
    for match in SECRET_PATHS.finditer(text):
        secret = match.group("secret") or match.group("secret2")
        if secret not in _NOT_SECRETS:
            found.append(secret)
    return found


def _replace(match: re.Match) -> str:
    prefix = match.group("prefix") or match.group("prefix2")
    secret = match.group("secret") or match.group("secret2")
    return match.group(0) if secret in _NOT_SECRETS else prefix + REDACTED


def redact(text: str, *, also: Iterable[str] = ()) -> str:
    """``text`` with the token of every secret path replaced by ``[redacted]``.

    ``also``: tokens to remove wherever they appear (say, a token that also shows as a
    view argument in a traceback, outside any path).
    """
    text = SECRET_PATHS.sub(_replace, text)
    for secret in also:
        if len(secret) >= 16:  # a real token; never blank out short common strings
            text = text.replace(secret, REDACTED)
    return text


class RedactSecretsFilter(logging.Filter):
    """A logging filter that redacts secret paths from the record's message.

    Attached to Django's request and server loggers: "Not Found: /pairing/calendar/…",
    "Internal Server Error: /programmes/invitations/…" and runserver's request lines.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
