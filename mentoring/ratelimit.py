"""Rate limits on the pages whose secret is a token in the URL.

Invitations, staff invitations, self-nomination sign-up links, calendar feeds and
unsubscribe links are opened without signing in: the token is the key. Guessing tokens
is hopeless (they are long and random) but must also be slow: like allauth's
``login_failed``, every wrong token (a 404) counts against the client's address, and
past the limit those pages answer 429 for a while. Accepting an invitation (a POST)
has its own, more generous limit. allauth's machinery does the counting in the shared
cache; a cache outage lets requests through rather than failing them.
"""

import logging
from collections.abc import Callable

from allauth.core.internal import ratelimit
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

logger = logging.getLogger(__name__)

# URL name -> the keyword argument that holds the token.
TOKEN_URLS = {
    "programmes:invitation": "token",
    "programmes:staff_invitation": "token",
    "programmes:apply": "token",
    "pairing:calendar_feed": "token",
    "notifications:unsubscribe": "token",
}
DEFAULT_RATES = {
    # Wrong, expired or revoked tokens, per client address.
    "token_failed": "20/m/ip,100/h/ip",
    # Accepting or submitting (POST), per client address.
    "token_post": "30/m/ip",
}
PLACEHOLDER = "TOKEN"


def token_url_prefixes() -> tuple[str, ...]:
    prefixes = []
    for name, kwarg in TOKEN_URLS.items():
        try:
            url = reverse(name, kwargs={kwarg: PLACEHOLDER})
        except NoReverseMatch:  # an app that does not serve it (yet)
            continue
        prefixes.append(url.split(PLACEHOLDER)[0])
    return tuple(prefixes)


def _consume(request: HttpRequest, action: str, *, dry_run: bool) -> bool:
    """True if allowed. Counts GETs too (``limit_get``): a token is guessed with GETs."""
    rates = getattr(settings, "MENTORING_TOKEN_RATE_LIMITS", DEFAULT_RATES)
    try:
        usage = ratelimit.consume(
            request,
            app="mentoring",
            action=action,
            config=rates,
            dry_run=dry_run,
            limit_get=True,
        )
    except Exception:  # noqa: BLE001 - the cache is down: let the request through
        logger.warning("Rate-limit cache unavailable; %s not counted", action)
        return True
    return usage is not None


class TokenRateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._prefixes: tuple[str, ...] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._prefixes is None:
            self._prefixes = token_url_prefixes()
        if not request.path_info.startswith(self._prefixes):
            return self.get_response(request)
        posting = request.method == "POST"
        if not _consume(request, "token_failed", dry_run=True) or (
            posting and not _consume(request, "token_post", dry_run=False)
        ):
            return ratelimit.respond_429(request)
        response = self.get_response(request)
        if response.status_code == 404:
            _consume(request, "token_failed", dry_run=False)
        return response
