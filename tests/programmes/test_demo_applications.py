"""The demo's self-nomination: the main demo admin finds a published sign-up link and
applications waiting in the queue; seeding twice changes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from mentoring import demo as mentoring_demo
from mentoring.models import User
from programmes import demo
from programmes.models import Application, NominationLink

pytestmark = pytest.mark.django_db


def test_the_main_demo_admin_has_pending_applications_in_the_queue():
    mentoring_demo.seed()
    logins = demo.seed()
    assert {"gabriela@demo.example", "hiro@demo.example", "ines@demo.example"} <= {
        login.email for login in logins
    }
    pending = Application.objects.filter(
        programme__slug="cross-gender-reciprocal", status=Application.Status.NEW
    )
    assert pending.count() == 3
    assert NominationLink.objects.filter(programme__slug="cross-gender-reciprocal").exists()
    client = Client()
    client.force_login(User.objects.get(email="admin@demo.example"))
    queue = client.get(
        reverse("programmes:application_queue", kwargs={"slug": "cross-gender-reciprocal"})
    )
    names = [a.display_name for a in queue.context["page"].object_list]
    assert names == ["Gabriela Rossi", "Hiro Tanaka", "Inès Moreau"]  # oldest first
    # An applicant signs in with the demo password and sees where they stand.
    applicant = Client()
    assert applicant.login(email="hiro@demo.example", password=mentoring_demo.DEMO_PASSWORD)
    assert "Waiting for the programme admins" in applicant.get("/").content.decode()


def test_seeding_the_applications_again_changes_nothing():
    mentoring_demo.seed()
    demo.seed()
    before = list(Application.objects.values_list("pk", "status", "created_at"))
    demo.seed()
    assert list(Application.objects.values_list("pk", "status", "created_at")) == before
