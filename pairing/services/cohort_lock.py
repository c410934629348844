"""The cohort row lock every pairing write takes, and the refusals that come with it.

Starting a run, saving its result, proposing a pair by hand, locking, swapping, excluding
and publishing all change one cohort's proposal. They serialise on the cohort's row
(``SELECT … FOR UPDATE``), so two admins, or an admin and the worker saving a run, never
interleave. Under that lock an admin's change is refused while a run computes a new proposal
(it would be overwritten) and, for starting a run and publishing, outside the programme
statuses that allow pairing.
"""

from mentoring.errors import RuleViolation
from pairing.selectors.runs import PAIRING_PROGRAMME_STATUSES, match_run_active
from programmes.models import Cohort

RUN_IN_PROGRESS = "A pairing run is in progress for this cohort; wait until it finishes."


def cohort_lock(*, cohort_id: int) -> Cohort:
    """Lock the cohort's row until the transaction ends; the cohort, with its programme.

    Precondition: inside ``transaction.atomic``.
    """
    return Cohort.objects.select_for_update().select_related("programme").get(pk=cohort_id)


def cohort_lock_for_pairing(
    *, cohort_id: int, pairs_can_be: str | None = None, while_running: str = RUN_IN_PROGRESS
) -> Cohort:
    """:func:`cohort_lock`, then refuse (``RuleViolation``) the admin's change.

    With ``pairs_can_be`` (``"proposed"``, ``"published"``): refused unless the programme is
    enrolling, matching or running. Always: refused with ``while_running`` while a run of
    the cohort is queued or running (and not stale).
    """
    cohort = cohort_lock(cohort_id=cohort_id)
    programme = cohort.programme
    if pairs_can_be is not None and programme.status not in PAIRING_PROGRAMME_STATUSES:
        raise RuleViolation(
            f"Pairs can be {pairs_can_be} only while the programme is enrolling, matching or "
            f"running; it is {programme.get_status_display().lower()}."
        )
    if match_run_active(cohort=cohort) is not None:
        raise RuleViolation(while_running)
    return cohort
