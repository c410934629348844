"""`make proof` serves the production settings over plain HTTP through an explicit flag,
which is honoured for loopback hosts only; without it nothing changes (check --deploy
stays clean: tests/mentoring/test_deploy_settings.py)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
    "s.SECURE_HSTS_SECONDS)"
)


def _run(tmp_path: Path, hosts: str, flag: bool) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="mentoring.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=hosts,
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
        REDIS_URL="redis://127.0.0.1:6379/0",
        MENTORING_VAR_DIR=str(tmp_path),
    )
    if flag:
        env["DJANGO_LOOPBACK_HTTP"] = "true"
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_the_flag_production_is_https_only(tmp_path):
    result = _run(tmp_path, "127.0.0.1", flag=False)
    assert result.stdout.split() == ["True", "True", "True", "31536000"], result.stderr


def test_the_flag_turns_https_off_on_loopback(tmp_path):
    result = _run(tmp_path, "127.0.0.1,localhost", flag=True)
    assert result.stdout.split() == ["False", "False", "False", "0"], result.stderr


def test_the_flag_is_refused_for_a_real_host(tmp_path):
    result = _run(tmp_path, "mentoring.example.com", flag=True)
    assert result.returncode != 0
    assert "DJANGO_LOOPBACK_HTTP serves loopback hosts only" in result.stderr
