"""The one error type services raise when a business rule refuses a change.

``RuleViolation`` is a ``ValidationError``: its messages are written for the person who
tried (they are shown next to the field they concern, or above the form), and code that
already catches ``ValidationError`` keeps working. Views turn it into form errors with
:func:`mentoring.forms.apply_service_errors`, or into a flash message with
``" ".join(exc.messages)``. Access problems are not rule violations: they stay
``Http404`` (outsiders) and ``PermissionDenied`` (the wrong role).
"""

from typing import Any

from django.core.exceptions import ValidationError


class RuleViolation(ValidationError):
    """A service refused a change. ``message`` is a text, a list of texts, or a dict that
    maps form field names to texts (those land next to their fields)."""

    def __init__(self, message: Any, code: str | None = None, params: Any = None) -> None:
        super().__init__(message, code=code, params=params)
