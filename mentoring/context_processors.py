from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .access import navigation_for


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"nav": SimpleLazyObject(lambda: navigation_for(user))}
