"""``{{ pair.reasons|reason_texts }}``: a pair's stored reasons as the sentences its members read.

Reasons are stored as facts (``pairing.engine.reasons``). The members' pages and emails show
the generic sentences they always have ("Both ways: each can teach the other (…)"); the
admins' pages name the people, from ``pairing.selectors.runs``.
"""

from django import template

from pairing.engine import reason_texts as _reason_texts

register = template.Library()


@register.filter
def reason_texts(stored: list | None) -> list[str]:
    return _reason_texts(stored)
