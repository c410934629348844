"""Fixtures for the programmes tests: an admin with a programme and a cohort, inline tasks."""

from dataclasses import dataclass

import pytest

from mentoring.models import User
from programmes.models import Cohort, Programme, ProgrammeRole, Skill
from tests.factories import CohortFactory, ProgrammeFactory, ProgrammeRoleFactory, UserFactory


@dataclass
class Setup:
    admin: User
    programme: Programme
    cohort: Cohort


@pytest.fixture
def setup(db) -> Setup:
    """An enrolling programme with one cohort and a small skill vocabulary."""
    admin = UserFactory(email="priya@acme.example", first_name="Priya", last_name="Natarajan")
    programme = ProgrammeFactory(
        name="Acme reciprocal mentoring",
        slug="acme",
        status=Programme.Status.ENROLLING,
        created_by=admin,
    )
    ProgrammeRoleFactory(programme=programme, user=admin, role=ProgrammeRole.Role.ADMIN)
    cohort = CohortFactory(programme=programme, name="Spring 2026")
    for name in ("Python", "Negotiation", "Public speaking", "Data analysis", "Budgeting"):
        Skill.objects.create(programme=programme, name=name)
    return Setup(admin=admin, programme=programme, cohort=cohort)


@dataclass
class TaskRecorder:
    calls: list[tuple[str, list]]

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]


@pytest.fixture
def inline_tasks(monkeypatch) -> TaskRecorder:
    """Publishing a programmes task runs it in this process instead (and records it).

    Combine with ``django_capture_on_commit_callbacks(execute=True)``: the outbox publishes
    after commit, exactly as in production, and the task body then runs right here.
    """
    from programmes import tasks

    recorder = TaskRecorder(calls=[])
    for task in (tasks.invitation_send_task, tasks.invitations_send_batch_task):

        def apply_async(args=None, kwargs=None, _task=task, **options):
            recorder.calls.append((_task.name, list(args or [])))
            return _task.run(*(args or []), **(kwargs or {}))

        monkeypatch.setattr(task, "apply_async", apply_async)
    return recorder
