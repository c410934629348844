"""A clean 503 page while the database is unreachable (a restart, a fail-over).

Django turns an exception anywhere in the request (a view, or a middleware that loads the
signed-in user or saves the session) into a call of the 500 handler, from inside the
``except`` block that caught it. This handler looks at that exception: a database that
cannot be reached answers "503 Service Unavailable, try again shortly" with a
``Retry-After`` header; anything else is Django's own 500 page. The 503 page is rendered
without a request context, so it touches neither the database nor the session.

The app recovers by itself once the database is back: production settings set
``CONN_HEALTH_CHECKS``, so a dead persistent connection is replaced at the next request.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views import defaults

RETRY_AFTER_SECONDS = 30
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)


def database_unreachable(exc: BaseException | None) -> bool:
    """True for "cannot talk to the database" errors, including wrapped ones."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, UNAVAILABLE_ERRORS):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """``handler500``: 503 for an unreachable database, Django's 500 otherwise."""
    if database_unreachable(sys.exc_info()[1]):
        body = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return defaults.server_error(request, template_name=template_name)
