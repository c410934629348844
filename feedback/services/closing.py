"""Ending a pair well: "completed", with a short retrospective from every side.

(Ending early, with a reason, is a different path: ``pairing:end_request``.)
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from feedback.models import PairRetrospective
from feedback.services.metrics import pair_metrics_changed
from mentoring.errors import RuleViolation
from pairing.models import MentoringSession, Pair, PairMember
from pairing.selectors.sides import pair_sides
from programmes.models import Participant


@transaction.atomic
def pair_complete(*, pair: Pair, by: Participant, retrospective: str) -> bool:
    """Save ``by``'s retrospective; the pair completes once every side has written one.

    On completion: the pair is "completed", its members are no longer current, the
    participants are "completed" and sessions still scheduled are cancelled. Returns
    True when this call completed the pair.
    """
    pair = Pair.objects.select_for_update().get(pk=pair.pk)
    if pair.status not in Pair.LIVE_STATUSES:
        raise RuleViolation("This pair has already ended.")
    text = retrospective.strip()
    if not text:
        raise RuleViolation({"retrospective": "Write a few lines about what you take away."})
    PairRetrospective.objects.update_or_create(pair=pair, author=by, defaults={"text": text})
    member_ids = {p.pk for p in pair_sides(pair=pair)}
    written = set(PairRetrospective.objects.filter(pair=pair).values_list("author_id", flat=True))
    if not member_ids <= written:
        return False
    now = timezone.now()
    pair.status = Pair.Status.COMPLETED
    pair.ended_at = now
    pair.save(update_fields=["status", "ended_at", "updated_at"])
    PairMember.objects.filter(pair=pair).update(current=False)
    Participant.objects.filter(pk__in=member_ids).update(
        status=Participant.Status.COMPLETED, updated_at=now
    )
    MentoringSession.objects.filter(pair=pair, status=MentoringSession.Status.SCHEDULED).update(
        status=MentoringSession.Status.CANCELLED,
        cancel_reason="The pair completed the programme.",
        updated_at=now,
    )
    pair_metrics_changed(pair_id=pair.pk)
    return True
