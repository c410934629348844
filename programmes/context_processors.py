"""Template context for every page: ``nav``, what the navbar may show (see ``navigation``)."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .navigation import navigation_for


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    # Lazy: pages whose templates never read ``nav`` make no query for it.
    return {"nav": SimpleLazyObject(lambda: navigation_for(user))}
