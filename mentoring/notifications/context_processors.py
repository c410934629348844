"""The navbar bell's unread count: one query per page, only for a signed-in user."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import notifications_unread_count


def bell(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: a page that does not draw the navbar (a JSON view) runs no query.
    return {"notifications_unread": SimpleLazyObject(lambda: notifications_unread_count(user))}
