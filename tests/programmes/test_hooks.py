"""programmes.hooks: how higher apps plug their rules in without programmes importing them."""

import pytest

from programmes import hooks
from programmes.models import Participant, Programme
from programmes.services.participants import participant_demographics_erase
from programmes.services.programmes import programme_transition_blockers
from tests.factories import ParticipantFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db
Status = Programme.Status


@pytest.fixture
def registry(monkeypatch):
    """Pairing's registrations stay in place; what a test adds is gone afterwards."""
    monkeypatch.setattr(
        hooks, "_preconditions", {k: list(v) for k, v in hooks._preconditions.items()}
    )
    monkeypatch.setattr(hooks, "_demographics_erased", list(hooks._demographics_erased))


def test_pairing_registers_its_rules_when_the_apps_start():
    from pairing.apps import programme_has_a_published_pair
    from pairing.services.demographics import pair_demographics_forget

    assert hooks._preconditions[Status.RUNNING] == [programme_has_a_published_pair]
    assert hooks._demographics_erased == [pair_demographics_forget]


def test_programmes_own_blockers_come_first_then_each_check_in_registration_order(registry):
    programme = ProgrammeFactory(status=Status.DRAFT)  # no cohort yet

    def first(*, programme):
        return ["First registered rule."]

    def second(*, programme):
        return ["Second registered rule."]

    hooks.register_transition_precondition(Status.ENROLLING, first)
    hooks.register_transition_precondition(Status.ENROLLING, second)
    hooks.register_transition_precondition(Status.ENROLLING, first)  # again: no effect
    assert programme_transition_blockers(programme=programme, target=Status.ENROLLING) == [
        "Add at least one cohort (an intake with its own dates).",
        "First registered rule.",
        "Second registered rule.",
    ]


def test_a_check_for_an_unknown_status_is_refused(registry):
    with pytest.raises(ValueError, match="Unknown programme status"):
        hooks.register_transition_precondition("paused", lambda *, programme: [])


def test_a_failing_handler_rolls_the_erasure_back(registry):
    participant = ParticipantFactory(demographics_consent=True, gender="Woman", birth_year=1990)

    def refuse(*, participant):
        raise RuntimeError("handler failed")

    hooks.register_demographics_erased_handler(refuse)
    with pytest.raises(RuntimeError):
        participant_demographics_erase(participant=participant)
    stored = Participant.objects.get(pk=participant.pk)
    assert (stored.demographics_consent, stored.gender, stored.birth_year) == (True, "Woman", 1990)
