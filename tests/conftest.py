"""Shared fixtures: users, a real Chromium, a real Celery worker, service checks.

With ``CI`` set, a missing Chromium, PostgreSQL or Redis fails the run loudly
instead of skipping the tests that need them.
"""

import contextlib
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


def pytest_runtest_setup(item: pytest.Item) -> None:
    """``postgres`` tests (row locks, concurrent transactions) need PostgreSQL: skipped
    on the embedded SQLite locally, a failure in CI (which runs on PostgreSQL)."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if item.get_closest_marker("postgres") and "postgresql" not in engine:
        _missing("PostgreSQL")


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


# --- Content-Security-Policy: a browser test fails on any violation ---------------------------
# Every context made through pytest-playwright's ``new_context`` (so the ``page`` fixture's,
# and any second browser a test opens with ``new_context()``) reports violations two ways:
# the ``securitypolicyviolation`` event, recorded by an init script and sent to Python at
# once (so a navigation straight after cannot lose it), and Chromium's console message.
# ``pytest_runtest_call`` below fails the test with the directive and the page's URL.
CSP_LISTENER = """
(() => {
  window.__cspViolationCount = 0;
  document.addEventListener("securitypolicyviolation", (event) => {
    if (window.__cspViolation) {
      window.__cspViolation({
        directive: event.effectiveDirective || event.violatedDirective,
        blocked: event.blockedURI,
        page: document.location.href,
        source: event.sourceFile,
        line: event.lineNumber,
        sample: event.sample,
      });
    }
    window.__cspViolationCount += 1;
  }, true);
})();
"""


class CspWatcher:
    """Collects the Content-Security-Policy violations of the browser contexts it watches."""

    def __init__(self) -> None:
        self.violations: list[str] = []
        self._contexts: list = []

    def watch(self, context) -> None:
        context.expose_binding("__cspViolation", self._on_event)
        context.add_init_script(CSP_LISTENER)
        context.on("console", self._on_console)
        self._contexts.append(context)

    def _on_event(self, source, violation: dict) -> None:
        where = f" ({violation['source']}:{violation['line']})" if violation.get("source") else ""
        sample = f" {violation['sample']!r}" if violation.get("sample") else ""
        self.violations.append(
            f"{violation['directive']} refused {violation['blocked'] or 'inline'}"
            f" on {violation['page']}{where}{sample}"
        )

    def _on_console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(
                f"console on {message.page.url if message.page else '?'}: {message.text}"
            )

    def _flush(self) -> None:
        """One round trip per open page, so events already sent have been received."""
        from playwright.sync_api import Error

        for context in self._contexts:
            try:
                pages = list(context.pages)
            except Error:
                continue
            for open_page in pages:
                try:
                    open_page.evaluate("() => 0")
                except Error:
                    pass  # closed or navigating: nothing more is coming from it

    def take(self) -> list[str]:
        """The violations so far, forgetting them (for tests that cause some on purpose)."""
        self._flush()
        found, self.violations = self.violations, []
        return found

    def assert_clean(self) -> None:
        found = self.take()
        if found:
            raise AssertionError(
                f"{len(found)} Content-Security-Policy violation(s):\n  " + "\n  ".join(found)
            )


_CSP_WATCHER = pytest.StashKey[CspWatcher]()


@pytest.fixture
def csp_watcher(request) -> CspWatcher:
    watcher = CspWatcher()
    request.node.stash[_CSP_WATCHER] = watcher
    return watcher


@pytest.fixture
def new_context(new_context, csp_watcher):
    """pytest-playwright's ``new_context``, every context it makes watched for CSP violations."""

    def _new_context(**kwargs):
        context = new_context(**kwargs)
        csp_watcher.watch(context)
        return context

    return _new_context


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    result = yield  # a test that already failed keeps its own error
    watcher = item.stash.get(_CSP_WATCHER, None)
    if watcher is not None:
        watcher.assert_clean()
    return result


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under test-artifacts/ (ignored by git) for a human look."""
    ARTIFACTS.mkdir(exist_ok=True)

    def _shot(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        # animations="disabled" finishes CSS transitions first (e.g. a button's colour
        # change as it is enabled), so a screenshot never catches one half-way.
        page.screenshot(path=str(path), full_page=True, animations="disabled")
        return path

    return _shot


def browser_login(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    # What a person waits for: the signed-in page. (wait_for_load_state right after a click
    # can return before the navigation has even started, on the login page itself.)
    from playwright.sync_api import expect

    expect(page.get_by_test_id("user-menu")).to_be_visible()


# --- a real Celery worker -----------------------------------------------------------------
def worker_env(broker_url: str | None = None) -> dict[str, str]:
    """The environment of a worker process on the test database and ``broker_url`` (the
    configured broker by default)."""
    from django.db import connection

    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "mentoring.settings.test"
    env["CELERY_BROKER_URL"] = broker_url or settings.CELERY_BROKER_URL
    if db["ENGINE"] == "django.db.backends.sqlite3":
        env["DATABASE_URL"] = f"sqlite:///{connection.settings_dict['NAME']}"
    else:
        from urllib.parse import quote

        env["DATABASE_URL"] = (
            f"postgres://{quote(db['USER'] or '')}:{quote(str(db['PASSWORD'] or ''))}"
            f"@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{connection.settings_dict['NAME']}"
        )
    return env


@contextlib.contextmanager
def worker_started(
    *options: str, broker_url: str | None = None, log_name: str = "celery-worker.log"
) -> Iterator[subprocess.Popen]:
    """A real ``celery worker`` process with ``options``, stopped (TERM, then KILL) after."""
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / log_name).open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "mentoring", "worker", *options],
        cwd=ROOT,
        env=worker_env(broker_url),
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
            proc.wait(timeout=20)
        log.close()


@pytest.fixture
def celery_worker_process(transactional_db) -> Iterator[subprocess.Popen]:
    """Start a real Celery worker on the configured broker and the test database.

    The worker is a separate process: it sees only committed rows, hence
    ``transactional_db``. Locally the broker is the embedded SQLAlchemy/SQLite one,
    in CI it is Redis.
    """
    with worker_started(
        "--pool=solo",
        "--loglevel=INFO",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        f"--hostname=test-{os.getpid()}@%h",
    ) as proc:
        yield proc


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
