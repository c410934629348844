"""Absolute links for emails and calendars: scheme and host of the site."""

from django.conf import settings
from django.http import HttpRequest


def site_base_url(request: HttpRequest | None = None) -> str:
    """``SITE_BASE_URL`` when set (always, for mail sent by beat without a request), else
    the scheme and host of ``request`` (the host is checked against ALLOWED_HOSTS)."""
    configured = getattr(settings, "SITE_BASE_URL", "")
    if configured:
        return configured.rstrip("/")
    if request is None:
        raise RuntimeError("Set SITE_BASE_URL: a link is built without a request to take it from.")
    return f"{request.scheme}://{request.get_host()}"
