"""Programme pages, one module per area: programmes, cohorts, imports, roles, skills,
and the participant's own journey (participation)."""

from django.http import HttpRequest


def site_base_url(request: HttpRequest) -> str:
    """Scheme and host the invitee should use (the host is checked against ALLOWED_HOSTS)."""
    return f"{request.scheme}://{request.get_host()}"
