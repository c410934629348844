"""The pairing app. On start-up it plugs its rules into programmes' hooks
(``programmes.hooks``), so programmes never imports pairing."""

from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from programmes.models import Programme


def programme_has_a_published_pair(*, programme: "Programme") -> list[str]:
    """The precondition of starting a programme (moving it to *running*): a live pair."""
    # Imported here: apps.py is loaded before the app registry is ready for models.
    from .models import Pair

    if Pair.objects.filter(cohort__programme=programme, status__in=Pair.LIVE_STATUSES).exists():
        return []
    return ["Publish at least one pair from the pairing page."]


class PairingConfig(AppConfig):
    name = "pairing"

    def ready(self) -> None:
        from programmes.hooks import (
            register_demographics_erased_handler,
            register_participant_moving_handler,
            register_transition_precondition,
        )
        from programmes.models import Programme

        from .services.demographics import pair_demographics_forget
        from .services.participant_moves import pair_proposals_release

        register_transition_precondition(Programme.Status.RUNNING, programme_has_a_published_pair)
        # Consent taken back: the pairs' scores forget what the engine derived from it.
        register_demographics_erased_handler(pair_demographics_forget)
        # A participant moved to another cohort leaves the old cohort's proposals.
        register_participant_moving_handler(pair_proposals_release)
        from .reminder_kinds import reminder_kinds_register
        from .reminders import reminders_register

        # "Upcoming session" and the pair emails' kinds (mentoring.notifications).
        reminders_register()

        # "Log your session" and "time to meet again" (mentoring.notifications).
        reminder_kinds_register()
