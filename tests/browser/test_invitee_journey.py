"""An invitee follows the emailed link, creates an account, signs the charter and fills the
profile (skills with autocomplete, optional demographics), in a real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from mentoring.models import User
from programmes.models import Participant, Programme, ProgrammeRole, Skill
from programmes.services.participants import participant_invite
from programmes.tasks import invitation_send_task
from tests.factories import CohortFactory, ProgrammeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def emailed_invitation(live_server, mailoutbox):
    admin = UserFactory(email="priya@acme.example", first_name="Priya", last_name="Natarajan")
    programme = ProgrammeFactory(
        name="Cross-gender reciprocal mentoring",
        description="Women and men across Acme mentor each other in turn.",
        status=Programme.Status.ENROLLING,
        created_by=admin,
    )
    ProgrammeRole.objects.create(programme=programme, user=admin, role=ProgrammeRole.Role.ADMIN)
    cohort = CohortFactory(programme=programme, name="Spring 2027")
    for name in ("Python", "Public speaking", "Negotiation", "Data analysis", "Data privacy"):
        Skill.objects.create(programme=programme, name=name)
    participant = participant_invite(
        cohort=cohort,
        by=admin,
        base_url=live_server.url,
        email="ana.silva@acme.example",
        first_name="Ana",
        last_name="Silva",
        department="Engineering",
        job_title="Senior Software Engineer",
        location="Lisbon",
    )
    # What the worker does after commit (tests/programmes/test_tasks.py runs a real one).
    invitation_send_task.run(participant.invitation.pk, live_server.url)
    assert len(mailoutbox) == 1
    return participant, mailoutbox[0]


def test_invitee_accepts_signs_the_charter_and_fills_the_profile(
    page, live_server, emailed_invitation, screenshot
):
    participant, message = emailed_invitation
    link = re.search(r"http://\S+/programmes/invitations/\S+/", message.body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", name="Cross-gender reciprocal mentoring")).to_be_visible()
    expect(page.get_by_text("Mutual listening and affirmation")).to_be_visible()
    screenshot(page, "invitee-01-invitation")

    page.get_by_role("link", name="Create account").click()
    expect(page.get_by_label("Email")).to_have_value("ana.silva@acme.example")
    page.get_by_label("First name").fill("Ana")
    page.get_by_label("Last name").fill("Silva")
    page.locator("#id_password1").fill("Reciprocal-2026!")
    page.get_by_label("Password (again)").fill("Reciprocal-2026!")
    screenshot(page, "invitee-02-signup-prefilled")
    page.get_by_role("button", name="Sign Up").click()

    # Back on the invitation, signed in.
    join = page.get_by_role("button", name="Join the programme")
    expect(join).to_be_visible()
    join.click()

    expect(
        page.get_by_role("heading", name="The charter of Cross-gender reciprocal mentoring")
    ).to_be_visible()
    screenshot(page, "invitee-03-charter")
    page.get_by_role("button", name="Accept and continue").click()
    expect(page.get_by_text("Tick the box to accept the charter and continue.")).to_be_visible()
    page.get_by_label("I have read the charter and commit to it.").check()
    page.get_by_role("button", name="Accept and continue").click()

    expect(
        page.get_by_role("heading", name="Your profile in Cross-gender reciprocal mentoring")
    ).to_be_visible()
    # The label first names the plain <select multiple>, then, once skills-autocomplete.js
    # has enhanced it, the text box with suggestions: wait for that box, as a person would.
    offers = page.get_by_role("combobox", name="Skills you can offer")
    wants = page.get_by_role("combobox", name="Skills you want to learn")
    expect(offers).to_be_visible()
    expect(page.locator('select[data-skills-autocomplete="ready"]')).to_have_count(2)
    offers.fill("Python")
    offers.press("Enter")
    offers.fill("Data")  # the start of two skills: Enter alone picks nothing
    offers.press("Enter")
    expect(page.get_by_text("“Data” matches 2 skills: choose one")).to_be_visible()
    offers.fill("data analysis")
    offers.press("Enter")
    wants.fill("Public speaking")
    wants.press("Enter")
    expect(page.get_by_role("button", name="Remove Python")).to_be_visible()
    expect(page.get_by_role("button", name="Remove Data analysis")).to_be_visible()
    expect(page.get_by_role("button", name="Remove Public speaking")).to_be_visible()
    page.get_by_label("Your goals").fill("Present our roadmap at the all-hands with confidence.")
    page.get_by_label("Your time zone").select_option("Europe/Lisbon")
    page.get_by_role("radio", name="Woman", exact=True).check()
    page.get_by_label("Birth year", exact=True).fill("1991")
    page.get_by_role("button", name="Save and enrol").click()
    # Demographics without consent are refused, with the reason next to the box (and a
    # link to the box in the error summary at the top).
    expect(
        page.get_by_role("strong").filter(
            has_text="Tick this box to let us store your gender and birth year"
        )
    ).to_be_visible()
    expect(page.get_by_role("link", name="I agree to share my gender")).to_have_attribute(
        "href", "#id_demographics_consent"
    )
    page.get_by_label("I agree to share my gender and birth year for this programme").check()
    screenshot(page, "invitee-04-profile")
    page.get_by_role("button", name="Save and enrol").click()

    expect(page.get_by_role("heading", name="My programme")).to_be_visible()
    expect(page.get_by_text("You are enrolled. Here is what happens next.")).to_be_visible()
    expect(
        page.get_by_text("When enrolment closes, the programme admins pair everyone")
    ).to_be_visible()
    screenshot(page, "invitee-05-my-programme")

    participant.refresh_from_db()
    user = User.objects.get(email="ana.silva@acme.example")
    assert participant.user == user
    assert participant.status == Participant.Status.ENROLLED
    assert participant.charter_accepted_at is not None
    assert sorted(s.name for s in participant.skills_offered.all()) == ["Data analysis", "Python"]
    assert [s.name for s in participant.skills_wanted.all()] == ["Public speaking"]
    assert (participant.gender, participant.birth_year, participant.time_zone) == (
        "woman",
        1991,
        "Europe/Lisbon",
    )

    # A participant can withdraw, with a reason and a confirmation.
    page.get_by_role("link", name="Withdraw…").click()
    page.get_by_label("Why are you leaving?").fill("I am moving to a new team with no time.")
    page.get_by_label("Yes, withdraw me from this programme.").check()
    screenshot(page, "invitee-06-withdraw")
    page.get_by_role("button", name="Withdraw").click()
    expect(
        page.get_by_text("You have withdrawn from Cross-gender reciprocal mentoring.")
    ).to_be_visible()
    participant.refresh_from_db()
    assert participant.status == Participant.Status.WITHDRAWN


def test_an_existing_account_signs_in_from_the_invitation(page, live_server, emailed_invitation):
    participant, message = emailed_invitation
    UserFactory(email="ana.silva@acme.example", first_name="Ana")
    link = re.search(r"http://\S+/programmes/invitations/\S+/", message.body).group(0)
    page.goto(link)
    expect(page.locator("#invite-login")).to_have_value("ana.silva@acme.example")
    page.locator("#invite-password").fill("pw-Secret-123")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Join the programme").click()
    expect(page.get_by_label("I have read the charter and commit to it.")).to_be_visible()
    participant.refresh_from_db()
    assert participant.user is not None
