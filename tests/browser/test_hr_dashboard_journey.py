"""The HR dashboard in a real Chromium: an HR viewer signs in, reads a chart's table,
downloads its CSV; every chart is drawn (screenshots under test-artifacts/)."""

import csv
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import ARTIFACTS, browser_login
from tests.insights.conftest import NAME, SECRET, build_hr_programme
from tests.insights.test_dashboard import CHART_KEYS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-Secret-123"


@pytest.fixture
def hr_programme():
    hp = build_hr_programme()
    hp.hr.set_password(PASSWORD)
    hp.hr.save(update_fields=["password"])
    return hp


def test_hr_viewer_reads_the_dashboard_and_downloads_a_csv(
    page, live_server, screenshot, hr_programme
):
    browser_login(page, hr_programme.hr.email, PASSWORD)
    page.get_by_test_id("dashboards-link").click()
    page.get_by_role("link", name=hr_programme.programme.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(hr_programme.programme.name)
    expect(page.get_by_test_id("computed-at")).to_contain_text("Figures as of")

    # Every chart is drawn by Chart.js (a canvas with a size), with its reading.
    for key in CHART_KEYS:
        chart = page.get_by_test_id(f"chart-{key}")
        expect(chart.get_by_role("heading", level=3)).to_be_visible()
        expect(chart.get_by_test_id(f"reading-{key}")).not_to_be_empty()
    page.wait_for_function(
        "() => window.Chart && document.querySelectorAll('canvas[data-chart-key]').length"
        " === Object.keys(window.Chart.instances).length"
    )
    screenshot(page, "insights-01-dashboard")
    ARTIFACTS.mkdir(exist_ok=True)
    for key in CHART_KEYS:
        chart = page.get_by_test_id(f"chart-{key}")
        chart.scroll_into_view_if_needed()
        chart.screenshot(path=str(ARTIFACTS / f"insights-chart-{key}.png"), animations="disabled")

    # Read the funnel's table: open its details.
    funnel = page.get_by_test_id("chart-funnel")
    funnel.get_by_text("Data table").click()
    table = funnel.get_by_test_id("table-funnel")
    expect(table).to_be_visible()
    expect(table.get_by_role("row", name="Invited 14")).to_be_visible()
    expect(table.get_by_role("row", name="Completed fewer than 5")).to_be_visible()
    screenshot(page, "insights-02-funnel-table")

    # Download the per-side benefit CSV, by department: the subtraction attack fails.
    page.get_by_label("Compare sides by").select_option("department")
    page.get_by_role("button", name="Apply").click()
    expect(
        page.get_by_role("heading", name="Who benefits: per side, by department")
    ).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_test_id("csv-benefit").click()
    download = download_info.value
    assert download.suggested_filename == f"{hr_programme.programme.slug}-benefit.csv"
    text = open(download.path(), encoding="utf-8").read()
    rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(text))}
    assert rows["Department"][:2] == ["People", "Benefit score (0–1)"]
    assert rows["Engineering"][0] == "6"
    assert rows["Legal"][0] == "fewer than 5"
    assert rows["Finance"][0] == "fewer than 5"
    assert rows["All sides"][0] == "12"
    assert SECRET not in text and NAME not in text
    assert SECRET not in page.content() and NAME not in page.content()


def test_a_bad_date_range_says_what_to_fix(page, live_server, hr_programme):
    browser_login(page, hr_programme.hr.email, PASSWORD)
    page.goto(f"/insights/{hr_programme.programme.slug}/")
    today = timezone.localdate()
    page.get_by_label("From", exact=True).fill(today.isoformat())
    page.get_by_label("To", exact=True).fill(today.replace(year=today.year - 1).isoformat())
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("The end of the range is before its start.")).to_be_visible()
