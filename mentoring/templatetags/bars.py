"""Widths of progress bars as CSS classes, because the Content-Security-Policy refuses
``style="width: 70%"`` (``style-src 'self'``, see ``SECURE_CSP``).

``{{ goal.progress|bar_width }}`` gives ``"bar-w-70"``; ``static/css/app.css`` defines
``.bar-w-0`` to ``.bar-w-100`` in steps of 5. A class works without JavaScript and
survives htmx swaps; the exact figure is printed next to each bar and carried by its
``aria-valuenow``, so the 5 % steps only round what the eye sees.
"""

import math
from decimal import Decimal

from django import template

register = template.Library()

STEP = 5  # percent; app.css has one class per step


@register.filter
def bar_width(percent: int | float | Decimal | str | None) -> str:
    """The class for a bar filled to ``percent`` (0–100; clamped, rounded to the step)."""
    try:
        value = float(percent)
    except (TypeError, ValueError):
        value = 0.0
    if not math.isfinite(value):
        value = 0.0
    value = min(max(value, 0.0), 100.0)
    return f"bar-w-{round(value / STEP) * STEP}"
