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
