"""The debounce: at most one refresh per pair per minute, and no change is ever lost.

Uses the real cache (the database cache locally, Redis in CI). Publishing to the broker
is recorded instead of sent, so no stray message reaches a later worker test.
"""

import subprocess
import sys
import time

import pytest
from django.db import transaction

from feedback.models import BenefitItem, SideMetric
from feedback.services.metrics import DEBOUNCE_SECONDS, pair_metrics_changed
from feedback.tasks import metrics_refresh_pair_task
from mentoring.models import PendingTask
from tests.outage import broker_down

pytestmark = pytest.mark.django_db


def test_two_changes_within_a_minute_enqueue_one_refresh(build, published, change):
    pair = build.programme_pair()
    change(pair.pk)
    change(pair.pk)
    assert published == [([pair.pk], DEBOUNCE_SECONDS)]


def test_each_pair_is_debounced_on_its_own(build, published, change):
    first, second = build.programme_pair(), build.programme_pair()
    change(first.pk)
    change(second.pk)
    change(first.pk)
    assert published == [([first.pk], 60), ([second.pk], 60)]


def test_a_change_after_the_task_started_enqueues_another(build, published, change):
    pair = build.programme_pair()
    change(pair.pk)
    metrics_refresh_pair_task(pair.pk)  # the worker runs it a minute later
    change(pair.pk)
    assert published == [([pair.pk], 60), ([pair.pk], 60)]


def test_no_update_is_lost_between_enqueue_and_run(build, published, change):
    pair = build.programme_pair()
    a, b = build.sides(pair)
    build.alternating(pair, 2)
    change(pair.pk, lambda: build.item(pair, b, a))
    # The second change enqueues nothing: the pending refresh will read it.
    change(pair.pk, lambda: build.item(pair, b, a, kind=BenefitItem.Kind.ADVOCACY))
    assert len(published) == 1
    metrics_refresh_pair_task(*published[0][0])
    assert SideMetric.objects.get(pair=pair, participant=a).items_received == 2


def test_a_change_during_the_computation_schedules_a_fresh_run(
    build, published, change, monkeypatch
):
    """The task clears its marker before reading, so a write it may have missed re-queues."""
    pair = build.programme_pair()
    a, b = build.sides(pair)
    change(pair.pk)
    import feedback.tasks as tasks

    real_compute = tasks.metrics_compute

    def compute_while_someone_writes(**kwargs):
        result = real_compute(**kwargs)
        change(pair.pk, lambda: build.item(pair, b, a))  # lands after the read
        return result

    monkeypatch.setattr(tasks, "metrics_compute", compute_while_someone_writes)
    metrics_refresh_pair_task(pair.pk)
    assert published == [([pair.pk], 60), ([pair.pk], 60)]
    monkeypatch.setattr(tasks, "metrics_compute", real_compute)
    metrics_refresh_pair_task(pair.pk)
    assert SideMetric.objects.get(pair=pair, participant=a).items_received == 1


def test_a_rolled_back_change_schedules_nothing(
    build, published, django_capture_on_commit_callbacks
):
    pair = build.programme_pair()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            pair_metrics_changed(pair_id=pair.pk)
            raise RuntimeError("the write failed")
    assert callbacks == []
    assert published == []


def test_a_lost_refresh_does_not_block_later_ones_for_ever(build, published, change, monkeypatch):
    import feedback.services.metrics.scheduling as scheduling

    # The marker expires (15 minutes in production; 1 s here, as Redis keeps real time).
    monkeypatch.setattr(scheduling, "DEBOUNCE_MARKER_TTL", 1)
    # Only the expiry is checked here: two quick changes queueing one task is the test
    # above, at the real TTL (with 1 s, a slow machine could expire it between them).
    pair = build.programme_pair()
    change(pair.pk)
    assert len(published) == 1
    # The task never ran (a worker crash, a flushed queue). 2.5 s: the database cache
    # stores expiry times to the whole second.
    time.sleep(2.5)
    change(pair.pk)
    assert len(published) == 2


def test_a_broker_outage_keeps_the_refresh_in_the_outbox(build, change):
    pair = build.programme_pair()
    with broker_down():
        change(pair.pk)
        change(pair.pk)
    pending = PendingTask.objects.get()
    assert pending.task_name == "feedback.tasks.metrics_refresh_pair_task"
    assert pending.args == [pair.pk]


def test_a_web_process_that_never_imported_the_tasks_still_finds_the_refresh_by_name():
    """Services name the refresh task (``feedback.tasks`` imports them, not the reverse). A
    web process has imported no tasks module, and Celery discovers tasks in workers only:
    the name must still resolve there, or every refresh would be lost in production."""
    script = (
        "import django; django.setup()\n"
        "import sys\n"
        "from feedback.services.metrics import scheduling\n"
        "from mentoring.outbox import task_resolve\n"
        "assert 'feedback.tasks' not in sys.modules\n"
        "print(task_resolve(scheduling.REFRESH_PAIR_TASK).name)\n"
        "print(task_resolve(scheduling.REFRESH_ALL_TASK).name)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "feedback.tasks.metrics_refresh_pair_task",
        "feedback.tasks.metrics_refresh_all_task",
    ]
