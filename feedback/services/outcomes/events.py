"""Which outcome events count as positive career outcomes in the benefit score.

A promotion, a role change and a pay rise (``pay_change_pct`` > 0) are positive; a pay cut
and leaving the organisation are not (leaving is set against the comparison group's
leavers on the HR dashboard instead). Only events on or after the participant's cohort
start count: what happened before the programme is not its benefit.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q

from feedback.models import OutcomeEvent

Kind = OutcomeEvent.Kind
POSITIVE_KINDS = (Kind.PROMOTION, Kind.ROLE_CHANGE, Kind.PAY_CHANGE)

# The same rule as a filter on OutcomeEvent rows (for GROUP BY queries).
POSITIVE_FILTER = Q(kind__in=[Kind.PROMOTION, Kind.ROLE_CHANGE]) | Q(
    kind=Kind.PAY_CHANGE, pay_change_pct__gt=0
)


def outcome_is_positive(*, kind: str, pay_change_pct: Decimal | float | None) -> bool:
    if kind == Kind.PAY_CHANGE:
        return pay_change_pct is not None and pay_change_pct > 0
    return kind in (Kind.PROMOTION, Kind.ROLE_CHANGE)
