"""Test settings: whatever DATABASE_URL / REDIS_URL say, fast hashing, mail in memory."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR, _redis_db

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Tests that do not start a worker run tasks in-process only when they call them;
# nothing is sent to a broker by accident.
CELERY_TASK_ALWAYS_EAGER = False
TEST_ARTIFACTS_DIR = VAR_DIR.parent / "test-artifacts"

# pytest-xdist (`make test` runs `-n 2`): each test process ("gw0", "gw1", …; "" without
# -n) gets its own broker queue, cache and files, so a test that starts a real Celery
# worker or clears the cache never sees another process's. pytest-django already gives
# each its own test database. A worker a test starts inherits the variable, hence the
# same values.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory, so a real Celery worker started by a test can open it too.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}  # noqa: F405
if not REDIS_URL:  # noqa: F405
    CELERY_BROKER_URL = f"sqla+sqlite:///{VAR_DIR / f'test-broker{XDIST_WORKER}.sqlite3'}"
elif XDIST_WORKER:
    _n = int(XDIST_WORKER.removeprefix("gw"))
    CELERY_BROKER_URL = _redis_db(REDIS_URL, 2 + 2 * _n)  # noqa: F405
    if not os.environ.get("REDIS_CACHE_URL"):
        CACHES["default"]["LOCATION"] = _redis_db(REDIS_URL, 3 + 2 * _n)  # noqa: F405
