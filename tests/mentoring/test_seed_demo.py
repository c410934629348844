import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from mentoring.demo import DEMO_PASSWORD
from mentoring.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_prints_each_login_with_its_role(capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    users = User.objects.count()
    call_command("seed_demo")
    second = capsys.readouterr().out
    assert User.objects.count() == users
    assert first == second
    lines = [line.split() for line in first.splitlines()[1:]]
    roles = {line[0] for line in lines}
    assert {"admin", "hr", "participant"} <= roles
    assert sum(1 for line in lines if line[0] == "participant") >= 6
    assert User.objects.filter(is_superuser=True).exists()


def test_every_printed_demo_login_signs_in(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    emails = [line.split()[1] for line in out.splitlines()[1:]]
    assert emails
    for email in emails:
        assert authenticate(email=email, password=DEMO_PASSWORD) is not None, email


def test_the_main_demo_admin_sees_every_pair_health_flag_once_the_metrics_are_computed(capsys):
    from django.test import Client
    from django.urls import reverse

    from feedback.models import PairMetric
    from programmes.models import ProgrammeRole

    call_command("seed_demo")
    out = capsys.readouterr().out
    role = ProgrammeRole.objects.select_related("programme").get(
        user__email="admin@demo.example", role=ProgrammeRole.Role.ADMIN
    )
    mine = PairMetric.objects.filter(pair__cohort__programme=role.programme)
    flags = {
        "stalled": mine.filter(stalled=True).count(),
        "lopsided": mine.filter(lopsided=True).count(),
        "one_way": mine.filter(one_way=True).count(),
        "unconfirmed": mine.filter(unconfirmed_items__gt=0).count(),
    }
    assert all(flags.values()), flags
    client = Client()
    client.force_login(User.objects.get(email="admin@demo.example"))
    page = client.get(reverse("feedback:pair_health", kwargs={"slug": role.programme.slug}))
    html = page.content.decode()
    for flag in ("stalled", "lopsided", "one_way", "unconfirmed"):
        assert f'data-flag="{flag}"' in html, flag
    # The named participants' own pairs stay healthy: the stories are the other pairs'.
    ana_pair = mine.get(pair__members__participant__email="ana@demo.example")
    assert not (ana_pair.stalled or ana_pair.lopsided or ana_pair.one_way)
    # The printed logins say who is paired with whom.
    assert "ana@demo.example  (paired with Ben Carter in" in out
    assert "ben@demo.example  (paired with Ana Silva in" in out

    call_command("seed_demo")  # still idempotent: the stories are not told twice
    assert capsys.readouterr().out == out
    assert {
        "stalled": mine.filter(stalled=True).count(),
        "lopsided": mine.filter(lopsided=True).count(),
        "one_way": mine.filter(one_way=True).count(),
        "unconfirmed": mine.filter(unconfirmed_items__gt=0).count(),
    } == flags
