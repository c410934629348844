"""Enqueue Celery tasks after commit without ever losing them to a broker outage.

Services name the task they enqueue by its dotted name (``"pairing.tasks.x_task"``), not
by importing it: tasks import services, so a service importing its task would close an
import loop. The name is resolved in Celery's registry when the task is sent, and an
unknown name fails loudly there (see ``task_resolve``).
"""

import logging
from typing import Any

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)


def task_resolve(task: Task | str) -> Task:
    """The registered task for ``task`` (a task, or its dotted name); KeyError if unknown.

    Looking a name up makes Celery import every app's ``tasks`` module (autodiscovery) the
    first time, which is a run-time lookup, not an import between apps.
    """
    if not isinstance(task, str):
        return task
    from celery import current_app

    if task not in current_app.tasks:
        # Celery runs autodiscovery when a worker starts, not in a web process: until some
        # module imported them, a web process knows no app's tasks. Import them now (once;
        # later calls find them registered).
        current_app.loader.import_default_modules()
    try:
        return current_app.tasks[task]
    except KeyError:
        raise KeyError(f"No Celery task is registered as {task!r}.") from None


def publish(
    task: Task | str,
    *,
    args: list[Any] | tuple[Any, ...] = (),
    kwargs: dict[str, Any] | None = None,
    countdown: int | None = None,
) -> None:
    """Hand ``task`` to the broker now, or keep it in the outbox if the broker is down.

    Call it from code that already runs after commit; everything else uses ``enqueue``.
    ``countdown`` (seconds) delays execution; the outbox re-sends without it, which
    only makes that one run earlier.
    """
    from .models import PendingTask

    task = task_resolve(task)
    args = list(args)
    kwargs = dict(kwargs or {})
    try:
        # retry=False: a down broker must not hold the user's request for seconds.
        task.apply_async(args=args, kwargs=kwargs, countdown=countdown, retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure means "keep it for later"
        logger.warning("Broker unavailable, keeping %s for later: %s", task.name, exc)
        PendingTask.objects.create(
            task_name=task.name, args=list(args), kwargs=dict(kwargs), last_error=str(exc)[:2000]
        )


def enqueue(task: Task | str, *args: Any, **kwargs: Any) -> None:
    """Send ``task`` (a task or its dotted name) once the current transaction commits
    (immediately outside one).

    Arguments must be JSON-serialisable (ids, not model instances).
    """
    transaction.on_commit(lambda: publish(task, args=args, kwargs=kwargs))


def outbox_flush(*, limit: int = 500) -> int:
    """Re-send pending tasks. Returns how many were handed to the broker."""
    from celery import current_app

    from .models import PendingTask

    sent = 0
    for pending in PendingTask.objects.order_by("created_at")[:limit]:
        task = current_app.tasks.get(pending.task_name)
        if task is None:
            logger.error("Dropping pending task with unknown name %s", pending.task_name)
            pending.delete()
            continue
        try:
            task.apply_async(args=pending.args, kwargs=pending.kwargs, retry=False)
        except Exception as exc:  # noqa: BLE001
            pending.attempts += 1
            pending.last_error = str(exc)[:2000]
            pending.save(update_fields=["attempts", "last_error"])
            break  # the broker is still down; try again on the next beat tick
        pending.delete()
        sent += 1
    return sent
