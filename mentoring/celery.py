"""The Celery app. Tasks are autodiscovered from each installed app's ``tasks.py``."""

import os

from celery import Celery

from mentoring import celery_fixes

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings.local")

celery_fixes.apply()  # the worker survives a Redis restart (see the module)

app = Celery("mentoring")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
