"""A new programme admin takes a programme through its whole life cycle, in a real Chromium.

Create the programme → add a cohort → invite two people → open enrolment (the invitations'
preview first) → they enrol → the engine pairs them → publish while still enrolling → start
the programme from the programme page → close it (typing its name). The programme page is
photographed at every status; the issue was that after publishing while enrolling there was
no way to Running.
"""

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from playwright.sync_api import expect

from pairing.models import Pair
from pairing.services.matching import match_run_create, match_run_execute
from programmes.models import Participant, Programme, Skill
from programmes.services.participants import (
    invitation_accept,
    participant_accept_charter,
    participant_update_profile,
)
from tests.conftest import browser_login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NAME = "Reverse mentoring 2027"


def _programme_page(page, slug: str) -> None:
    page.goto(f"/programmes/p/{slug}/")
    expect(page.get_by_role("heading", name=NAME, level=1)).to_be_visible()


def _enrol(participant: Participant, offers: list[str], wants: list[str]) -> None:
    """What the invitee does from the emailed link (tests/browser/test_invitee_journey.py)."""
    user = UserFactory(email=participant.email, first_name=participant.first_name)
    programme = participant.cohort.programme
    invitation_accept(invitation=participant.invitation, user=user)
    participant.refresh_from_db()
    participant_accept_charter(participant=participant)
    participant_update_profile(
        participant=participant,
        skills_offered=Skill.objects.filter(programme=programme, name__in=offers),
        skills_wanted=Skill.objects.filter(programme=programme, name__in=wants),
        goals="Learn from each other.",
        time_zone="Europe/London",
        demographics_consent=False,
    )


def test_a_programme_goes_from_draft_to_closed_and_never_gets_stuck(page, live_server, screenshot):
    admin = UserFactory(email="priya@acme.example", first_name="Priya", last_name="Natarajan")
    admin.user_permissions.add(Permission.objects.get(codename="add_programme"))
    browser_login(page, "priya@acme.example", "pw-Secret-123")

    # Draft: the page says what is missing before enrolment can open.
    page.goto("/programmes/new/")
    page.locator("#id_name").fill(NAME)
    page.locator("#id_starts_on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Create programme").click()
    expect(page.get_by_test_id("blockers-enrolling")).to_have_text(
        "Add at least one cohort (an intake with its own dates)."
    )
    expect(page.get_by_role("button", name="Open enrolment")).to_be_disabled()
    screenshot(page, "lifecycle-01-draft")
    programme = Programme.objects.get(name=NAME)
    for skill in ("Python", "Negotiation"):
        Skill.objects.create(programme=programme, name=skill)

    page.get_by_role("link", name="Add the first cohort").click()
    page.locator("#id_name").fill("Spring 2027")
    page.get_by_role("button", name="Add cohort").click()
    expect(page.get_by_role("heading", name="Spring 2027")).to_be_visible()
    for email, first, last in (
        ("ana.silva@acme.example", "Ana", "Silva"),
        ("ben.okafor@acme.example", "Ben", "Okafor"),
    ):
        page.get_by_role("link", name="Invite one person").click()
        page.get_by_label("Work email").fill(email)
        page.get_by_label("First name").fill(first)
        page.get_by_label("Last name").fill(last)
        page.get_by_role("button", name="Send invitation", exact=True).click()
        expect(page.get_by_role("cell", name=f"{first} {last} {email}")).to_be_visible()

    # Still a draft, now ready: opening enrolment shows what will be sent first.
    _programme_page(page, programme.slug)
    expect(page.get_by_role("button", name="Open enrolment")).to_be_enabled()
    screenshot(page, "lifecycle-02-draft-ready")
    page.get_by_role("button", name="Open enrolment").click()
    expect(page.get_by_test_id("invitation-count")).to_contain_text("2 invitations")
    expect(page.get_by_role("row", name="Spring 2027 2")).to_be_visible()
    expect(page.get_by_test_id("mail-html")).to_contain_text("Priya Natarajan invites you to join")
    screenshot(page, "lifecycle-03-open-enrolment-preview")
    page.get_by_role("button", name="Open enrolment and email 2 invitations").click()
    expect(
        page.get_by_text("The programme is now enrolling. 2 invitations are being emailed.")
    ).to_be_visible()
    # Enrolling: both next steps are shown, each with what it still needs.
    expect(page.get_by_test_id("blockers-matching")).to_contain_text(
        "At least two participants of one cohort must have accepted the charter"
    )
    expect(page.get_by_test_id("blockers-running")).to_have_text(
        "Publish at least one pair from the pairing page."
    )
    screenshot(page, "lifecycle-04-enrolling")

    # The invitees join (from their emails), and the engine pairs them.
    ana = Participant.objects.get(email="ana.silva@acme.example")
    ben = Participant.objects.get(email="ben.okafor@acme.example")
    _enrol(ana, offers=["Python"], wants=["Negotiation"])
    _enrol(ben, offers=["Negotiation"], wants=["Python"])
    run = match_run_execute(run_id=match_run_create(cohort=ana.cohort, by=admin).pk)
    assert run.status == run.Status.SUCCEEDED

    # Publish while the programme is still enrolling; leave the programme's start for later.
    page.goto(f"/pairing/cohorts/{ana.cohort_id}/")
    page.get_by_test_id("publish-pairs").click()
    start = page.get_by_test_id("start-programme")
    expect(start).to_be_checked()
    screenshot(page, "lifecycle-05-publish-offers-the-start")
    start.uncheck()
    page.get_by_test_id("confirm-publish").click()
    expect(page.get_by_text("Published 1 pair.")).to_be_visible()
    expect(page.get_by_text("The programme is still enrolling.")).to_be_visible()
    screenshot(page, "lifecycle-06-published-while-enrolling")
    assert Pair.objects.get().status == Pair.Status.PUBLISHED

    # The flash leads to the programme page, where starting is the main, enabled button.
    page.get_by_role("link", name="Start the programme").click()
    expect(page.get_by_test_id("transition-running")).to_contain_text("Recommended next step")
    start_button = page.get_by_role("button", name="Start the programme")
    expect(start_button).to_be_enabled()
    screenshot(page, "lifecycle-07-enrolling-with-pairs")
    start_button.click()
    expect(page.get_by_text("The programme is now running.")).to_be_visible()
    screenshot(page, "lifecycle-08-running")

    # Running → closed, behind the typed name.
    page.get_by_role("button", name="Close the programme").click()
    page.get_by_label("Type the programme's name to confirm").fill(NAME)
    screenshot(page, "lifecycle-09-close-confirm")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("confirm-close").click()
    expect(
        page.get_by_text(
            "The programme is now closed. 2 paired participants were marked completed."
        )
    ).to_be_visible()
    expect(page.get_by_text("This programme is closed.")).to_be_visible()
    screenshot(page, "lifecycle-10-closed")
    programme.refresh_from_db()
    assert programme.status == Programme.Status.CLOSED


def test_merging_skills_is_confirmed_on_its_own_page(page, live_server, screenshot):
    """No script needed: the merge form leads to a page that says what changes."""
    admin = UserFactory(email="priya@acme.example")
    programme = Programme.objects.create(
        name=NAME,
        slug="reverse",
        created_by=admin,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate().replace(year=timezone.localdate().year + 1),
    )
    programme.roles.create(user=admin, role="admin")
    for name in ("Python", "Python 3"):
        Skill.objects.create(programme=programme, name=name)
    browser_login(page, admin.email, "pw-Secret-123")
    page.goto("/programmes/p/reverse/skills/")
    page.get_by_label("Keep this skill").select_option(label="Python")
    page.get_by_role("checkbox", name="Python 3").check()
    page.get_by_role("button", name="Merge").click()
    expect(page.get_by_role("heading", name="Merge 1 skill into “Python”?")).to_be_visible()
    screenshot(page, "lifecycle-11-skill-merge-confirm")
    assert Skill.objects.filter(name="Python 3").exists()
    page.get_by_test_id("confirm-merge").click()
    expect(page.get_by_text("Merged “Python 3” into “Python”.")).to_be_visible()
    assert not Skill.objects.filter(name="Python 3").exists()
