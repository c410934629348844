"""Beat's notification schedules come from a data migration (DatabaseScheduler), once."""

import importlib

import pytest
from celery import current_app
from django.apps import apps
from django.conf import settings
from django_celery_beat.models import PeriodicTask

pytestmark = pytest.mark.django_db


def test_the_migration_schedules_the_scan_every_5_minutes_and_the_send_every_minute():
    # Run the data migration's function again (a transactional test before this one may
    # have flushed what the migration wrote): it is idempotent.
    migration = importlib.import_module("mentoring.migrations.0003_notification_schedules")
    migration.create(apps, None)
    migration.create(apps, None)
    assert PeriodicTask.objects.filter(name__startswith="notifications-").count() == 2
    tasks = {
        t.task: (t.interval.every, t.interval.period)
        for t in PeriodicTask.objects.select_related("interval").filter(enabled=True)
        if t.interval
    }
    assert tasks["mentoring.notifications.tasks.notifications_scan_task"] == (5, "minutes")
    assert tasks["mentoring.notifications.tasks.notifications_send_task"] == (1, "minutes")
    # Not also in the settings' schedule (beat would run them twice).
    in_settings = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert not any(name.startswith("mentoring.notifications.") for name in in_settings)


def test_the_scheduled_tasks_are_registered_with_celery():
    current_app.loader.import_default_modules()
    for name in (
        "mentoring.notifications.tasks.notifications_scan_task",
        "mentoring.notifications.tasks.notifications_send_task",
    ):
        task = current_app.tasks[name]
        assert task.acks_late is True
        assert task.time_limit and task.soft_time_limit
