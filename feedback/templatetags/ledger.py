"""``{% ledger_line item me_id as line %}``: a ledger item as the viewer reads it
(``feedback.selectors.ledger_lines``)."""

from django import template

from feedback.models import BenefitItem
from feedback.selectors.ledger_lines import LedgerLine
from feedback.selectors.ledger_lines import ledger_line as _ledger_line

register = template.Library()


@register.simple_tag
def ledger_line(item: BenefitItem, me_id: int) -> LedgerLine:
    return _ledger_line(item, me_id=me_id)
