"""Every page's <title> names the page and, where there is one, the pair (Step 8, item 6).

One table: (URL name, its kwargs, who opens it, the title they read). Then: no two kinds of
page a person reaches share a title, every named page of the three apps is in the table
(or is not a page: a file, a fragment, an action), and a title never reaches someone the
page is closed to.
"""

import datetime as dt
import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from feedback.models import Ask, BenefitItem
from feedback.services.goals import goal_create
from feedback.services.ledger import ask_create, benefit_item_record
from mentoring.tokens import token_issue
from pairing.models import MentoringSession, Pair, SessionRole
from pairing.services.sessions import session_log, session_schedule
from programmes.models import (
    Application,
    Invitation,
    NominationLink,
    Participant,
    Programme,
    ProgrammeRole,
    StaffInvitation,
)
from tests.factories import ParticipantFactory, UserFactory, make_pair
from tests.permissions import url_names
from tests.world import ACTORS

pytestmark = pytest.mark.django_db

SITE = "Reciprocal mentoring"
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
HELD_ON = dt.datetime(2026, 11, 17, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def titled(world):
    """The world with names to read in titles ("Ana & Ben"), and one of every pair object."""
    world.programme.kind = Programme.Kind.REVERSE
    world.programme.save(update_fields=["kind"])
    Participant.objects.filter(pk=world.member.pk).update(
        first_name="Ana", last_name="Alves", seniority=2
    )
    Participant.objects.filter(pk=world.partner.pk).update(first_name="Ben", last_name="Brown")
    Participant.objects.filter(pk=world.other_member.pk).update(first_name="Cleo")
    a, b = (Participant.objects.get(pk=p.pk) for p in (world.member, world.partner))
    world.held = session_schedule(
        pair=world.pair, by=a, scheduled_start=HELD_ON, now=HELD_ON - dt.timedelta(days=2)
    )
    session_log(
        session=world.held,
        by=a,
        status=MentoringSession.Status.HELD,
        actual_minutes=60,
        roles={a.pk: SessionRole.MENTOR, b.pk: SessionRole.MENTEE},
    )
    world.upcoming = session_schedule(
        pair=world.pair,
        by=a,
        scheduled_start=(timezone.now() + dt.timedelta(days=7)).replace(hour=10, minute=0),
    )
    world.goal = goal_create(pair=world.pair, owner=a, title="Public speaking")
    item = {
        "pair": world.pair,
        "kind": BenefitItem.Kind.RESOURCE,
        "description": "Shared a reading list",
        "occurred_on": timezone.localdate(),
    }
    world.item_for_me = benefit_item_record(by=b, giver=a, receiver=b, **item)
    world.ask = Ask.objects.create(pair=world.pair, asked_by=b, kind=Ask.Kind.HELP_ME)
    ask_create(pair=world.pair, by=a, sides=[a, b], kind=Ask.Kind.HELP_ME)
    world.proposal = make_pair(
        ParticipantFactory(cohort=world.cohort, first_name="Dev", user=UserFactory()),
        ParticipantFactory(cohort=world.cohort, first_name="Eve", user=UserFactory()),
        status=Pair.Status.PROPOSED,
        published_at=None,
    )
    invitee = ParticipantFactory(
        cohort=world.cohort,
        user=None,
        email="ivy@world.example",
        first_name="Ivy",
        last_name="Invitee",
        status="invited",
        charter_accepted_at=None,
    )
    token, digest = token_issue()
    Invitation.objects.create(
        participant=invitee, email=invitee.email, cohort=world.cohort, token_hash=digest
    )
    world.invitation_token = token
    token, digest = token_issue()
    StaffInvitation.objects.create(
        programme=world.programme,
        email="new.hr@world.example",
        role=ProgrammeRole.Role.HR,
        invited_by=world.admin,
        token_hash=digest,
    )
    world.staff_token = token
    world.link = NominationLink.objects.create(programme=world.programme, cohort=world.cohort)
    world.application = Application.objects.create(
        programme=world.programme,
        cohort=world.cohort,
        user=UserFactory(email="applicant@world.example"),
        first_name="Apple",
        last_name="Cant",
        motivation="To learn.",
    )
    return world


PAIR = lambda w: {"pair_id": w.pair.pk}  # noqa: E731
HELD = lambda w: {"session_id": w.held.pk}  # noqa: E731
UPCOMING = lambda w: {"session_id": w.upcoming.pk}  # noqa: E731
SLUG = lambda w: {"slug": w.programme.slug}  # noqa: E731
COHORT = lambda w: {"cohort_id": w.cohort.pk}  # noqa: E731
NONE = lambda w: {}  # noqa: E731
AB = "Ana & Ben"
WORLD = "World programme"
INTAKE = "2026 intake"

# (url name, kwargs, actor, title before " · Reciprocal mentoring")
TITLES = [
    # --- anyone -----------------------------------------------------------------------------
    ("home", NONE, "anonymous", "Home"),
    ("account_login", NONE, "anonymous", "Sign In"),
    ("account_signup", NONE, "anonymous", "Sign up"),
    (
        "programmes:invitation",
        lambda w: {"token": w.invitation_token},
        "anonymous",
        f"Invitation · {WORLD}",
    ),
    (
        "programmes:staff_invitation",
        lambda w: {"token": w.staff_token},
        "anonymous",
        f"Staff invitation · {WORLD}",
    ),
    (
        "programmes:apply",
        lambda w: {"token": w.link.token},
        "other_pair_member",
        f"Apply · {WORLD}",
    ),
    # --- a member of the pair ------------------------------------------------------------
    ("home", NONE, "member", "Home"),
    ("profile", NONE, "member", "Your profile"),
    ("programmes:my_programme", NONE, "member", "My programme"),
    (
        "programmes:charter",
        lambda w: {"participant_id": w.member.pk},
        "member",
        f"Charter · {WORLD}",
    ),
    (
        "programmes:profile",
        lambda w: {"participant_id": w.member.pk},
        "member",
        f"Your profile · {WORLD}",
    ),
    (
        "programmes:withdraw",
        lambda w: {"participant_id": w.member.pk},
        "member",
        f"Withdraw · {WORLD}",
    ),
    ("pairing:my_pairs", NONE, "hr", "My pairs"),  # one pair takes a member straight to it
    ("pairing:calendar_settings", NONE, "member", "Calendar feed"),
    ("pairing:calendar_revoke", NONE, "member", "Revoke your calendar address"),
    ("feedback:pair_detail", PAIR, "member", f"Pair · {AB}"),
    ("feedback:session_list", PAIR, "member", f"Sessions · {AB}"),
    ("feedback:session_detail", HELD, "member", f"Session 17 Nov · {AB}"),
    ("feedback:reflection", HELD, "member", f"Reflect on the session of 17 Nov · {AB}"),
    ("pairing:session_schedule", PAIR, "member", f"Schedule a session · {AB}"),
    ("pairing:session_log_past", PAIR, "member", f"Log a session that already happened · {AB}"),
    ("pairing:session_log", HELD, "member", f"Log the session of 17 Nov · {AB}"),
    ("pairing:session_private_note", HELD, "member", f"My private note · session 17 Nov · {AB}"),
    ("pairing:end_request", PAIR, "member", f"End your pair · {AB}"),
    ("feedback:goal_list", PAIR, "member", f"Goals · {AB}"),
    ("feedback:goal_create", PAIR, "member", f"New goal · {AB}"),
    (
        "feedback:goal_detail",
        lambda w: {"goal_id": w.goal.pk},
        "member",
        f"Goal: Public speaking · {AB}",
    ),
    (
        "feedback:goal_edit",
        lambda w: {"goal_id": w.goal.pk},
        "member",
        f"Edit the goal: Public speaking · {AB}",
    ),
    ("feedback:ledger", PAIR, "member", f"Ledger · {AB}"),
    ("feedback:ledger_record", PAIR, "member", f"Record something · {AB}"),
    (
        "feedback:ledger_dispute",
        lambda w: {"item_id": w.item_for_me.pk},
        "member",
        f"Dispute an item · {AB}",
    ),
    ("feedback:ask_create", PAIR, "member", f"Ask your partner · {AB}"),
    ("feedback:ask_answer", lambda w: {"ask_id": w.ask.pk}, "member", f"Answer an ask · {AB}"),
    ("feedback:pair_complete", PAIR, "member", f"Complete your pair · {AB}"),
    # --- a programme admin ---------------------------------------------------------------
    ("home", NONE, "admin", "Home"),
    ("programmes:programme_list", NONE, "admin", "Programmes"),
    ("programmes:programme_create", NONE, "admin", "New programme"),
    ("programmes:programme_detail", SLUG, "admin", WORLD),
    ("programmes:programme_edit", SLUG, "admin", f"Settings · {WORLD}"),
    ("programmes:programme_open_enrolment", SLUG, "admin", f"Open enrolment · {WORLD}"),
    ("programmes:programme_close", SLUG, "admin", f"Close the programme · {WORLD}"),
    ("programmes:cohort_create", SLUG, "admin", f"New cohort · {WORLD}"),
    ("programmes:roles", SLUG, "admin", f"Admins and HR viewers · {WORLD}"),
    (
        "programmes:role_revoke",
        lambda w: {"role_id": ProgrammeRole.objects.get(programme=w.programme, user=w.hr).pk},
        "admin",
        f"Remove a role · {WORLD}",
    ),
    ("programmes:skills", SLUG, "admin", f"Skill vocabulary · {WORLD}"),
    ("programmes:application_queue", SLUG, "admin", f"Applications · {WORLD}"),
    (
        "programmes:application_decline",
        lambda w: {"application_id": w.application.pk},
        "admin",
        f"Decline an application · {WORLD}",
    ),
    ("programmes:cohort_detail", COHORT, "admin", f"Cohort {INTAKE} · {WORLD}"),
    ("programmes:cohort_edit", COHORT, "admin", f"Edit {INTAKE} · {WORLD}"),
    ("programmes:participant_invite", COHORT, "admin", f"Invite · {INTAKE}"),
    ("programmes:import_upload", COHORT, "admin", f"Import participants · {INTAKE}"),
    (
        "programmes:participant_manage",
        lambda w: {"participant_id": w.member.pk},
        "admin",
        f"Ana Alves · {INTAKE}",
    ),
    ("pairing:cohort_pairs", COHORT, "admin", f"Pairing · {INTAKE}"),
    ("pairing:pairs_swap", COHORT, "admin", f"Swap two people · {INTAKE}"),
    ("pairing:pairs_publish", COHORT, "admin", f"Publish pairs · {INTAKE}"),
    (
        "pairing:pair_exclude",
        lambda w: {"pair_id": w.proposal.pk},
        "admin",
        f"Exclude a pair · Dev & Eve · {INTAKE}",
    ),
    ("feedback:pair_health", SLUG, "admin", f"Pair health · {WORLD}"),
    ("feedback:pair_health_detail", PAIR, "admin", f"Pair health · {AB} · {WORLD}"),
    ("feedback:pair_health_nudge", PAIR, "admin", f"Send a nudge · {AB} · {WORLD}"),
    ("feedback:pair_health_end", PAIR, "admin", f"End the pair · {AB} · {WORLD}"),
    ("programmes:reminder_settings", SLUG, "admin", f"Reminders · {WORLD}"),
    ("feedback:outcomes_home", SLUG, "admin", f"Outcome data · {WORLD}"),
    (
        "feedback:outcome_import_upload",
        lambda w: {"slug": w.programme.slug, "kind": "events"},
        "admin",
        f"Import outcome events · {WORLD}",
    ),
    # --- an HR viewer ------------------------------------------------------------------
    ("home", NONE, "hr", "Home"),
    ("programmes:my_programme", NONE, "hr", "My programme"),
]

# Named URLs that are not pages of their own: files, htmx fragments, POST-only actions,
# and pages that only redirect.
NOT_PAGES = {
    "programmes:programme_status",
    "programmes:cohort_export",
    "programmes:import_template",
    "programmes:import_skipped",
    "programmes:import_preview",  # the upload's second step: its title is tested below
    "programmes:participant_resend",
    "programmes:participant_edit",  # POST-only: the form sits on participant_manage
    "programmes:participant_move",
    "programmes:participant_withdraw_admin",
    "programmes:staff_invitation_resend",
    "programmes:staff_invitation_revoke",
    "programmes:skill_merge",
    "programmes:application_approve",
    "programmes:nomination_link_enable",
    "programmes:nomination_link_disable",
    "pairing:home_card",
    "pairing:run_progress",
    "pairing:run_start",
    "pairing:proposal_quality",
    "pairing:pair_lock",
    "pairing:session_ics",
    "pairing:calendar_feed",
    "pairing:session_reschedule",  # tested below (needs the upcoming session)
    "pairing:session_cancel",
    "feedback:goal_comment",
    "feedback:ledger_confirm",
    "feedback:pair_health_recompute",
    "feedback:pair_health_recompute_progress",
    "feedback:programme_health_summary",
    "feedback:pair_health_note_add",  # POST-only: the forms sit on pair_health_detail
    "feedback:pair_health_snooze",
    "feedback:pair_health_unsnooze",
    "feedback:attention",
    # Outcome data: files, and pages that need a survey wave or an upload (their titles
    # are tested in tests/feedback/test_surveys.py and test_outcome_import.py).
    "feedback:outcome_import_template",
    "feedback:outcome_import_skipped",
    "feedback:outcome_import_preview",
    "feedback:survey_answer",
}


def _title(response) -> str:
    match = TITLE.search(response.content.decode())
    assert match, f"{response.request['PATH_INFO']} has no <title>"
    return " ".join(unescape(match.group(1)).split())


def _open(world, url_name, kwargs_for, actor):
    url = reverse(url_name, kwargs=kwargs_for(world))
    response = world.client_for(actor).get(url)
    assert response.status_code == 200, f"{url} as {actor}: {response.status_code}"
    return response


@pytest.mark.parametrize(
    ("url_name", "kwargs_for", "actor", "expected"),
    TITLES,
    ids=[f"{row[2]}-{row[0]}" for row in TITLES],
)
def test_the_title_names_the_page_and_the_pair(titled, url_name, kwargs_for, actor, expected):
    assert _title(_open(titled, url_name, kwargs_for, actor)) == f"{expected} · {SITE}"


def test_the_session_pages_name_the_session_s_day(titled):
    day = timezone.localtime(titled.upcoming.scheduled_start).strftime("%-d %b")
    for url_name, verb in (
        ("pairing:session_reschedule", "Reschedule"),
        ("pairing:session_cancel", "Cancel"),
    ):
        response = _open(titled, url_name, UPCOMING, "member")
        assert _title(response) == f"{verb} the session of {day} · {AB} · {SITE}"
    assert _title(_open(titled, "feedback:session_detail", UPCOMING, "member")) == (
        f"Session {day} · {AB} · {SITE}"
    )


def test_the_site_name_comes_once(titled):
    for url_name, kwargs_for, actor, _ in TITLES:
        assert _title(_open(titled, url_name, kwargs_for, actor)).count(SITE) == 1, url_name


def test_no_two_kinds_of_page_share_a_title_for_one_person():
    seen: dict[tuple[str, str], str] = {}
    for url_name, _, actor, expected in TITLES:
        other = seen.setdefault((actor, expected), url_name)
        assert other == url_name, f"{actor} reads '{expected}' on {other} and on {url_name}"


def test_every_page_is_in_the_table():
    named = set().union(*(url_names(ns) for ns in ("programmes", "pairing", "feedback")))
    covered = {row[0] for row in TITLES} | NOT_PAGES
    assert sorted(named - covered) == []


def test_every_page_template_fills_the_title():
    """A page template without its own title would read "Reciprocal mentoring · Reciprocal
    mentoring": every template that extends base.html names its page."""
    untitled = []
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in Path(folder).rglob("*.html"):
            text = path.read_text()
            if '{% extends "base.html" %}' in text and "{% block title %}" not in text:
                untitled.append(str(path.relative_to(folder)))
    assert untitled == []


def test_a_closed_page_s_title_names_nothing(titled):
    """Everyone the pair's pages (or the programme's) are closed to gets a title without the
    pair's names or the programme's: the 404 says nothing about what is behind it."""
    secrets = ("Ana", "Ben", "Alves", "Brown", WORLD, INTAKE)
    for url_name, kwargs_for, allowed, _ in TITLES:
        if url_name in ("home", "programmes:my_programme", "pairing:my_pairs") or "token" in (
            kwargs_for(titled)
        ):
            continue  # pages everyone has, and secret links (the token is the way in)
        url = reverse(url_name, kwargs=kwargs_for(titled))
        for actor in ACTORS:
            if actor == allowed or actor in ("anonymous",):
                continue
            response = titled.client_for(actor).get(url)
            if response.status_code == 200:
                continue  # a page this actor may open too (superusers, invitations…)
            text = response.content.decode()
            assert not any(secret in text for secret in secrets), (url, actor)
