"""Shared fixtures: users, a real Chromium, a real Celery worker, service checks.

With ``CI`` set, a missing Chromium, PostgreSQL or Redis fails the run loudly
instead of skipping the tests that need them.
"""

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright + live_server

IN_CI = bool(os.environ.get("CI"))
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-gpu",
    "--disable-sync",
]


def _missing(what: str) -> None:
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is missing", pytrace=False)
    pytest.skip(f"{what} not available here (CI makes it mandatory)")


def pytest_sessionstart(session: pytest.Session) -> None:
    if not IN_CI:
        return
    engine = settings.DATABASES["default"]["ENGINE"]
    problems = []
    if "postgresql" not in engine:
        problems.append(f"CI must run on PostgreSQL (DATABASE_URL), got {engine}")
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        problems.append("CI must use Redis as the broker (REDIS_URL)")
    if not shutil.which("chromium"):
        problems.append("Debian's chromium is not installed")
    if problems:
        pytest.exit("; ".join(problems), returncode=3)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests need committed data for the live server: mark them transactional."""
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


# --- database and cache -----------------------------------------------------------------
@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The database cache table (embedded default) is not a model: create it explicitly."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


@pytest.fixture(autouse=True)
def _clear_redis_cache():
    """Rate limits and debounce keys must not leak from one test into the next.

    The database cache (embedded default) lives in the test database and is rolled
    back or flushed with it; only a Redis cache needs clearing.
    """
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        from django.core.cache import cache

        cache.clear()


# --- users --------------------------------------------------------------------------------
@pytest.fixture
def make_user(db):
    from mentoring.models import User

    counter = iter(range(1, 1_000_000))

    def _make(email: str | None = None, password: str = "pw-Secret-123", **extra) -> User:
        email = email or f"user{next(counter)}@example.com"
        return User.objects.create_user(email=email, password=password, **extra)

    return _make


@pytest.fixture
def superuser(db):
    from mentoring.models import User

    return User.objects.create_superuser(email="root@example.com", password="pw-Secret-123")


# --- browser ------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if not path:
        _missing("Debian's chromium")
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium_path: str) -> dict:
    """pytest-playwright launches Debian's Chromium, never a downloaded browser build."""
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server) -> dict:
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def page(page):
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under test-artifacts/ (ignored by git) for a human look."""
    ARTIFACTS.mkdir(exist_ok=True)

    def _shot(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


def browser_login(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state("networkidle")


# --- a real Celery worker -----------------------------------------------------------------
@pytest.fixture
def celery_worker_process(transactional_db) -> Iterator[subprocess.Popen]:
    """Start a real Celery worker on the configured broker and the test database.

    The worker is a separate process: it sees only committed rows, hence
    ``transactional_db``. Locally the broker is the embedded SQLAlchemy/SQLite one,
    in CI it is Redis.
    """
    from django.db import connection

    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "mentoring.settings.test"
    env["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL
    if db["ENGINE"] == "django.db.backends.sqlite3":
        env["DATABASE_URL"] = f"sqlite:///{connection.settings_dict['NAME']}"
    else:
        from urllib.parse import quote

        env["DATABASE_URL"] = (
            f"postgres://{quote(db['USER'] or '')}:{quote(str(db['PASSWORD'] or ''))}"
            f"@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{connection.settings_dict['NAME']}"
        )
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / "celery-worker.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "mentoring",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            f"--hostname=test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wait_for(predicate, *, timeout: float = 60.0, interval: float = 0.25, what: str = "condition"):
    """Poll ``predicate`` until it returns a truthy value (not a timed assertion: a bound)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def world(db):
    """Two programmes, their admins, an HR viewer, a superuser and two active pairs."""
    from .world import build_world

    return build_world()
