"""Secret URL tokens never reach a log line or an error email.

A calendar-feed URL and an invitation URL carry their secret in the path: whoever reads
gunicorn's access log, Django's "Not Found" warnings or an error email must not be able
to subscribe to somebody's calendar or take their invitation.
"""

import datetime as dt
import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from gunicorn.config import Config

from mentoring.redaction import REDACTED, redact
from pairing.services.sessions import calendar_feed_create

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "Zx3_secretTOKENvalue-0123456789abcdefABCDEF"


@pytest.mark.parametrize(
    "line",
    [
        f'GET /pairing/calendar/{TOKEN}.ics HTTP/1.1" 200',
        f"https://mentoring.example.org/programmes/invitations/{TOKEN}/",
        f"/accounts/login/?next=%2Fprogrammes%2Finvitations%2F{TOKEN}%2F",
        f"/accounts/signup/?email=a%40b.c&next=/programmes/invitations/{TOKEN}/",
        f"Not Found: /pairing/calendar/{TOKEN}.ics",
        # An admin's or HR viewer's invitation, in the email's link and after sign-up.
        f"https://mentoring.example.org/programmes/staff-invitations/{TOKEN}/",
        f"/accounts/login/?next=%2Fprogrammes%2Fstaff-invitations%2F{TOKEN}%2F",
        f"/accounts/signup/?email=a%40b.c&next=/programmes/staff-invitations/{TOKEN}/",
    ],
)
def test_the_token_of_a_secret_path_is_redacted(line):
    redacted = redact(line)
    assert TOKEN not in redacted
    assert REDACTED in redacted


def test_other_paths_are_left_alone():
    for line in (
        "/pairing/calendar/",
        "/pairing/calendar/revoke/",
        "/pairing/sessions/4/calendar.ics",
        "/programmes/roles/invitations/12/resend/",
    ):
        assert redact(line) == line


def test_gunicorn_access_log_redacts_tokens(tmp_path):
    """The config the image runs (gunicorn.conf.py) logs requests without their tokens."""
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    cfg = Config()
    for name, value in settings.items():
        if name in cfg.settings:
            cfg.set(name, value)
    log_file = tmp_path / "access.log"
    cfg.set("accesslog", str(log_file))
    logger = cfg.logger_class(cfg)
    invitation = f"/programmes/invitations/{TOKEN}/"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/pairing/calendar/{TOKEN}.ics?x=1",
        "PATH_INFO": f"/pairing/calendar/{TOKEN}.ics",
        "QUERY_STRING": f"next={invitation}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.1",
        # An asset loaded by the invitation page carries the page in its Referer.
        "HTTP_REFERER": f"https://mentoring.example.org{invitation}",
        "HTTP_USER_AGENT": "Calendar/1.0",
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    logger.access(response, request, environ, dt.timedelta(milliseconds=12))
    for handler in logger.access_log.handlers:
        handler.flush()
    line = log_file.read_text()
    assert "GET /pairing/calendar/" in line and " 200 " in line  # the request is still logged
    assert TOKEN not in line
    assert line.count(REDACTED) >= 2  # the request line and the Referer


def test_django_not_found_warnings_carry_no_token(client, caplog, db):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(f"/pairing/calendar/{TOKEN}.ics").status_code == 404
        assert client.get(f"/programmes/invitations/{TOKEN}/").status_code == 404
        assert client.get(f"/programmes/staff-invitations/{TOKEN}/").status_code == 404
    assert len([r for r in caplog.records if r.name == "django.request"]) == 3
    assert TOKEN not in caplog.text
    assert REDACTED in caplog.text


@override_settings(ADMINS=["ops@example.org"], DEBUG=False)
def test_error_emails_carry_no_token(world, monkeypatch):
    new = calendar_feed_create(user=world.member.user)

    def broken(**kwargs):
        raise RuntimeError("the calendar broke")

    monkeypatch.setattr("pairing.views.calendar.sessions_for_calendar", broken)
    response = Client(raise_request_exception=False).get(
        reverse("pairing:calendar_feed", args=[new.token])
    )
    assert response.status_code == 500
    (report,) = [m for m in mail.outbox if m.to == ["ops@example.org"]]
    assert "the calendar broke" in report.body  # the report itself is intact
    everything = report.subject + report.body + "".join(a[0] for a in report.alternatives)
    assert new.token not in everything
    assert REDACTED in report.subject and REDACTED in report.body
