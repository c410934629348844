"""The programme life cycle never leaves a programme stuck.

Two checks over every status and every combination of what the steps depend on (a cohort,
a charter, enrolled and paired people, a published pair, the start date):

1. Every status but *closed* offers at least one next step; a step that is not possible
   yet says why, in words, and the programme page shows exactly those words.
2. From every state a programme can reach, by its admin's actions and its people's, *closed*
   can still be reached without inviting anyone new: the admin is never left with a
   programme whose only way forward is to find more people. (Before Step 8, publishing
   pairs while enrolling left a programme with nobody "enrolled" and no step but "Start
   matching", which needs two enrolled people.)

The steps' blockers are computed by the real services on real rows: each combination is
made in the database (inside a savepoint that is rolled back), so pairing's "publish a
pair" precondition (``programmes.hooks``) takes part as in production.
"""

import datetime as dt
import html
import itertools
import re
from collections import deque
from dataclasses import dataclass, replace

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pairing.selectors.runs import PAIRING_PROGRAMME_STATUSES
from pairing.services.matching import match_run_create, match_run_execute
from pairing.services.pairs import pairs_publish
from programmes.models import Participant, Programme
from programmes.services.participants import JOINABLE, invitation_accept, participant_invite
from programmes.services.programmes import programme_transition_options
from tests.factories import (
    CohortFactory,
    ParticipantFactory,
    ProgrammeFactory,
    UserFactory,
    make_pair,
)

pytestmark = pytest.mark.django_db
Status = Programme.Status
PStatus = Participant.Status


@dataclass(frozen=True)
class Conditions:
    """What the programme's steps depend on, as the programme page sees it."""

    status: str
    cohort: bool
    charter: bool
    enrolled: int  # enrolled, charter accepted, not paired (0, 1 or 2 stand for "2 or more")
    paired: int  # paired, in live (published) pairs of two: 0 or 2 ("some")
    started: bool  # today is on or after the programme's start date


def all_conditions() -> list[Conditions]:
    combos = itertools.product(
        Status.values, (False, True), (False, True), (0, 1, 2), (0, 2), (False, True)
    )
    return [
        Conditions(*combo)
        for combo in combos
        # Without a cohort nobody can be invited, let alone enrolled or paired.
        if combo[1] or (combo[3] == 0 and combo[4] == 0)
    ]


def materialise(conditions: Conditions, admin) -> Programme:
    today = timezone.localdate()
    starts = today - dt.timedelta(days=10) if conditions.started else today + dt.timedelta(days=10)
    programme = ProgrammeFactory(
        status=conditions.status,
        charter="We take turns." if conditions.charter else "",
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=200),
        created_by=admin,
    )
    if conditions.cohort:
        cohort = CohortFactory(programme=programme)
        # An invited person who has not joined counts for nothing; one is always there.
        ParticipantFactory(
            cohort=cohort,
            status=PStatus.INVITED,
            charter_accepted_at=None,
            user=None,
            email="invitee@example.com",
            first_name="Ivy",
            last_name="Invitee",
        )
        for _ in range(conditions.enrolled):
            ParticipantFactory(cohort=cohort)
        if conditions.paired:
            make_pair(ParticipantFactory(cohort=cohort), ParticipantFactory(cohort=cohort))
    return programme


def blockers_on_page(text: str, target: str) -> list[str]:
    match = re.search(rf'<ul[^>]*data-testid="blockers-{target}"[^>]*>(.*?)</ul>', text, re.S)
    if match is None:
        return []
    return [html.unescape(item.strip()) for item in re.findall(r"<li>(.*?)</li>", match[1], re.S)]


def test_every_status_offers_a_step_and_the_page_shows_its_blockers(client, superuser):
    client.force_login(superuser)
    problems = []
    for conditions in all_conditions():
        with transaction.atomic():
            programme = materialise(conditions, superuser)
            options = programme_transition_options(programme=programme)
            page = client.get(reverse("programmes:programme_detail", args=[programme.slug])).text
            transaction.set_rollback(True)
        if conditions.status == Status.CLOSED:
            if options or "This programme is closed." not in page:
                problems.append(f"{conditions}: closed must be terminal")
            continue
        if not options:
            problems.append(f"{conditions}: no next step offered")
        for option in options:
            if f'data-testid="transition-{option.target}"' not in page:
                problems.append(f"{conditions}: {option.target} not on the page")
            if option.label not in page:
                problems.append(f"{conditions}: label {option.label!r} not on the page")
            if any(not blocker.strip() for blocker in option.blockers):
                problems.append(f"{conditions}: an empty blocker for {option.target}")
            shown = blockers_on_page(page, option.target)
            if shown != option.blockers:
                problems.append(
                    f"{conditions}: page shows {shown} for {option.target}, "
                    f"the service says {option.blockers}"
                )
        recommended = [option for option in options if option.recommended]
        if any(option.allowed for option in options if not option.irreversible):
            if len(recommended) != 1 or options[0] is not recommended[0]:
                problems.append(f"{conditions}: the allowed step is not the recommended first")
    assert problems == []


# --- liveness: no reachable state is a dead end -------------------------------------------
@dataclass(frozen=True)
class State:
    """A programme and its people, counted: the admin's population is fixed."""

    status: str
    cohort: bool
    charter: bool
    uninvited: int  # people the admin means to invite, not invited yet
    invited: int
    enrolled: int
    paired: int
    started: bool

    def conditions(self) -> Conditions:
        # Blockers depend on "two ready in one cohort" and "a live pair": 2 stands for more.
        return Conditions(
            status=self.status,
            cohort=self.cohort,
            charter=self.charter,
            enrolled=min(self.enrolled, 2),
            paired=min(self.paired, 2),
            started=self.started,
        )


def moves(state: State, allowed_targets: set[str]) -> list[State]:
    """Everything that can happen next, by the product's own rules (imported, not copied)."""
    out = [replace(state, status=target) for target in allowed_targets]
    open_ = state.status != Status.CLOSED
    if open_ and not state.cohort:
        out.append(replace(state, cohort=True))  # add a cohort
    if not state.charter:
        out.append(replace(state, charter=True))  # write the charter
    if open_ and state.cohort and state.uninvited:
        out.append(replace(state, uninvited=state.uninvited - 1, invited=state.invited + 1))
    if state.status in JOINABLE and state.invited:  # an invitee joins and fills the profile
        out.append(replace(state, invited=state.invited - 1, enrolled=state.enrolled + 1))
    if state.status in PAIRING_PROGRAMME_STATUSES and state.enrolled >= 2:  # pair, publish
        out.append(replace(state, enrolled=state.enrolled - 2, paired=state.paired + 2))
    if not state.started:
        out.append(replace(state, started=True))  # the start date comes
    return out


def test_no_reachable_state_is_a_dead_end(superuser):
    cache: dict[Conditions, set[str]] = {}

    def allowed(state: State) -> set[str]:
        conditions = state.conditions()
        if conditions not in cache:
            with transaction.atomic():
                programme = materialise(conditions, superuser)
                cache[conditions] = {
                    o.target for o in programme_transition_options(programme=programme) if o.allowed
                }
                transaction.set_rollback(True)
        return cache[conditions]

    # Fresh drafts (default charter or none, starting soon or already) for 2 to 4 people.
    starts = [
        State(Status.DRAFT, False, charter, people, 0, 0, 0, started)
        for charter in (False, True)
        for people in (2, 3, 4)
        for started in (False, True)
    ]
    graph: dict[State, list[State]] = {}
    queue, seen = deque(starts), set(starts)
    while queue:
        state = queue.popleft()
        graph[state] = moves(state, allowed(state))
        for following in graph[state]:
            if following not in seen:
                seen.add(following)
                queue.append(following)

    # Which states can still reach "closed": a fixed point over the reversed graph.
    can_close = {state for state in graph if state.status == Status.CLOSED}
    changed = True
    while changed:
        changed = False
        for state, following in graph.items():
            if state not in can_close and any(f in can_close for f in following):
                can_close.add(state)
                changed = True
    stuck = sorted((s for s in graph if s not in can_close), key=str)
    assert stuck == [], f"{len(stuck)} reachable states cannot be closed, e.g. {stuck[:3]}"
    # The walk went through every status, publishing while enrolling included.
    assert {s.status for s in graph} == set(Status.values)
    assert any(s.status == Status.ENROLLING and s.paired and not s.enrolled for s in graph)


def test_after_publishing_while_enrolling_the_programme_can_start(superuser):
    """The state of the issue: everyone paired while enrolling. Both steps are open, and
    starting the programme is the one the page recommends."""
    conditions = Conditions(Status.ENROLLING, True, True, 0, 2, True)
    programme = materialise(conditions, superuser)
    options = programme_transition_options(programme=programme)
    assert [(o.target, o.allowed, o.recommended) for o in options] == [
        (Status.RUNNING, True, True),
        (Status.MATCHING, True, False),
    ]


@pytest.mark.parametrize("status", [Status.MATCHING, Status.RUNNING])
def test_the_steps_explanations_hold_invitees_still_join_and_get_paired(status, superuser):
    """ "Start matching": "Invitees can still join, and you can propose and publish pairs as
    before". "Start the programme": "Invitees can still join and be paired later"."""
    programme = materialise(Conditions(status, True, True, 1, 0, True), superuser)
    cohort = programme.cohorts.get()
    late = participant_invite(
        cohort=cohort, by=superuser, base_url="http://t", email="late@example.com"
    )
    invitation_accept(invitation=late.invitation, user=UserFactory(email="late@example.com"))
    Participant.objects.filter(pk=late.pk).update(
        status=PStatus.ENROLLED, charter_accepted_at=timezone.now()
    )
    run = match_run_execute(run_id=match_run_create(cohort=cohort, by=superuser).pk)
    assert run.status == run.Status.SUCCEEDED
    assert pairs_publish(cohort=cohort, by=superuser, notify=False) == 1
    late.refresh_from_db()
    assert late.status == PStatus.PAIRED


def test_start_matching_tells_enrolled_people_pairs_are_being_formed(client, superuser):
    """ "Start matching": "Tells enrolled participants that pairs are being formed"."""
    programme = materialise(Conditions(Status.MATCHING, True, True, 2, 0, True), superuser)
    enrolled = Participant.objects.filter(
        cohort__programme=programme, status=PStatus.ENROLLED
    ).first()
    client.force_login(enrolled.user)
    page = client.get(reverse("programmes:my_programme"))
    assert "pairs are being formed right now" in page.text
