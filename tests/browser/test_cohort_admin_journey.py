"""A programme admin fixes a cohort in a real Chromium: imports the good rows of a file and
downloads the one to fix; then edits, moves and withdraws a participant from the cohort
table (on a desktop, then on a phone)."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from programmes.models import AuditEvent, Participant, Programme, ProgrammeRole, Skill
from programmes.services.imports.columns import COLUMNS
from tests.conftest import browser_login
from tests.factories import (
    CohortFactory,
    ParticipantFactory,
    ProgrammeFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def programme():
    admin = UserFactory(email="priya@acme.example", first_name="Priya", last_name="Natarajan")
    programme = ProgrammeFactory(
        name="Cross-gender reciprocal mentoring",
        slug="cross-gender",
        status=Programme.Status.ENROLLING,
        created_by=admin,
    )
    ProgrammeRole.objects.create(programme=programme, user=admin, role=ProgrammeRole.Role.ADMIN)
    CohortFactory(programme=programme, name="Spring 2027")
    CohortFactory(programme=programme, name="Autumn 2027")
    for name in ("Python", "Negotiation", "Public speaking", "Budgeting"):
        Skill.objects.create(programme=programme, name=name)
    return programme


def _file(tmp_path: Path) -> Path:
    rows = [
        ",".join(COLUMNS),
        "amira@acme.example,Amira,Haddad,Finance,London,Head of FP&A,8,,Europe/London,Budgeting,",
        "leo@acme.example,Leo,Martin,Engineering,Lisbon,Engineer,3,amira@acme.example,Europe/Lisbon,Python,Negotiation",
        "kim@acme.example,Kim,Lee,Engineering,London,SRE,5,,Europe/London,Kubernetes;Python,",
        "sara@acme.example,Sara,Ng,Sales,Singapore,Account Executive,4,,Asia/Singapore,Negotiation,",
        "zoe.acme.example,Zoe,Park,Sales,Singapore,Sales Director,12,,Asia/Singapore,,Python",
    ]
    path = tmp_path / "spring-intake.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_admin_imports_the_four_good_rows_and_downloads_the_bad_one(
    page, live_server, screenshot, tmp_path, programme
):
    cohort = programme.cohorts.get(name="Spring 2027")
    browser_login(page, "priya@acme.example", "pw-Secret-123")
    page.goto(f"/programmes/cohorts/{cohort.pk}/")
    page.get_by_role("link", name="Import CSV").click()
    page.get_by_label("CSV file").set_input_files(str(_file(tmp_path)))
    page.get_by_role("button", name="Upload and check").click()

    expect(page.get_by_role("heading", name="Check the import into Spring 2027")).to_be_visible()
    expect(page.get_by_test_id("ready-count")).to_have_text("3")
    expect(page.get_by_test_id("warnings-count")).to_have_text("1")  # Kim's unknown skill
    expect(page.get_by_test_id("to-fix-count")).to_have_text("1")  # Zoe: email and level
    expect(page.get_by_text("“zoe.acme.example” is not a valid email address.")).to_be_visible()
    expect(page.get_by_text("Not in the skill vocabulary: “Kubernetes”")).to_be_visible()
    screenshot(page, "cohort-admin-01-import-preview")

    page.get_by_role("button", name="Import the 4 good rows and skip the 1 with errors").click()
    expect(page.get_by_text("4 participants were added to Spring 2027.")).to_be_visible()
    expect(page.get_by_text("1 row with errors was skipped")).to_be_visible()
    screenshot(page, "cohort-admin-02-imported-with-skipped-link")
    assert Participant.objects.filter(cohort=cohort).count() == 4

    with page.expect_download() as download_info:
        page.get_by_role("link", name="download it with its problems (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "spring-intake-rows-to-fix.csv"
    body = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [row["email"] for row in rows] == ["zoe.acme.example"]
    assert "not a valid email address" in rows[0]["problems"]
    assert "Seniority must be a whole number" in rows[0]["problems"]

    # Fixed and uploaded again, alone.
    fixed = tmp_path / "spring-intake-fixed.csv"
    fixed.write_text(
        body.replace("zoe.acme.example", "zoe@acme.example").replace(",12,", ",9,"),
        encoding="utf-8",
    )
    page.get_by_role("link", name="Import CSV").click()
    page.get_by_label("CSV file").set_input_files(str(fixed))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("Columns ignored (not part of the import): problems.")).to_be_visible()
    page.get_by_role("button", name="Import 1 person").click()
    expect(page.get_by_text("1 participant was added to Spring 2027.")).to_be_visible()
    assert Participant.objects.filter(cohort=cohort).count() == 5
    event = AuditEvent.objects.filter(action="import.applied").order_by("created_at").first()
    assert event.detail["skipped"] == 1

    # A later file corrects Leo's job title: refused as a duplicate, unless "update" is ticked.
    update = tmp_path / "spring-corrections.csv"
    update.write_text(
        ",".join(COLUMNS) + "\nleo@acme.example,,,,,Senior Engineer,4,,,,\n", encoding="utf-8"
    )
    page.get_by_role("link", name="Import CSV").click()
    page.get_by_label("CSV file").set_input_files(str(update))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("Already in this cohort (invited).")).to_be_visible()
    page.get_by_label("Update people already in this cohort", exact=True).check()  # re-checks
    expect(page.get_by_test_id("will-update")).to_contain_text(
        "job title (Engineer → Senior Engineer), level (3 → 4)"
    )
    screenshot(page, "cohort-admin-02b-import-will-update")
    page.get_by_role("button", name="Import 1 person").click()
    expect(page.get_by_text("1 person was updated.")).to_be_visible()
    leo = Participant.objects.get(email="leo@acme.example")
    assert (leo.job_title, leo.seniority) == ("Senior Engineer", 4)


def test_admin_edits_moves_and_withdraws_a_participant(page, live_server, screenshot, programme):
    spring = programme.cohorts.get(name="Spring 2027")
    ana = ParticipantFactory(
        cohort=spring,
        user=UserFactory(email="ana@acme.example", first_name="Ana", last_name="Silva"),
        department="Engineering",
        job_title="Engineer",
    )
    ParticipantFactory(cohort=spring, department="Sales")
    browser_login(page, "priya@acme.example", "pw-Secret-123")
    page.goto(f"/programmes/cohorts/{spring.pk}/")
    page.get_by_role("link", name="Manage Ana Silva").click()

    expect(page.get_by_role("heading", name="Ana Silva")).to_be_visible()
    expect(page.get_by_label("Work email")).to_be_disabled()  # she signs in with it
    screenshot(page, "cohort-admin-03-participant-page")
    page.get_by_label("Department").fill("Product")
    page.get_by_label("Job title").fill("Product Manager")
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_text("Saved: department, job title.")).to_be_visible()
    expect(
        page.get_by_text("edited Ana Silva (ana@acme.example) (department, job title)")
    ).to_be_visible()

    page.get_by_label("Move to the cohort").select_option(index=1)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Move", exact=True).click()
    expect(page.get_by_text("Ana Silva is now in Autumn 2027.")).to_be_visible()
    expect(page.get_by_role("link", name="Autumn 2027").first).to_be_visible()

    page.get_by_label("Why are they leaving?").fill("Left the company at the end of May.")
    page.get_by_label("Yes, withdraw this person from the programme.").check()
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Withdraw Ana Silva").click()  # asked, and cancelled
    assert questions == [
        "Withdraw Ana Silva from Cross-gender reciprocal mentoring? This cannot be undone here."
    ]
    expect(page.get_by_role("button", name="Withdraw Ana Silva")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Withdraw Ana Silva").click()
    expect(page.get_by_text("Ana Silva is withdrawn.")).to_be_visible()
    expect(page.get_by_test_id("withdrawn-reason")).to_contain_text("Left the company")
    screenshot(page, "cohort-admin-04-participant-withdrawn")

    ana.refresh_from_db()
    assert (ana.department, ana.cohort.name, ana.status) == ("Product", "Autumn 2027", "withdrawn")
    page.goto(f"/programmes/p/{programme.slug}/")
    for text in (
        "edited Ana Silva (ana@acme.example) (department, job title)",
        "moved Ana Silva (ana@acme.example) from “Spring 2027” to “Autumn 2027”",
        "withdrew Ana Silva (ana@acme.example) from “Autumn 2027”",
    ):
        expect(page.get_by_text(text)).to_be_visible()


def test_the_cohort_table_and_the_participant_page_fit_a_phone(
    page, live_server, screenshot, programme
):
    spring = programme.cohorts.get(name="Spring 2027")
    for i in range(3):
        ParticipantFactory(cohort=spring, job_title=f"Analyst {i}")
    browser_login(page, "priya@acme.example", "pw-Secret-123")  # the menu is folded on a phone
    page.set_viewport_size(PHONE)
    page.goto(f"/programmes/cohorts/{spring.pk}/")
    expect(page.get_by_role("link", name="Manage").first).to_be_visible()
    # Stacked rows: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "cohort-admin-05-cohort-table-phone")
    page.get_by_role("link", name="Manage").first.click()
    expect(page.get_by_role("button", name="Save details")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "cohort-admin-06-participant-page-phone")
