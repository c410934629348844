"""Programme life cycle: draft → enrolling → matching → running → closed (and enrolling →
running once pairs are published), each step checked, every change recorded.

``test_lifecycle.py`` walks every status with every combination of preconditions."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from pairing.models import Pair
from programmes.models import AuditEvent, Invitation, Participant, Programme
from programmes.services.participants import participant_invite
from programmes.services.programmes import (
    NEXT_STATUSES,
    TransitionNotAllowed,
    programme_create,
    programme_transition,
    programme_transition_blockers,
    programme_transition_options,
)
from tests.factories import CohortFactory, ParticipantFactory, ProgrammeFactory, make_pair

pytestmark = pytest.mark.django_db
Status = Programme.Status


def _move(programme, target, by):
    return programme_transition(programme=programme, target=target, by=by, base_url="http://t")


@pytest.fixture
def draft(setup):
    Programme.objects.filter(pk=setup.programme.pk).update(status=Status.DRAFT)
    setup.programme.refresh_from_db()
    return setup.programme


def test_only_the_offered_steps_are_allowed(setup, draft):
    for target in (Status.MATCHING, Status.RUNNING, Status.CLOSED, Status.DRAFT):
        blockers = programme_transition_blockers(programme=draft, target=target)
        assert blockers == ["A programme that is draft can only move to enrolling."]
        with pytest.raises(TransitionNotAllowed):
            _move(draft, target, setup.admin)
    enrolling = setup.programme
    Programme.objects.filter(pk=enrolling.pk).update(status=Status.ENROLLING)
    enrolling.refresh_from_db()
    assert programme_transition_blockers(programme=enrolling, target=Status.CLOSED) == [
        "A programme that is enrolling can only move to matching or running."
    ]
    assert NEXT_STATUSES == {
        Status.DRAFT: (Status.ENROLLING,),
        Status.ENROLLING: (Status.MATCHING, Status.RUNNING),
        Status.MATCHING: (Status.RUNNING,),
        Status.RUNNING: (Status.CLOSED,),
        Status.CLOSED: (),
    }


def test_draft_to_enrolling_needs_a_cohort_and_a_charter(make_user):
    admin = make_user()
    programme = programme_create(
        by=admin,
        name="Cross-gender reciprocal mentoring",
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 9, 30),
    )
    assert programme.status == Status.DRAFT
    assert programme.charter.startswith("We take turns")  # the default charter
    Programme.objects.filter(pk=programme.pk).update(charter="  ")  # emptied by hand
    programme.refresh_from_db()
    assert programme.slug == "cross-gender-reciprocal-mentoring"
    assert programme_transition_blockers(programme=programme, target=Status.ENROLLING) == [
        "Add at least one cohort (an intake with its own dates).",
        "Write the charter participants accept when they join.",
    ]
    CohortFactory(programme=programme)
    programme.charter = "We take turns."
    programme.save()
    (option,) = programme_transition_options(programme=programme)
    assert option.allowed and option.label == "Open enrolment" and option.recommended
    _move(programme, Status.ENROLLING, admin)
    assert Programme.objects.get(pk=programme.pk).status == Status.ENROLLING


def test_opening_enrolment_emails_the_invitations_prepared_in_draft(
    setup, draft, inline_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        participant_invite(
            cohort=setup.cohort, by=setup.admin, base_url="http://t", email="Zoe@Acme.example"
        )
    assert mail.outbox == []  # a draft keeps its invitations
    assert Invitation.objects.get().sent_at is None
    with django_capture_on_commit_callbacks(execute=True):
        _move(draft, Status.ENROLLING, setup.admin)
    assert [m.to for m in mail.outbox] == [["zoe@acme.example"]]
    assert "http://t/programmes/invitations/" in mail.outbox[0].body
    assert Invitation.objects.get().sent_at is not None


def test_enrolling_to_matching_needs_two_enrolled_in_one_cohort(setup):
    programme = setup.programme
    ParticipantFactory(cohort=setup.cohort)
    other = CohortFactory(programme=programme, name="Autumn")
    ParticipantFactory(cohort=other)
    ParticipantFactory(cohort=setup.cohort, status=Participant.Status.INVITED)
    blockers = programme_transition_blockers(programme=programme, target=Status.MATCHING)
    assert blockers and "two participants of one cohort" in blockers[0]
    ParticipantFactory(cohort=setup.cohort, charter_accepted_at=None)  # no charter: not ready
    assert programme_transition_blockers(programme=programme, target=Status.MATCHING)
    ParticipantFactory(cohort=setup.cohort)
    assert programme_transition_blockers(programme=programme, target=Status.MATCHING) == []
    _move(programme, Status.MATCHING, setup.admin)


def test_matching_to_running_needs_a_published_pair(setup):
    programme = setup.programme
    Programme.objects.filter(pk=programme.pk).update(status=Status.MATCHING)
    programme.refresh_from_db()
    a, b = ParticipantFactory(cohort=setup.cohort), ParticipantFactory(cohort=setup.cohort)
    pair = make_pair(a, b, status=Pair.Status.PROPOSED)
    assert programme_transition_blockers(programme=programme, target=Status.RUNNING) == [
        "Publish at least one pair from the pairing page."
    ]
    Pair.objects.filter(pk=pair.pk).update(status=Pair.Status.PUBLISHED)
    _move(programme, Status.RUNNING, setup.admin)
    assert programme.status == Status.RUNNING


def test_running_closes_only_after_the_start_and_completes_paired_people(setup):
    today = timezone.localdate()
    future = ProgrammeFactory(
        status=Status.RUNNING,
        starts_on=today + dt.timedelta(days=5),
        ends_on=today + dt.timedelta(days=100),
    )
    blockers = programme_transition_blockers(programme=future, target=Status.CLOSED)
    assert blockers and "close it after that" in blockers[0]

    programme = setup.programme
    Programme.objects.filter(pk=programme.pk).update(status=Status.RUNNING)
    programme.refresh_from_db()
    a, b = ParticipantFactory(cohort=setup.cohort), ParticipantFactory(cohort=setup.cohort)
    make_pair(a, b)
    withdrawn = ParticipantFactory(cohort=setup.cohort, status=Participant.Status.WITHDRAWN)
    _move(programme, Status.CLOSED, setup.admin)
    assert set(
        Participant.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)
    ) == {Participant.Status.COMPLETED}
    withdrawn.refresh_from_db()
    assert withdrawn.status == Participant.Status.WITHDRAWN
    assert programme_transition_options(programme=programme) == []
    assert programme_transition_blockers(programme=programme, target=Status.DRAFT) == [
        "A closed programme stays closed."
    ]


def test_every_status_change_is_recorded_and_shown(setup, client):
    ParticipantFactory(cohort=setup.cohort)
    ParticipantFactory(cohort=setup.cohort)
    _move(setup.programme, Status.MATCHING, setup.admin)
    event = AuditEvent.objects.get(action="programme.status_changed")
    assert event.actor == setup.admin
    assert event.detail == {"previous": "enrolling", "status": "matching"}
    client.force_login(setup.admin)
    page = client.get(reverse("programmes:programme_detail", args=[setup.programme.slug]))
    assert "moved the programme from Enrolling to Matching" in page.text


def test_the_status_button_explains_why_it_is_disabled(setup, client):
    client.force_login(setup.admin)
    page = client.get(reverse("programmes:programme_detail", args=[setup.programme.slug]))
    assert "Start matching" in page.text
    assert "Not possible yet" in page.text
    assert "At least two participants of one cohort must have accepted the charter" in page.text
    response = client.post(
        reverse("programmes:programme_status", args=[setup.programme.slug]),
        {"target": "matching"},
        follow=True,
    )
    assert "Not yet: At least two participants" in response.text
    setup.programme.refresh_from_db()
    assert setup.programme.status == Status.ENROLLING


def test_the_status_button_moves_the_programme_on(setup, client):
    ParticipantFactory(cohort=setup.cohort)
    ParticipantFactory(cohort=setup.cohort)
    client.force_login(setup.admin)
    response = client.post(
        reverse("programmes:programme_status", args=[setup.programme.slug]),
        {"target": "matching"},
        follow=True,
    )
    assert "The programme is now matching." in response.text
    setup.programme.refresh_from_db()
    assert setup.programme.status == Status.MATCHING
