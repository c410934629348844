"""Goals: the owner sets and moves them (history kept), the partner comments."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.models import Goal, GoalComment, GoalProgress
from feedback.services.goals import goal_create, goal_update
from pairing.models import Pair

pytestmark = pytest.mark.django_db


def partner_client(world) -> Client:
    client = Client()
    client.force_login(world.partner.user)
    return client


def update(goal, by, **changes):
    fields = {
        "title": goal.title,
        "description": goal.description,
        "progress": goal.progress,
        "status": goal.status,
        "due_on": goal.due_on,
    }
    return goal_update(goal=goal, by=by, **{**fields, **changes})


def test_creating_a_goal_on_the_page_records_its_first_history_row(world):
    response = world.client_for("member").post(
        reverse("feedback:goal_create", args=[world.pair.pk]),
        {"title": "Chair a meeting", "progress": "10", "due_on": "2030-01-31"},
    )
    assert response.status_code == 302
    goal = Goal.objects.get(pair=world.pair)
    assert goal.owner == world.member
    assert list(goal.history.values_list("progress", "status")) == [(10, "open")]


def test_progress_and_status_changes_are_kept_as_history(world):
    goal = goal_create(pair=world.pair, owner=world.member, title="Speak at all-hands")
    update(goal, world.member, progress=40)
    update(goal, world.member, title="Speak at the all-hands")  # no progress change: no row
    update(goal, world.member, progress=100, status=Goal.Status.ACHIEVED)
    history = list(
        GoalProgress.objects.filter(goal=goal).order_by("pk").values_list("progress", "status")
    )
    assert history == [(0, "open"), (40, "open"), (100, "achieved")]
    assert GoalProgress.objects.filter(goal=goal).last().changed_by == world.member.user
    page = world.client_for("member").get(reverse("feedback:goal_detail", args=[goal.pk]))
    assert page.content.decode().count("<td>") >= 9  # three history rows


def test_progress_must_be_a_percentage(world):
    goal = goal_create(pair=world.pair, owner=world.member, title="A goal")
    with pytest.raises(ValidationError):
        update(goal, world.member, progress=120)
    response = world.client_for("member").post(
        reverse("feedback:goal_edit", args=[goal.pk]),
        {"title": "A goal", "progress": "-5", "status": "open"},
    )
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 0" in response.content.decode()


def test_only_the_owner_edits_and_both_sides_comment(world):
    goal = goal_create(pair=world.pair, owner=world.member, title="Negotiate my salary")
    with pytest.raises(PermissionDenied):
        update(goal, world.partner, progress=90)
    partner = partner_client(world)
    assert partner.get(reverse("feedback:goal_edit", args=[goal.pk])).status_code == 403
    response = partner.post(
        reverse("feedback:goal_comment", args=[goal.pk]), {"text": "Practise with me on Friday"}
    )
    assert response.status_code == 302
    assert GoalComment.objects.get(goal=goal).author == world.partner
    owner_page = world.client_for("member").get(reverse("feedback:goal_detail", args=[goal.pk]))
    assert "Practise with me on Friday" in owner_page.content.decode()
    # The owner answers on their own goal.
    response = world.client_for("member").post(
        reverse("feedback:goal_comment", args=[goal.pk]), {"text": "Friday works, thank you"}
    )
    assert response.status_code == 302
    assert list(GoalComment.objects.filter(goal=goal).values_list("author", flat=True)) == [
        world.partner.pk,
        world.member.pk,
    ]


def test_an_empty_comment_is_refused_with_a_message(world):
    goal = goal_create(pair=world.pair, owner=world.member, title="A goal")
    response = partner_client(world).post(
        reverse("feedback:goal_comment", args=[goal.pk]), {"text": ""}
    )
    assert response.status_code == 200
    assert not GoalComment.objects.exists()
    assert "This field is required" in response.content.decode()


def test_goals_show_side_by_side_with_progress_bars(world):
    goal_create(pair=world.pair, owner=world.member, title="Goal of A", progress=30)
    goal_create(pair=world.pair, owner=world.partner, title="Goal of B", progress=80)
    page = world.client_for("member").get(reverse("feedback:goal_list", args=[world.pair.pk]))
    html = page.content.decode()
    assert html.index("Goal of A") < html.index("Goal of B")
    assert 'aria-valuenow="30"' in html and 'aria-valuenow="80"' in html
    pair_page = world.client_for("member").get(
        reverse("feedback:pair_detail", args=[world.pair.pk])
    )
    assert 'aria-valuenow="80"' in pair_page.content.decode()


def test_an_ended_pair_takes_no_new_goals(world):
    world.pair.status = Pair.Status.ENDED_EARLY
    world.pair.save(update_fields=["status"])
    with pytest.raises(ValidationError):
        goal_create(pair=world.pair, owner=world.member, title="Too late")


def test_the_edit_form_starts_from_the_goals_current_values(world):
    due = timezone.localdate() + dt.timedelta(days=30)
    goal = goal_create(
        pair=world.pair, owner=world.member, title="Lead a review", description="Q1", due_on=due
    )
    goal_update(
        goal=goal,
        by=world.member,
        title="Lead a review",
        description="Q1",
        progress=40,
        status=Goal.Status.OPEN,
        due_on=due,
    )
    form = (
        world.client_for("member")
        .get(reverse("feedback:goal_edit", args=[goal.pk]))
        .context["form"]
    )
    assert form["title"].value() == "Lead a review"
    assert form["description"].value() == "Q1"
    assert form["progress"].value() == 40
    assert form["status"].value() == Goal.Status.OPEN
    assert form["due_on"].value() == due
