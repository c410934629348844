"""Goals inside a pair: the owner sets and moves them, the partner comments.

Every change of progress or status leaves a ``GoalProgress`` row, so the history of
a goal can be drawn and the metrics can see when it moved.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction

from feedback.models import Goal, GoalComment, GoalProgress
from feedback.permissions import may_edit_goal
from feedback.services.metrics import pair_metrics_changed
from mentoring.errors import RuleViolation
from pairing.models import Pair
from programmes.models import Participant


def _check_progress(progress: int) -> None:
    if not 0 <= progress <= 100:
        raise RuleViolation({"progress": "Progress is a percentage from 0 to 100."})


@transaction.atomic
def goal_create(
    *,
    pair: Pair,
    owner: Participant,
    title: str,
    description: str = "",
    progress: int = 0,
    due_on: dt.date | None = None,
) -> Goal:
    """A new goal of ``owner`` (a member of ``pair``) with its first history row."""
    if pair.status not in Pair.LIVE_STATUSES:
        raise RuleViolation("This pair has ended; add goals to a live pair.")
    _check_progress(progress)
    goal = Goal(
        pair=pair,
        owner=owner,
        title=title.strip(),
        description=description.strip(),
        progress=progress,
        due_on=due_on,
    )
    goal.full_clean()
    goal.save()
    GoalProgress.objects.create(
        goal=goal, progress=goal.progress, status=goal.status, changed_by=owner.user
    )
    pair_metrics_changed(pair_id=pair.pk)
    return goal


@transaction.atomic
def goal_update(
    *,
    goal: Goal,
    by: Participant,
    title: str,
    description: str,
    progress: int,
    status: str,
    due_on: dt.date | None,
) -> Goal:
    """The owner edits a goal; a change of progress or status is kept as history."""
    if not may_edit_goal(goal=goal, me=by):
        raise PermissionDenied("Only the goal's owner can change it.")
    _check_progress(progress)
    if status not in Goal.Status.values:
        raise RuleViolation({"status": "Choose a status from the list."})
    moved = progress != goal.progress or status != goal.status
    goal.title = title.strip()
    goal.description = description.strip()
    goal.progress = progress
    goal.status = status
    goal.due_on = due_on
    goal.full_clean()
    goal.save(update_fields=["title", "description", "progress", "status", "due_on", "updated_at"])
    if moved:
        GoalProgress.objects.create(goal=goal, progress=progress, status=status, changed_by=by.user)
        pair_metrics_changed(pair_id=goal.pair_id)
    return goal


def goal_comment_add(*, goal: Goal, author: Participant, text: str) -> GoalComment:
    """Either side comments on a goal (DESIGN: "both sides can comment"), e.g. the owner
    answers the partner. ``author`` must be a member of the goal's pair (checked by the
    access helper that fetched the goal)."""
    text = text.strip()
    if not text:
        raise RuleViolation({"text": "Write a comment first."})
    return GoalComment.objects.create(goal=goal, author=author, text=text)
