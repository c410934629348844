"""What pairing does when an admin moves a participant to another cohort of the programme.

Registered on ``programmes.hooks.register_participant_moving_handler`` (``pairing/apps.py``).
A live pair never moves (programmes refuses to move a paired participant); here only the
proposals are left: they belong to the old cohort and would publish someone who is no
longer in it, so the person's unpublished proposals there are dropped (their proposed
partners go back to that cohort's pool for its next run). A run that is computing a new
proposal for the old cohort would put them back: the move waits until it has finished.
"""

from pairing.models import Pair
from pairing.services.cohort_lock import cohort_lock_for_pairing
from programmes.models import Cohort, Participant


def pair_proposals_release(*, participant: Participant, source: Cohort) -> int:
    """Drop ``participant``'s proposals in ``source``; returns how many were dropped.

    Refuses (``RuleViolation``) while a pairing run of ``source`` is queued or running.
    Precondition: inside the move's transaction.
    """
    cohort_lock_for_pairing(
        cohort_id=source.pk,
        while_running=f"A pairing run is in progress for {source.name}; move "
        f"{participant.display_name} once it has finished.",
    )
    proposals = list(
        Pair.objects.filter(
            cohort_id=source.pk,
            status=Pair.Status.PROPOSED,
            members__participant=participant,
            members__current=True,
        ).values_list("pk", flat=True)
    )
    Pair.objects.filter(pk__in=proposals).delete()
    return len(proposals)
