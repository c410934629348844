"""Where higher apps plug their rules into programmes' services (imports run downward only).

``programmes`` sits below ``pairing`` and ``feedback`` and never imports them. When one of
programmes' writes depends on what a higher app knows, that app registers a function here
from its ``AppConfig.ready()`` (see ``pairing/apps.py``), and the service calls it.

Three hooks:

- **Transition preconditions** (``register_transition_precondition(target, check)``):
  ``check(*, programme) -> list[str]`` says, in plain words, what is still missing before
  ``programme`` may move to the status ``target``. ``programme_transition_blockers`` lists
  programmes' own blockers for that target first, then each registered check's, in the
  order the checks were registered. ``programme_transition`` calls them with the
  programme row locked (``select_for_update``), inside its transaction. A check is per
  target, whatever the status the programme leaves (*running* is reached from *enrolling*
  or *matching*). Pairing registers "publish at least one pair" for *running*.
- **Demographics erased** (``register_demographics_erased_handler(handler)``):
  ``handler(*, participant) -> None`` runs when a participant's gender or birth year were
  taken back (consent unticked, a value emptied or changed, withdrawal, erasure after the
  programme). It runs inside the same transaction as the erasure, after the participant
  row is saved with the values gone, with the participant's cohort row already locked,
  so a failing handler rolls the erasure back. Pairing registers
  ``pair_demographics_forget``, which removes what its scores derived from them.
- **Participant moving** (``register_participant_moving_handler(handler)``):
  ``handler(*, participant, source) -> None`` runs when an admin moves ``participant`` out
  of the cohort ``source`` into another cohort of the programme, inside the move's
  transaction with both cohort rows locked, before the participant changes cohort. It
  may refuse the move by raising ``RuleViolation``. Pairing registers
  ``pair_proposals_release``: refused while a pairing run of ``source`` is computing, and
  the person's unpublished proposals in ``source`` are dropped.

Registering the same function twice has no effect (``ready()`` may run more than once in
tests). Without the higher app installed, its rules simply do not apply.
"""

from typing import Protocol

from .models import Cohort, Participant, Programme


class TransitionPrecondition(Protocol):
    def __call__(self, *, programme: Programme) -> list[str]: ...


class DemographicsErasedHandler(Protocol):
    def __call__(self, *, participant: Participant) -> object: ...


class ParticipantMovingHandler(Protocol):
    def __call__(self, *, participant: Participant, source: Cohort) -> object: ...


_preconditions: dict[str, list[TransitionPrecondition]] = {}
_demographics_erased: list[DemographicsErasedHandler] = []
_participant_moving: list[ParticipantMovingHandler] = []


def register_transition_precondition(target: str, check: TransitionPrecondition) -> None:
    """Add ``check`` to the preconditions of moving a programme to status ``target``."""
    if target not in Programme.Status.values:
        raise ValueError(f"Unknown programme status {target!r}")
    checks = _preconditions.setdefault(str(target), [])
    if check not in checks:
        checks.append(check)


def register_demographics_erased_handler(handler: DemographicsErasedHandler) -> None:
    """Call ``handler(participant=…)`` whenever a participant's demographics are taken back."""
    if handler not in _demographics_erased:
        _demographics_erased.append(handler)


def transition_precondition_blockers(*, programme: Programme, target: str) -> list[str]:
    """What the registered checks say is missing before ``programme`` moves to ``target``."""
    blockers: list[str] = []
    for check in _preconditions.get(str(target), ()):
        blockers.extend(check(programme=programme))
    return blockers


def demographics_erased(*, participant: Participant) -> None:
    """Tell every registered handler that ``participant``'s demographics were taken back."""
    for handler in _demographics_erased:
        handler(participant=participant)


def register_participant_moving_handler(handler: ParticipantMovingHandler) -> None:
    """Call ``handler(participant=…, source=…)`` before a participant moves out of ``source``."""
    if handler not in _participant_moving:
        _participant_moving.append(handler)


def participant_moving(*, participant: Participant, source: Cohort) -> None:
    """Tell every registered handler that ``participant`` is about to leave ``source``."""
    for handler in _participant_moving:
        handler(participant=participant, source=source)
