"""``{{ pair|pair_name }}`` and ``{{ ws.sides|pair_name }}``: "Ana & Ben", for titles and headings.

The names come from what the page has already read, never from a new query: the seats
``pairing.permissions.pair_get_for_member`` left on the pair, a ``Prefetch("members")``, or
a list of sides (participants, or feedback's ``Side`` rows that wrap one).
"""

from collections.abc import Iterable

from django import template

from pairing.models import Pair
from pairing.selectors.sides import pair_name as _pair_name
from pairing.selectors.sides import remembered_sides

register = template.Library()


@register.filter
def pair_name(value: Pair | Iterable | None) -> str:
    """The pair's first names ("Ana & Ben"); empty when the page has not read the members."""
    if value is None or value == "":
        return ""
    if isinstance(value, Pair):
        sides = remembered_sides(value)
        return _pair_name(sides) if sides else ""
    return _pair_name([getattr(side, "participant", side) for side in value])
