"""The demo programmes: realistic, idempotent, and ready for the pairing demo."""

import pytest

from mentoring import demo as mentoring_demo
from programmes import demo
from programmes.models import Participant, Programme, ProgrammeRole

pytestmark = pytest.mark.django_db


def test_seed_builds_two_programmes_ready_for_pairing():
    mentoring_demo.seed()
    logins = demo.seed()
    assert {login.email for login in logins} >= {
        "admin@demo.example",
        "admin2@demo.example",
        "hr@demo.example",
        "ana@demo.example",
        "farid@demo.example",
    }
    reciprocal = Programme.objects.get(name="Cross-gender reciprocal mentoring")
    reverse = Programme.objects.get(name="Reverse mentoring for leaders")
    assert (reciprocal.kind, reciprocal.alternation) == ("reciprocal", "alternate")
    assert (reverse.kind, reverse.alternation) == ("reverse", "split")
    for programme in (reciprocal, reverse):
        assert programme.status == Programme.Status.MATCHING
        assert programme.cohorts.count() == 1
        assert programme.skills.count() == 20
        assert ProgrammeRole.objects.filter(
            programme=programme, user__email="hr@demo.example", role="hr"
        ).exists()
    assert ProgrammeRole.objects.filter(
        programme=reciprocal, user__email="admin@demo.example", role="admin"
    ).exists()
    assert ProgrammeRole.objects.filter(
        programme=reverse, user__email="admin2@demo.example", role="admin"
    ).exists()

    enrolled = Participant.objects.filter(
        status=Participant.Status.ENROLLED, charter_accepted_at__isnull=False, user__isnull=False
    )
    assert enrolled.count() >= 40
    assert set(
        enrolled.filter(cohort__programme=reciprocal).values_list("user__email", flat=True)
    ) >= {"ana@demo.example", "ben@demo.example", "chloe@demo.example"}
    assert set(
        enrolled.filter(cohort__programme=reverse).values_list("user__email", flat=True)
    ) >= {"dev@demo.example", "emma@demo.example", "farid@demo.example"}
    assert enrolled.filter(manager__isnull=False).count() >= 10  # reporting lines in cohorts
    assert enrolled.filter(demographics_consent=True).count() > enrolled.count() * 0.8
    assert not enrolled.filter(demographics_consent=False).exclude(gender="").exists()
    assert enrolled.values("department").distinct().count() >= 8


def test_seed_is_idempotent():
    mentoring_demo.seed()
    demo.seed()
    counts = (Participant.objects.count(), Programme.objects.count())
    demo.seed()
    assert (Participant.objects.count(), Programme.objects.count()) == counts
