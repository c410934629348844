"""Self-nomination in a real Chromium: the admin publishes a sign-up link; a colleague opens
it, creates an account, applies; the admin approves them from the queue; the colleague is
emailed, sees the decision on their home page and signs the charter."""

import pytest
from celery import current_app
from playwright.sync_api import expect

from programmes.models import Application, Participant, Programme, ProgrammeRole, Skill
from tests.conftest import browser_login
from tests.factories import CohortFactory, ProgrammeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WHY = "I lead campaigns on budgets I did not build; I want to learn to defend them."


@pytest.fixture
def eager_tasks():
    """The decision email's task runs in the live server's process, as the worker would."""
    conf = current_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager = conf.task_eager_propagates = True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


def test_a_colleague_applies_and_the_admin_approves_them(
    page, browser, live_server, screenshot, new_context, mailoutbox, eager_tasks
):
    admin = UserFactory(email="priya@acme.example", first_name="Priya", last_name="Natarajan")
    programme = ProgrammeFactory(
        name="Cross-gender reciprocal mentoring",
        slug="cross-gender",
        description="Women and men across Acme mentor each other in turn.",
        status=Programme.Status.ENROLLING,
        created_by=admin,
    )
    ProgrammeRole.objects.create(programme=programme, user=admin, role=ProgrammeRole.Role.ADMIN)
    CohortFactory(programme=programme, name="Spring 2027")
    for name in ("Budgeting", "Financial modelling", "Public speaking", "Negotiation"):
        Skill.objects.create(programme=programme, name=name)

    # The admin publishes the programme's sign-up link.
    browser_login(page, "priya@acme.example", "pw-Secret-123")
    page.goto("/programmes/p/cross-gender/")
    expect(page.get_by_text("No sign-up link is published")).to_be_visible()
    page.get_by_role("button", name="Publish a sign-up link").click()
    expect(page.get_by_text("The sign-up link is on: copy it and share it.")).to_be_visible()
    link_box = page.get_by_label("Sign-up link for the programme")
    link = link_box.input_value()
    assert "/programmes/apply/" in link
    expect(page.get_by_role("button", name="Copy")).to_be_visible()
    screenshot(page, "nomination-01-programme-page-link")

    # A colleague opens it, without an account yet.
    colleague = new_context().new_page()
    colleague.goto(link)
    expect(
        colleague.get_by_role("heading", name="Cross-gender reciprocal mentoring")
    ).to_be_visible()
    screenshot(colleague, "nomination-02-apply-anonymous")
    colleague.get_by_role("link", name="Create an account").click()
    colleague.get_by_label("First name").fill("Gabriela")
    colleague.get_by_label("Last name").fill("Rossi")
    colleague.get_by_label("Email").fill("gabi@acme.example")
    colleague.locator("#id_password1").fill("Reciprocal-2026!")
    colleague.get_by_label("Password (again)").fill("Reciprocal-2026!")
    colleague.get_by_role("button", name="Sign Up").click()

    # Back on the sign-up link, signed in: the application form.
    expect(colleague.get_by_label("Why do you want to join?")).to_be_visible()
    expect(colleague.get_by_text("Only this programme's admins read this.")).to_be_visible()
    expect(colleague.get_by_label("First name")).to_have_value("Gabriela")
    colleague.get_by_label("Department").fill("Marketing")
    colleague.get_by_label("Job title").fill("Brand Manager")
    colleague.get_by_label("Location").fill("Milan")
    colleague.get_by_label("Your time zone").select_option("Europe/Rome")
    offers = colleague.get_by_role("combobox", name="Skills you can offer")
    wants = colleague.get_by_role("combobox", name="Skills you want to learn")
    expect(colleague.locator('select[data-skills-autocomplete="ready"]')).to_have_count(2)
    offers.fill("Public speaking")
    offers.press("Enter")
    wants.fill("Financial modelling")
    wants.press("Enter")
    expect(colleague.get_by_role("button", name="Remove Public speaking")).to_be_visible()
    colleague.get_by_role("button", name="Send my application").click()
    # An error summary on top, each message also next to its field.
    expect(colleague.locator("#form-errors")).to_contain_text(
        "Why do you want to join?: Say in a few sentences why you want to join."
    )
    colleague.get_by_label("Why do you want to join?").fill(WHY)
    screenshot(colleague, "nomination-03-application-form")
    colleague.get_by_role("button", name="Send my application").click()
    expect(
        colleague.get_by_text("Your application to Cross-gender reciprocal mentoring is sent.")
    ).to_be_visible()
    expect(colleague.get_by_test_id("home-application")).to_contain_text(
        "Waiting for the programme admins' decision"
    )
    screenshot(colleague, "nomination-04-home-waiting")

    # The admin sees the queue and approves.
    page.reload()
    page.get_by_test_id("application-queue-link").click()
    expect(
        page.get_by_role("heading", name="Applications to Cross-gender reciprocal mentoring")
    ).to_be_visible()
    application = page.get_by_test_id("application")
    expect(application).to_have_count(1)
    expect(application.get_by_test_id("motivation")).to_have_text(WHY)
    expect(application).to_contain_text("Public speaking")
    screenshot(page, "nomination-05-queue")
    page.get_by_role("button", name="Approve Gabriela Rossi").click()
    expect(page.get_by_text("Gabriela Rossi joins Spring 2027.")).to_be_visible()
    page.get_by_role("link", name="Approved").click()
    expect(page.get_by_test_id("application")).to_contain_text("Approved by Priya Natarajan")
    screenshot(page, "nomination-06-queue-approved")

    # The colleague is emailed, sees the decision, and goes on to the charter.
    decisions = [
        m for m in mailoutbox if m.to == ["gabi@acme.example"] and "You are in" in m.subject
    ]
    assert len(decisions) == 1
    colleague.goto("/")
    expect(colleague.get_by_test_id("home-application")).to_contain_text(
        "Accepted into Spring 2027"
    )
    screenshot(colleague, "nomination-07-home-accepted")
    colleague.get_by_test_id("home-application").get_by_role(
        "link", name="Read the charter"
    ).click()
    expect(
        colleague.get_by_role("heading", name="The charter of Cross-gender reciprocal mentoring")
    ).to_be_visible()
    screenshot(colleague, "nomination-08-charter")

    participant = Participant.objects.get(user__email="gabi@acme.example")
    assert participant.status == Participant.Status.INVITED
    assert participant.cohort.name == "Spring 2027"
    assert [s.name for s in participant.skills_offered.all()] == ["Public speaking"]
    assert Application.objects.get().status == Application.Status.APPROVED
    # Applying again says so.
    colleague.goto(link)
    expect(colleague.get_by_test_id("apply-refusal")).to_contain_text("were accepted")


def test_the_admin_declines_with_a_message_and_the_applicant_reads_it(
    page, live_server, screenshot, mailoutbox, eager_tasks
):
    from programmes.services.applications import application_submit, nomination_link_enable

    admin = UserFactory(email="priya@acme.example", first_name="Priya", last_name="Natarajan")
    programme = ProgrammeFactory(
        name="Reverse mentoring", slug="reverse", status=Programme.Status.ENROLLING
    )
    ProgrammeRole.objects.create(programme=programme, user=admin, role=ProgrammeRole.Role.ADMIN)
    CohortFactory(programme=programme, name="Leaders 2027")
    link = nomination_link_enable(programme=programme, cohort=None, by=admin)
    hiro = UserFactory(email="hiro@acme.example", first_name="Hiro", last_name="Tanaka")
    application_submit(
        link=link,
        user=hiro,
        first_name="Hiro",
        last_name="Tanaka",
        department="Engineering",
        job_title="Engineering Manager",
        location="Tokyo",
        time_zone="Asia/Tokyo",
        seniority=7,
        skills_offered=[],
        skills_wanted=[],
        motivation="I want to learn how our youngest colleagues see the company.",
    )
    browser_login(page, "priya@acme.example", "pw-Secret-123")
    page.goto("/programmes/p/reverse/applications/")
    page.get_by_role("link", name="Decline…").click()
    expect(page.get_by_role("heading", name="Decline Hiro Tanaka's application")).to_be_visible()
    page.get_by_label("A message for them (optional)").fill(
        "This intake is for leaders below director level; the next one opens in March."
    )
    screenshot(page, "nomination-09-decline")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Decline the application").click()
    expect(
        page.get_by_text("Hiro Tanaka's application is declined; they are emailed.")
    ).to_be_visible()
    assert [m.to for m in mailoutbox] == [["hiro@acme.example"]]
    assert "the next one opens in March" in mailoutbox[0].body

    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign Out").click()
    browser_login(page, "hiro@acme.example", "pw-Secret-123")
    expect(page.get_by_test_id("home-application")).to_contain_text("Not accepted this time")
    expect(page.get_by_test_id("home-application")).to_contain_text("the next one opens in March")
    screenshot(page, "nomination-10-home-declined")

    page.goto("/programmes/apply/not-a-real-link/")
    expect(page.get_by_role("heading", name="This sign-up link does not work")).to_be_visible()
    screenshot(page, "nomination-11-invalid-link")
