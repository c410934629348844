"""Test settings: whatever DATABASE_URL / REDIS_URL say, fast hashing, mail in memory."""

from .base import *  # noqa: F403
from .base import VAR_DIR

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

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory, so a real Celery worker started by a test can open it too.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}  # noqa: F405
if not REDIS_URL:  # noqa: F405
    CELERY_BROKER_URL = f"sqla+sqlite:///{VAR_DIR / 'test-broker.sqlite3'}"
