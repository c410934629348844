"""A programme admin sets up a programme and enrols a cohort from CSV, in a real Chromium.

Create the programme → add a cohort → upload a CSV with problems → read them in the
preview → upload the corrected file → accept the new skills → apply → open enrolment.
"""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from programmes.models import AuditEvent, Participant, Programme, Skill
from tests.conftest import browser_login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURE = Path(__file__).resolve().parent.parent / "programmes" / "fixtures"
BAD_FILE = FIXTURE / "participants_with_problems.csv"


def _corrected_file(tmp_path: Path) -> Path:
    """The admin's fix: problem rows removed, one row keeps a new skill (“Kubernetes”)."""
    lines = BAD_FILE.read_text(encoding="utf-8").splitlines()
    fixed = [
        *lines[:6],
        "kim@acme.example,Kim,Lee,Engineering,London,SRE,5,,Europe/London,Kubernetes;Python,",
    ]
    path = tmp_path / "participants-fixed.csv"
    path.write_bytes(b"\xef\xbb\xbf" + ("\n".join(fixed) + "\n").encode("utf-8"))  # Excel's BOM
    return path


def test_admin_creates_a_programme_and_imports_a_cohort(page, live_server, screenshot, tmp_path):
    admin = UserFactory(email="priya@acme.example", first_name="Priya", last_name="Natarajan")
    admin.user_permissions.add(Permission.objects.get(codename="add_programme"))
    browser_login(page, "priya@acme.example", "pw-Secret-123")

    page.goto("/programmes/")
    expect(page.get_by_text("No programmes yet.")).to_be_visible()
    page.get_by_role("link", name="Create your first programme").click()

    page.locator("#id_name").fill("Cross-gender reciprocal mentoring 2027")
    page.get_by_label("Description").fill(
        "Women and men across Acme mentor each other in turn, one hour every two weeks."
    )
    page.get_by_label("Alternate: mentor and mentee swap every session").check()
    page.locator("#id_cross_gender_weight").fill("8")
    screenshot(page, "admin-01-new-programme")
    page.get_by_role("button", name="Create programme").click()

    expect(
        page.get_by_role("heading", name="Cross-gender reciprocal mentoring 2027")
    ).to_be_visible()
    expect(page.get_by_text("Add at least one cohort")).to_be_visible()
    expect(page.get_by_role("button", name="Open enrolment")).to_be_disabled()
    screenshot(page, "admin-02-programme-draft")
    programme = Programme.objects.get(slug="cross-gender-reciprocal-mentoring-2027")
    assert programme.cross_gender_weight == 8

    page.get_by_role("link", name="Add the first cohort").click()
    page.locator("#id_name").fill("Spring 2027")
    page.get_by_role("button", name="Add cohort").click()
    expect(page.get_by_role("heading", name="Spring 2027")).to_be_visible()
    screenshot(page, "admin-03-empty-cohort")

    # Skills the programme starts with; the file also uses others.
    for name in ("Python", "Negotiation", "Public speaking", "Data analysis", "Budgeting"):
        Skill.objects.create(programme=programme, name=name)

    page.get_by_role("link", name="Import CSV").click()
    page.get_by_label("CSV file").set_input_files(str(BAD_FILE))
    screenshot(page, "admin-04-upload")
    page.get_by_role("button", name="Upload and check").click()

    expect(page.get_by_role("heading", name="Check the import into Spring 2027")).to_be_visible()
    expect(page.get_by_test_id("to-fix-count")).to_have_text("5")
    expect(page.get_by_test_id("warnings-count")).to_have_text("2")  # unknown skill, manager
    for message in (
        "Email is missing.",
        "“not-an-email” is not a valid email address.",
        "Same email as row 3; keep one of them.",
        "Unknown time zone “Mars/Olympus_Mons”",
        "Seniority must be a whole number from 1 (most junior) to 10",
        "Not in the skill vocabulary: “Pyhton”, “Kubernetes”",
        "Manager nobody@acme.example is not in this cohort",
    ):
        expect(page.get_by_text(message).first).to_be_visible()
    expect(
        page.get_by_role("button", name="Import the 8 good rows and skip the 5 with errors")
    ).to_be_enabled()
    screenshot(page, "admin-05-preview-with-problems")

    page.get_by_label("CSV file (UTF-8, up to 5 MB)").set_input_files(
        str(_corrected_file(tmp_path))
    )
    page.get_by_role("button", name="Upload and check again").click()
    apply = page.get_by_role("button", name="Import 6 people")
    expect(page.get_by_text("Unticked: they are left out of these people's skills")).to_be_visible()
    page.get_by_label("Add this unknown skill to the vocabulary").check()
    expect(page.get_by_text("Ticked: they become skills of the programme")).to_be_visible()
    screenshot(page, "admin-06-preview-fixed")
    apply.click()

    expect(page.get_by_text("6 participants were added to Spring 2027.")).to_be_visible()
    expect(page.get_by_text("Invitations will be emailed when you open enrolment.")).to_be_visible()
    expect(page.get_by_role("cell", name="Leo Martin leo.martin@acme.example")).to_be_visible()
    screenshot(page, "admin-07-cohort-imported")
    assert Participant.objects.filter(cohort__programme=programme).count() == 6
    leo = Participant.objects.get(email="leo.martin@acme.example")
    assert leo.manager.email == "amira.haddad@acme.example"
    assert Skill.objects.filter(programme=programme, name="Kubernetes").exists()

    # Search the table, then open enrolment from the programme page.
    page.locator("#id_q").fill("sales director")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("1 match")).to_be_visible()
    expect(page.get_by_text("zoe.park@acme.example")).to_be_visible()

    page.get_by_role("link", name="Cross-gender reciprocal mentoring 2027").first.click()
    page.get_by_role("button", name="Open enrolment").click()
    # The confirmation: how many invitations go out, and the email itself, before sending.
    expect(page.get_by_test_id("invitation-count")).to_contain_text("6 invitations")
    expect(page.get_by_test_id("mail-subject")).to_have_text(
        "You are invited to Cross-gender reciprocal mentoring 2027"
    )
    screenshot(page, "admin-07b-open-enrolment-preview")
    page.get_by_role("button", name="Open enrolment and email 6 invitations").click()
    expect(page.get_by_text("The programme is now enrolling.")).to_be_visible()
    expect(page.get_by_text("imported 6 participants into “Spring 2027”")).to_be_visible()
    screenshot(page, "admin-08-enrolling")
    programme.refresh_from_db()
    assert programme.status == Programme.Status.ENROLLING
    assert AuditEvent.objects.filter(programme=programme, action="import.applied").count() == 1
