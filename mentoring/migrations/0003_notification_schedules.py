"""Beat's notification schedules, in django-celery-beat's tables (DatabaseScheduler).

Created here, not in CELERY_BEAT_SCHEDULE, so an operator can pause or re-time them from
the Django admin and the change survives a deploy. Idempotent (update_or_create by name).
"""

from django.db import migrations

SCHEDULES = [
    # (name, task, every N minutes)
    ("notifications-scan", "mentoring.notifications.tasks.notifications_scan_task", 5),
    ("notifications-send", "mentoring.notifications.tasks.notifications_send_task", 1),
]


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, task, minutes in SCHEDULES:
        interval = IntervalSchedule.objects.filter(every=minutes, period="minutes").first()
        if interval is None:
            interval = IntervalSchedule.objects.create(every=minutes, period="minutes")
        PeriodicTask.objects.update_or_create(
            name=name,
            defaults={"task": task, "interval": interval, "enabled": True, "queue": None},
        )
    # Tell a running beat that its schedule changed (what PeriodicTasks.changed() does).
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, _, _ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0002_notifications"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
