"""Role alternation: the pure function that says whose turn it is."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pairing.alternation import PastSession, next_roles, planned_mentor_sides, role_plan

STATUSES = st.sampled_from(["held", "cancelled", "no_show"])


def follow_plan(statuses, *, first: int = 0, sides: int = 2):
    """Play a sequence of sessions, each held one with the planned mentor actually mentoring."""
    sessions = []
    for status in statuses:
        plan = role_plan(mode="alternate", first_mentor_side=first, sessions=sessions, sides=sides)
        roles = {}
        if status == "held":
            mentor = plan.next.mentor_side
            roles = {side: "mentor" if side == mentor else "mentee" for side in range(sides)}
        sessions.append(PastSession(status=status, roles=roles))
    return role_plan(mode="alternate", first_mentor_side=first, sessions=sessions, sides=sides)


@given(statuses=st.lists(STATUSES, max_size=60), first=st.integers(min_value=0, max_value=1))
def test_alternate_never_lets_one_side_get_two_turns_ahead(statuses, first):
    plan = follow_plan(statuses, first=first)
    assert abs(plan.balance[0] - plan.balance[1]) <= 1
    assert sum(plan.balance) == statuses.count("held")
    # The side that mentored first is never behind.
    assert plan.balance[first] >= plan.balance[1 - first]


@given(statuses=st.lists(STATUSES, max_size=60))
def test_only_held_sessions_move_the_turn(statuses):
    plan = follow_plan(statuses)
    held = statuses.count("held")
    assert plan.held == held
    assert plan.next.mentor_side == held % 2
    held_entries = [e for e in plan.strip if e.held]
    # Consecutive held sessions always swap the mentor, whatever was cancelled in between.
    for before, after in zip(held_entries, held_entries[1:], strict=False):
        assert before.mentor_sides != after.mentor_sides
    assert all(e.mentor_sides == () and e.css == "none" for e in plan.strip if not e.held)
    assert all(e.followed_plan for e in held_entries)


@given(statuses=st.lists(STATUSES, max_size=60), first=st.integers(min_value=0, max_value=2))
def test_a_trio_rotates_the_mentor_evenly(statuses, first):
    plan = follow_plan(statuses, first=first, sides=3)
    assert max(plan.balance) - min(plan.balance) <= 1


def test_cancelled_and_no_show_sessions_do_not_count():
    sessions = [
        PastSession("held", {0: "mentor", 1: "mentee"}),
        PastSession("cancelled", {}),
        PastSession("no_show", {}),
    ]
    plan = role_plan(mode="alternate", first_mentor_side=0, sessions=sessions)
    assert plan.next.mentor_side == 1
    assert plan.balance == (1, 0)
    assert [e.css for e in plan.strip] == ["side-a", "none", "none"]
    assert [e.status for e in plan.strip] == ["held", "cancelled", "no_show"]


def test_reverse_pair_whose_junior_side_b_mentors_first():
    plan = role_plan(mode="alternate", first_mentor_side=1, sessions=[])
    assert plan.next.mentor_side == 1
    assert plan.next.role_of(1) == "mentor"
    assert plan.next.role_of(0) == "mentee"


def test_balance_counts_what_happened_not_the_plan():
    sessions = [
        PastSession("held", {0: "mentor", 1: "mentee"}),
        PastSession("held", {0: "mentor", 1: "mentee"}),  # B's turn, but A mentored again
        PastSession("held", {0: "both", 1: "both"}),
    ]
    plan = role_plan(mode="alternate", first_mentor_side=0, sessions=sessions)
    assert plan.balance == (3, 1)
    assert plan.lead == 2
    assert [e.followed_plan for e in plan.strip] == [True, False, False]
    assert [e.css for e in plan.strip] == ["side-a", "side-a", "both"]
    assert plan.next.mentor_side == 1  # three held sessions: B's turn after A's


def test_split_mode_plans_both_roles_and_alternates_the_first_half():
    plan = role_plan(mode="split", first_mentor_side=0, sessions=[])
    assert plan.next.both and plan.next.first_half_mentor_side == 0
    assert plan.next.role_of(0) == plan.next.role_of(1) == "both"
    sessions = [PastSession("held", {0: "both", 1: "both"}), PastSession("cancelled", {})]
    plan = role_plan(mode="split", first_mentor_side=0, sessions=sessions)
    assert plan.next.first_half_mentor_side == 1
    assert plan.balance == (1, 1)
    assert plan.strip[0].css == "both" and plan.strip[0].planned_side is None


def test_fluid_mode_plans_nobody_and_records_who_led():
    sessions = [
        PastSession("held", {0: "mentor", 1: "mentee"}),
        PastSession("held", {0: "mentee", 1: "mentor"}),
        PastSession("held", {0: "mentor", 1: "mentor"}),
    ]
    plan = role_plan(mode="fluid", first_mentor_side=0, sessions=sessions)
    assert plan.next.fluid
    assert plan.next.mentor_side is None
    assert plan.next.role_of(0) is None
    assert plan.balance == (2, 2)
    assert [e.css for e in plan.strip] == ["side-a", "side-b", "both"]
    assert all(e.followed_plan is None for e in plan.strip)


def test_scheduled_sessions_are_ignored_and_a_held_one_without_roles_shows_no_mentor():
    sessions = [PastSession("scheduled", {}), PastSession("held", {})]
    plan = role_plan(mode="alternate", first_mentor_side=0, sessions=sessions)
    assert len(plan.strip) == 1
    assert plan.strip[0].css == "none"
    assert plan.held == 1
    assert plan.next.mentor_side == 1


def test_planned_mentors_of_several_upcoming_sessions_alternate():
    assert planned_mentor_sides(mode="alternate", first_mentor_side=1, held=3, upcoming=3) == [
        0,
        1,
        0,
    ]
    assert planned_mentor_sides(mode="split", first_mentor_side=0, held=0, upcoming=2) == [
        None,
        None,
    ]


def test_an_out_of_range_first_mentor_falls_back_to_side_a():
    assert role_plan(mode="alternate", first_mentor_side=5, sessions=[]).next.mentor_side == 0
    with pytest.raises(ValueError):
        next_roles(mode="alternate", first_mentor_side=0, held=0, sides=0)
    with pytest.raises(ValueError):
        role_plan(mode="alternate", first_mentor_side=0, sessions=[], sides=1)
