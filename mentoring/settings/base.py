"""Settings shared by every environment. Every value comes from the environment.

With no environment set we run the *embedded default*: SQLite under ``var/`` and a
real Celery worker and beat talking over kombu's SQLAlchemy transport on a SQLite
file, so a newcomer needs neither PostgreSQL nor Redis.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("MENTORING_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()

SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY", default="insecure-local-only-key-do-not-use-in-production"
)
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "django_htmx",
    "mentoring",
    "programmes",
    "pairing",
    "feedback",
    "insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Adds the Content-Security-Policy header (SECURE_CSP below) and a per-request nonce.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Wrong tokens on invitation, sign-up-link and calendar URLs: 429 past a limit.
    "mentoring.ratelimit.TokenRateLimitMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "mentoring.middleware.UserTimezoneMiddleware",
    "programmes.middleware.RequireMFAForStaffRolesMiddleware",
]

ROOT_URLCONF = "mentoring.urls"
WSGI_APPLICATION = "mentoring.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # {{ csp_nonce }}: the per-request nonce for <script> tags (see SECURE_CSP).
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "programmes.context_processors.navigation",
                "mentoring.notifications.context_processors.bell",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'mentoring.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; the timeout waits out
    # short write locks instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "mentoring.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# --- allauth -----------------------------------------------------------------
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# "optional" locally (a newcomer can sign in straight away), "mandatory" in production.
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Mentoring] "
ACCOUNT_RATE_LIMITS_ENABLED = True  # allauth's defaults: 5 failed logins per key per 5 minutes
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, written out so the policy is visible in one place.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_FORMS = {"signup": "mentoring.forms.SignupForm"}
ACCOUNT_ADAPTER = "mentoring.adapters.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Reciprocal Mentoring"
# When true, programme admins, HR viewers and Django-admin staff (is_staff/is_superuser)
# must set up TOTP before using the site.
MFA_REQUIRED_FOR_STAFF_ROLES = env.bool("MFA_REQUIRED_FOR_STAFF_ROLES", default=False)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- i18n / time ---------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("de", "Deutsch"), ("es", "Español")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- static ------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

# --- cache (allauth's rate limits and the metrics debounce use it) --------------
REDIS_URL = env.str("REDIS_URL", default="")


def _redis_db(url: str, db: int) -> str:
    """The same Redis server, another logical database (keeps cache and broker apart)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{db}"))


if REDIS_URL:
    CACHES = {
        "default": {
            # RedisCache that acts as an empty cache while Redis is down (mentoring/cache.py).
            "BACKEND": "mentoring.cache.ResilientRedisCache",
            # Database 1: clearing the cache must never touch the broker's queues (db 0).
            "LOCATION": env.str("REDIS_CACHE_URL", default=_redis_db(REDIS_URL, 1)),
            # Fail fast when Redis is unreachable rather than hold the request.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    # A database cache is shared by the web process and the worker, unlike locmem.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "mentoring_cache",
        }
    }

# --- email ---------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="Mentoring <noreply@example.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Scheme and host for links in mail sent without a request (beat's reminders); requests
# use their own host when this is empty (mentoring.links.site_base_url).
SITE_BASE_URL = env.str("SITE_BASE_URL", default="")
EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="mentoring.mail.ConsoleAndFileBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)

# --- Celery ----------------------------------------------------------------------------
# No REDIS_URL: kombu's SQLAlchemy transport over a SQLite file (the embedded broker).
CELERY_BROKER_URL = env.str(
    "CELERY_BROKER_URL",
    default=REDIS_URL or f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}",
)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a task killed mid-way is redelivered; tasks are idempotent
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must fail fast when the broker is down so a request is not held up;
# the outbox (mentoring.tasks_outbox) re-queues what could not be sent.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
if CELERY_BROKER_URL.startswith("redis"):
    # A message a dead worker had taken (acks_late) comes back after 15 min, not Redis's
    # default hour; longer than any task may run (TIME_LIMIT), so none runs twice. Redis
    # only: the embedded SQLAlchemy transport hands its options to create_engine().
    CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = 900
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "requeue-pending-tasks": {
        "task": "mentoring.tasks.outbox_flush_task",
        "schedule": 60.0,
    },
    "worker-heartbeat": {
        "task": "mentoring.tasks.worker_heartbeat_task",
        "schedule": 60.0,
    },
    # Metric refreshes whose tasks were lost (a broker outage): feedback.PairMetricsOwed.
    "metrics-refresh-owed": {
        "task": "feedback.tasks.metrics_refresh_owed_task",
        "schedule": 60.0,
    },
    "nightly-metrics-refresh": {
        "task": "feedback.tasks.metrics_refresh_all_task",
        "schedule": crontab(hour=2, minute=15),
    },
    "survey-waves": {
        "task": "feedback.tasks.surveys_schedule_task",
        "schedule": crontab(minute=7),
    },
    # After the nightly metrics: the HR dashboard's summaries (insights.models).
    "nightly-dashboard-refresh": {
        "task": "insights.tasks.dashboard_refresh_all_task",
        "schedule": crontab(hour=2, minute=45),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Calendar-feed and invitation URLs carry a secret token: "Not Found: /pairing/calendar/
    # <token>.ics" must not put it in a log (see mentoring/redaction.py).
    "filters": {"redact_secrets": {"()": "mentoring.redaction.RedactSecretsFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["redact_secrets"]},
        # runserver's request lines; configuring the logger drops Django's own handler for
        # it, hence the console handler here.
        "django.server": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_secrets"],
        },
    },
}
# Error emails to ADMINS (and the debug page) with those tokens redacted.
DEFAULT_EXCEPTION_REPORTER = "mentoring.error_reports.RedactingExceptionReporter"

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Content-Security-Policy (django.middleware.csp) -------------------------------------
# Strict and enforced everywhere (not report-only), so a template that slips in an inline
# script, an on*= handler or a style="" attribute breaks in development and in the browser
# tests (tests/conftest.py fails a test on any violation), not silently in production.
# Every script and stylesheet is a file under static/; data for scripts travels in
# json_script blocks or data-* attributes. Bootstrap, htmx and Chart.js set styles through
# the CSSOM (element.style.x = ...), which style-src does not govern.
SECURE_CSP = {
    # Anything not listed below: our own origin only.
    "default-src": [CSP.SELF],
    # Our static files, plus a <script> carrying this response's nonce ({{ csp_nonce }}).
    # No 'unsafe-inline' (inline code and on*= handlers are refused) and no 'unsafe-eval'
    # (htmx's hx-on and js: values, which need eval, are not used). 'report-sample' puts
    # the first characters of refused code in the violation report (the tests print it).
    "script-src": [CSP.SELF, CSP.NONCE, CSP.REPORT_SAMPLE],
    # Stylesheets from static/ only: no <style> blocks, no style="" attributes. Fixed
    # looks are classes in static/css/app.css; bar widths are classes in 5 % steps
    # (mentoring.templatetags.bars); htmx's indicator <style> is switched off in base.html.
    "style-src": [CSP.SELF, CSP.REPORT_SAMPLE],
    # data: for Bootstrap's inline SVG icons (form controls, close buttons) and allauth's
    # TOTP QR code.
    "img-src": [CSP.SELF, "data:"],
    # Bootstrap Icons' web font, served from static/.
    "font-src": [CSP.SELF],
    # htmx requests go back to this site only.
    "connect-src": [CSP.SELF],
    # No page may be framed (clickjacking); the CSP form of X_FRAME_OPTIONS = "DENY".
    "frame-ancestors": [CSP.NONE],
    # An injected <base href> cannot redirect relative script or form URLs elsewhere.
    "base-uri": [CSP.SELF],
    # Forms post to this site only.
    "form-action": [CSP.SELF],
    # No <object>/<embed> plug-ins.
    "object-src": [CSP.NONE],
}
