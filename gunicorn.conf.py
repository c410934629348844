"""Gunicorn settings for the production image (Dockerfile's command, docker-compose's web).

The access log redacts the token of calendar-feed and invitation URLs: the request line,
the path, the query string (a sign-in redirect's ``?next=``), the Referer of every asset
an invitation page loads, any header. Anyone who reads the log must not be able to
subscribe to somebody's calendar or take their invitation.
"""

import os
import sys
from pathlib import Path

from gunicorn.glogging import Logger

# Gunicorn reads this file before it changes into the project: make the project importable.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from mentoring.redaction import redact  # noqa: E402

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
accesslog = "-"


class RedactingLogger(Logger):
    """Gunicorn's logger whose access-log fields never carry a secret URL token."""

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(v) if isinstance(v, str) else v for key, v in atoms.items()}


logger_class = RedactingLogger
