"""Production: PostgreSQL, Redis, gunicorn, mandatory email verification, HTTPS only.

Reads DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL, REDIS_URL and the
DJANGO_EMAIL_* settings; refuses to start without a secret key.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")  # no default: a missing key must stop start-up
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# Links in mail: the first allowed host over HTTPS unless set explicitly.
SITE_BASE_URL = env.str("SITE_BASE_URL", default=f"https://{ALLOWED_HOSTS[0].lstrip('.')}")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

ACCOUNT_EMAIL_VERIFICATION = "mandatory"
EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend"
)

# HTTPS everywhere; the proxy in front terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# /healthz is probed over plain HTTP by the container healthcheck.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
# Behind the proxy every client has the proxy's address: with 1 (one proxy that appends
# the client's address to X-Forwarded-For) allauth's per-IP sign-in limits count each
# client apart instead of all of them together.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)

# `make proof` (scripts/proof) serves these settings over plain HTTP on 127.0.0.1: only
# with this explicit flag, and only when every allowed host is a loopback one.
if env.bool("DJANGO_LOOPBACK_HTTP", default=False):
    from django.core.exceptions import ImproperlyConfigured

    if set(ALLOWED_HOSTS) - {"127.0.0.1", "localhost", "[::1]"}:
        raise ImproperlyConfigured("DJANGO_LOOPBACK_HTTP serves loopback hosts only.")
    SECURE_SSL_REDIRECT = False
    SESSION_COOKIE_SECURE = False
    CSRF_COOKIE_SECURE = False
    SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
