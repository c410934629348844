"""An HR viewer imports outcome events from CSV in a real Chromium: preview, skip, apply."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from feedback.models import OutcomeEvent
from programmes.models import ProgrammeRole
from tests.conftest import browser_login
from tests.factories import (
    CohortFactory,
    ParticipantFactory,
    ProgrammeFactory,
    ProgrammeRoleFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-Secret-123"


@pytest.fixture
def programme_with_hr():
    programme = ProgrammeFactory(name="Reverse mentoring 2026", slug="reverse-2026")
    hr = UserFactory(email="helen@example.com", first_name="Helen", last_name="Okafor")
    ProgrammeRoleFactory(programme=programme, user=hr, role=ProgrammeRole.Role.HR)
    cohort = CohortFactory(programme=programme, name="Spring intake")
    for first in ("Ana", "Ben"):
        ParticipantFactory(cohort=cohort, user=UserFactory(email=f"{first.lower()}@example.com"))
    return programme


def test_hr_imports_the_good_rows_and_downloads_the_rest(
    page, live_server, screenshot, programme_with_hr, tmp_path
):
    day = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    upload = tmp_path / "hris-export.csv"
    upload.write_text(
        "email,kind,occurred_on,pay_change_pct\n"
        f"ana@example.com,promotion,{day},\n"
        f"ben@example.com,pay_change,{day},3.5\n"
        f"zoe@example.com,promotion,{day},\n"
    )
    browser_login(page, "helen@example.com", PASSWORD)
    page.goto("/feedback/programmes/reverse-2026/outcomes/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Outcome data of Reverse mentoring 2026"
    )
    screenshot(page, "outcomes-01-home")
    page.get_by_role("link", name="Import outcome events").click()
    page.get_by_label("CSV file").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and check").click()

    expect(page.get_by_test_id("to-fix-count")).to_have_text("1")
    row = page.locator("tr[data-line='4']")
    expect(row).to_contain_text("Not a participant of this programme")
    screenshot(page, "outcomes-02-preview")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the 1 row to fix (CSV)").click()
    assert "zoe@example.com" in download.value.path().read_text(encoding="utf-8-sig")

    page.get_by_role("button", name="Import the 2 good rows and skip the 1 with errors").click()
    expect(page.get_by_text("2 events imported.")).to_be_visible()
    screenshot(page, "outcomes-03-imported")
    assert OutcomeEvent.objects.count() == 2
