"""Where higher apps plug their rules into programmes' services (imports run downward only).

``programmes`` sits below ``pairing`` and ``feedback`` and never imports them. When one of
programmes' writes depends on what a higher app knows, that app registers a function here
from its ``AppConfig.ready()`` (see ``pairing/apps.py``), and the service calls it.

Two hooks:

- **Transition preconditions** (``register_transition_precondition(target, check)``):
  ``check(*, programme) -> list[str]`` says, in plain words, what is still missing before
  ``programme`` may move to the status ``target``. ``programme_transition_blockers`` lists
  programmes' own blockers for that target first, then each registered check's, in the
  order the checks were registered. ``programme_transition`` calls them with the
  programme row locked (``select_for_update``), inside its transaction. Pairing registers
  "publish at least one pair" for *running*.
- **Demographics erased** (``register_demographics_erased_handler(handler)``):
  ``handler(*, participant) -> None`` runs when a participant's gender or birth year were
  taken back (consent unticked, a value emptied or changed, withdrawal, erasure after the
  programme). It runs inside the same transaction as the erasure, after the participant
  row is saved with the values gone, with the participant's cohort row already locked,
  so a failing handler rolls the erasure back. Pairing registers
  ``pair_demographics_forget``, which removes what its scores derived from them.

Registering the same function twice has no effect (``ready()`` may run more than once in
tests). Without the higher app installed, its rules simply do not apply.
"""

from typing import Protocol

from .models import Participant, Programme


class TransitionPrecondition(Protocol):
    def __call__(self, *, programme: Programme) -> list[str]: ...


class DemographicsErasedHandler(Protocol):
    def __call__(self, *, participant: Participant) -> object: ...


_preconditions: dict[str, list[TransitionPrecondition]] = {}
_demographics_erased: list[DemographicsErasedHandler] = []


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
