"""Programme admin: propose pairs → watch the run → lock one → publish; a participant sees it.

The run is executed by a real Celery worker, as in production.
"""

import re

import pytest
from playwright.sync_api import expect

from pairing.models import Pair
from programmes.models import Programme
from tests.conftest import browser_login
from tests.pairing.test_matching_service import make_cohort, person

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PEOPLE = [
    # name, offers, wants, department, job title, seniority
    ("Amira", ["Python"], ["Negotiation"], "Data", "Data analyst", 2),
    ("Bruno", ["Negotiation"], ["Python"], "Sales", "Sales director", 8),
    ("Carla", ["Design"], ["Finance"], "Product", "Designer", 3),
    ("Dmitri", ["Finance"], ["Design"], "Finance", "Controller", 7),
    ("Elif", ["Public speaking"], ["SQL"], "Marketing", "Marketing lead", 6),
    ("Femi", ["SQL"], ["Public speaking"], "Data", "Engineer", 2),
    ("Grace", ["Coaching"], ["Python"], "HR", "HR partner", 5),
    ("Hiro", ["Python"], ["Coaching"], "Engineering", "Engineer", 3),
]


def test_admin_proposes_locks_and_publishes_then_a_participant_sees_the_pair(
    page, live_server, screenshot, celery_worker_process
):
    cohort = make_cohort(
        name="Reverse mentoring 2026",
        kind=Programme.Kind.REVERSE,
        cross_department_weight=3,
    )
    cohort.admin.set_password("pw-Secret-123")
    cohort.admin.save()
    people = {}
    for name, offers, wants, department, title, seniority in PEOPLE:
        people[name] = person(
            cohort,
            name,
            offers=offers,
            wants=wants,
            department=department,
            job_title=title,
            seniority=seniority,
            last_name="Example",
        )

    browser_login(page, cohort.admin.email, "pw-Secret-123")
    # From the cohort's page, through its pairing card.
    page.goto(f"/programmes/cohorts/{cohort.pk}/")
    card = page.get_by_test_id("cohort-pairing-card")
    expect(card).to_contain_text("No pairing run yet")
    card.get_by_role("link", name="Open pairing").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pairing")
    expect(page.get_by_test_id("empty-proposal")).to_be_visible()

    # Propose: the page polls the run's progress, then reloads with the proposal.
    page.get_by_test_id("propose-pairs").click()
    expect(page.get_by_text("Pairing started")).to_be_visible()
    # The worker may already be done by the time the page is drawn: either state is fine.
    expect(
        page.get_by_test_id("run-progress").or_(page.get_by_test_id("proposal-table"))
    ).to_be_visible()
    screenshot(page, "pairing-00-progress")
    expect(page.get_by_test_id("proposal-table")).to_be_visible(timeout=90_000)
    expect(page.get_by_test_id("run-status")).to_have_text("Finished")
    rows = page.get_by_test_id("proposal-row")
    expect(rows).to_have_count(4)
    expect(page.get_by_test_id("run-quality")).to_contain_text("the best possible pairing")
    expect(page.locator("#percent-histogram")).to_be_visible()
    # The histogram is drawn (static/js/match-histogram.js), with the four pairs in it.
    page.wait_for_function("() => window.Chart && Chart.getChart('percent-histogram')")
    counts = page.evaluate("() => Chart.getChart('percent-histogram').data.datasets[0].data")
    assert sum(counts) == 4

    # Lock the best pair (htmx swaps just that row).
    first = rows.first
    pair_id = int(first.get_attribute("data-pair-id"))
    first.get_by_test_id("lock-pair").click()
    expect(page.locator(f"#pair-{pair_id}").get_by_test_id("unlock-pair")).to_be_visible()
    assert Pair.objects.get(pk=pair_id).locked
    page.reload()
    expect(page.get_by_text("keeps the 1 locked one")).to_be_visible()
    screenshot(page, "pairing-01-proposal")

    # Preview a swap (the score change shows before anything changes), then cancel it.
    page.get_by_role("link", name="Swap two people").click()
    page.get_by_label("Person from the first pair").select_option(str(people["Carla"].pk))
    page.get_by_label("Person from the second pair").select_option(str(people["Elif"].pk))
    page.get_by_test_id("preview-swap").click()
    expect(page.get_by_test_id("swap-delta")).to_contain_text("Total match falls")
    screenshot(page, "pairing-01b-swap-preview")
    page.get_by_role("link", name="Cancel").click()
    # Exclude asks for confirmation first.
    page.locator("#pair-{}".format(int(rows.nth(1).get_attribute("data-pair-id")))).get_by_test_id(
        "exclude-pair"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Exclude this pair?")
    screenshot(page, "pairing-01c-exclude-confirm")
    page.get_by_role("link", name="Cancel").click()
    expect(rows).to_have_count(4)

    # Publish, with a confirmation step.
    page.get_by_test_id("publish-pairs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish 4 pairs?")
    screenshot(page, "pairing-02-publish-confirm")
    page.get_by_test_id("confirm-publish").click()
    expect(page.get_by_text(re.compile(r"Published 4 pairs"))).to_be_visible()
    expect(page.get_by_test_id("live-count")).to_have_text("4")
    screenshot(page, "pairing-03-after-publish")
    assert Pair.objects.filter(status=Pair.Status.PUBLISHED).count() == 4
    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name="Cohort").click()
    expect(page.get_by_test_id("cohort-pairing-card")).to_contain_text("it proposed 4 pairs")
    screenshot(page, "pairing-03b-cohort-card")

    # A participant now sees their pair, with the partner's name.
    amira = people["Amira"]
    pair = Pair.objects.get(members__participant=amira)
    partner = pair.members.exclude(participant=amira).get().participant
    page.context.clear_cookies()
    browser_login(page, amira.email, "pw-Secret-123")
    page.goto(f"/pairing/pairs/{pair.pk}/")
    expect(page.get_by_text(partner.display_name).first).to_be_visible()
    screenshot(page, "pairing-04-participant-pair")
    assert (
        pair.first_mentor_id
        == min((m.participant for m in pair.members.all()), key=lambda p: (p.seniority, p.pk)).pk
    )

    # It does not work out: Amira ends the pair early, with a reason and a confirmation.
    page.goto(f"/pairing/pairs/{pair.pk}/end/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(partner.display_name)
    page.get_by_label("Why should the pair end?").fill("Our schedules never overlap.")
    page.get_by_test_id("confirm-end").click()
    expect(page.get_by_text("Tick the box to confirm")).to_be_visible()
    page.get_by_label("I understand this ends the pair").check()
    screenshot(page, "pairing-05-end-request")
    page.get_by_test_id("confirm-end").click()
    expect(page.get_by_text("Your pair has ended")).to_be_visible()
    pair.refresh_from_db()
    assert pair.status == Pair.Status.ENDED_EARLY
