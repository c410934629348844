"""Reflections: each side's ratings and thoughts right after a held session."""

from __future__ import annotations

from django.db import transaction

from feedback.models import Reflection
from feedback.services.metrics import pair_metrics_changed
from mentoring.errors import RuleViolation
from pairing.models import MentoringSession
from programmes.models import Participant

RATING_FIELDS = ("learned", "challenged", "listened", "power_shared")


@transaction.atomic
def reflection_save(
    *,
    session: MentoringSession,
    author: Participant,
    learned: int,
    challenged: int,
    listened: int,
    power_shared: int,
    learned_text: str = "",
    change_text: str = "",
    share_with_partner: bool = False,
) -> Reflection:
    """Create or update the author's reflection on a held session.

    Ratings are 1–5. The texts reach the partner only with ``share_with_partner``;
    admins and HR never read them (metrics use the ratings alone).
    """
    if session.status != MentoringSession.Status.HELD:
        raise RuleViolation("Reflections are for held sessions: log the session as held first.")
    ratings = {
        "learned": learned,
        "challenged": challenged,
        "listened": listened,
        "power_shared": power_shared,
    }
    bad = {name: "Choose from 1 to 5." for name, value in ratings.items() if not 1 <= value <= 5}
    if bad:
        raise RuleViolation(bad)
    reflection, _ = Reflection.objects.update_or_create(
        session=session,
        author=author,
        defaults={
            **ratings,
            "learned_text": learned_text.strip(),
            "change_text": change_text.strip(),
            "share_with_partner": share_with_partner,
        },
    )
    pair_metrics_changed(pair_id=session.pair_id)
    return reflection
