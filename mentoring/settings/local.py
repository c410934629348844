"""The embedded default: SQLite, the SQLAlchemy broker, mail to console and var/mail/."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
