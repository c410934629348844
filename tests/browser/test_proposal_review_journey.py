"""Step 8, items 5, 6 and 9 as a person walks them, in Chromium.

- An admin reviews a proposal: reasons that name people, who mentors first, a low match;
  swaps two people and sees the quality figure recomputed in words; locks a pair and the
  figure updates in place; publishes, ticking the low match.
- A participant chooses their gender from the short list, self-describing.
- An admin presses "Recompute now" on pair health, watches the progress and gets the fresh
  figures when the worker is done.
"""

import pytest
from playwright.sync_api import expect

from feedback.models import MetricsRecompute
from pairing.models import Pair
from programmes.models import Participant, ProgrammeRole
from tests.conftest import browser_login
from tests.factories import ProgrammeFactory, ProgrammeRoleFactory, UserFactory
from tests.feedback.conftest import MetricsBuilder
from tests.pairing.test_matching_service import make_cohort, person, run_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-Secret-123"

PEOPLE = [
    # name, offers, wants, seniority
    ("Amira", ["Python"], ["Negotiation"], 3),
    ("Bruno", ["Negotiation"], ["Python"], 8),
    ("Carla", ["Python"], ["Design"], 4),
    ("Dmitri", ["Design"], ["Python"], 7),
    ("Grace", ["Coaching"], ["Budgeting"], 5),
    ("Hiro", ["Budgeting"], ["Coaching"], 2),
    ("Elif", ["Public speaking"], ["SQL"], 6),  # only Femi offers what she wants,
    ("Femi", ["SQL"], ["Cooking"], 2),  # and nobody offers what he wants: a low match
]


def row_of(page, *names):
    rows = page.get_by_test_id("proposal-row")
    for name in names:
        rows = rows.filter(has_text=name)
    return rows


def test_admin_reviews_swaps_sees_the_quality_recomputed_and_publishes_a_low_match(
    page, live_server, screenshot
):
    cohort = make_cohort(name="Reciprocal 2026", skill_weight=10)
    cohort.admin.set_password(PASSWORD)
    cohort.admin.save()
    people = {
        name: person(cohort, name, offers=offers, wants=wants, seniority=level, last_name="Example")
        for name, offers, wants, level in PEOPLE
    }
    run_now(cohort)  # the engine's proposal: the four pairs it is optimal to form

    browser_login(page, cohort.admin.email, PASSWORD)
    page.goto(f"/pairing/cohorts/{cohort.pk}/")
    expect(page.get_by_test_id("proposal-row")).to_have_count(4)
    amira_bruno = row_of(page, "Amira", "Bruno")
    expect(amira_bruno.get_by_test_id("reasons")).to_have_text(
        "Both ways: Amira teaches Python, Bruno teaches Negotiation"
    )
    # Equal cover both ways: the lower id (Amira) mentors first, as publishing will set.
    expect(
        amira_bruno.locator("li", has_text="Amira").get_by_test_id("first-mentor")
    ).to_be_visible()
    low = row_of(page, "Elif", "Femi")
    expect(low.get_by_test_id("reasons")).to_have_text(
        "One way only: Femi offers SQL, which Elif wants"
    )
    expect(low.get_by_test_id("low-match")).to_be_visible()
    expect(low.locator("li", has_text="Femi").get_by_test_id("first-mentor")).to_be_visible()
    expect(page.get_by_test_id("run-quality")).to_have_text("As good as the best possible pairing")
    screenshot(page, "review-01-proposal-named-reasons-first-mentor-low-match")

    # Swap Bruno and Dmitri: the preview names the new partners.
    page.get_by_role("link", name="Swap two people").click()
    page.get_by_label("Person from the first pair").select_option(str(people["Bruno"].pk))
    page.get_by_label("Person from the second pair").select_option(str(people["Dmitri"].pk))
    page.get_by_test_id("preview-swap").click()
    expect(page.get_by_test_id("swap-reasons").first).to_contain_text(
        "One way only: Amira offers Python, which Dmitri wants"
    )
    screenshot(page, "review-02-swap-preview")
    page.get_by_test_id("confirm-swap").click()
    expect(page.get_by_text("Swapped Bruno Example and Dmitri Example")).to_be_visible()
    # 20 of the best 33.3: the figure is recomputed, and said in words.
    expect(page.get_by_test_id("run-quality")).to_have_text(
        "Within 40 % of the best possible pairing"
    )
    expect(page.get_by_test_id("quality-when")).to_contain_text("Recomputed after your last swap")
    page.get_by_text("How this is measured").click()
    expect(page.get_by_test_id("quality-detail")).to_contain_text("60.00 % of")
    screenshot(page, "review-03-quality-in-words-after-a-swap")

    # Lock the spoilt Amira–Dmitri pair: the figure now compares with the best pairing that
    # keeps it, in which Bruno and Carla are each other's best: as good as it gets. htmx
    # swaps the row and, out of band, the figure: no reload.
    row_of(page, "Amira", "Dmitri").get_by_test_id("lock-pair").click()
    expect(row_of(page, "Amira", "Dmitri").get_by_test_id("unlock-pair")).to_be_visible()
    expect(page.get_by_test_id("quality-when")).to_contain_text("Recomputed after your last lock")
    expect(page.get_by_test_id("run-quality")).to_have_text("As good as the best possible pairing")

    # The exclude confirmation names them too.
    row_of(page, "Elif", "Femi").get_by_test_id("exclude-pair").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Exclude this pair?")
    expect(page.get_by_text("One way only: Femi offers SQL, which Elif wants")).to_be_visible()
    screenshot(page, "review-03b-exclude-named-reasons")
    page.get_by_role("link", name="Cancel").click()

    # Publish: the confirmation lists the low match and who mentors first; the tick is needed.
    page.get_by_test_id("publish-pairs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish 4 pairs?")
    warning = page.get_by_test_id("low-matches")
    expect(warning).to_contain_text("below 40 %: review them or publish anyway")
    expect(warning).to_contain_text("Elif Example & Femi Example")
    expect(page.get_by_test_id("first-mentors").locator("tbody tr")).to_have_count(4)
    page.get_by_test_id("confirm-publish").click()
    expect(
        page.get_by_text("Tick this box to publish the pairs that match below 40 %")
    ).to_be_visible()
    assert not Pair.objects.filter(status=Pair.Status.PUBLISHED).exists()
    screenshot(page, "review-04-publish-confirmation-low-matches")
    page.get_by_test_id("publish-low-matches").check()
    page.get_by_test_id("confirm-publish").click()
    expect(page.get_by_text("Published 4 pairs")).to_be_visible()
    published = Pair.objects.get(members__participant=people["Femi"])
    assert published.status == Pair.Status.PUBLISHED
    assert published.first_mentor == people["Femi"]


def test_a_participant_self_describes_their_gender_from_the_short_list(
    page, live_server, screenshot
):
    cohort = make_cohort()
    ana = person(cohort, "Ana", last_name="Silva")
    ana.user.set_password(PASSWORD)
    ana.user.save()
    browser_login(page, ana.user.email, PASSWORD)
    page.goto(f"/programmes/my/{ana.pk}/profile/")
    group = page.get_by_role("group", name="About you (optional)")
    for label in ("Woman", "Man", "Non-binary", "Self-describe", "Prefer not to say"):
        expect(group.get_by_role("radio", name=label, exact=True)).to_be_visible()
    expect(group).to_contain_text("Self-describe and Prefer not to say count as not given")
    page.get_by_label("I agree to share my gender and birth year for this programme").check()
    group.get_by_role("radio", name="Self-describe", exact=True).check()
    page.get_by_label("If you self-describe: your words").fill("Genderfluid")
    screenshot(page, "review-05-profile-gender")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("heading", name="My programme")).to_be_visible()
    ana.refresh_from_db()
    assert (ana.gender, ana.gender_self_description) == ("self_describe", "Genderfluid")


@pytest.mark.worker
def test_recompute_now_shows_progress_then_the_fresh_figures(
    page, live_server, screenshot, request
):
    admin = UserFactory(email="health@example.com", first_name="Priya")
    admin.set_password(PASSWORD)
    admin.save()
    programme = ProgrammeFactory(slug="recompute", name="Recompute programme", created_by=admin)
    ProgrammeRoleFactory(programme=programme, user=admin, role=ProgrammeRole.Role.ADMIN)
    build = MetricsBuilder()
    for _ in range(3):
        pair = build.programme_pair(programme=programme)
        build.alternating(pair, 2)
    assert Participant.objects.count() == 6

    browser_login(page, admin.email, PASSWORD)
    page.goto("/feedback/programmes/recompute/pairs/")
    expect(page.get_by_test_id("summary-computed")).to_have_text("0")
    page.get_by_test_id("recompute-now").click()
    # No worker yet: the job waits, and the page says so (and polls).
    progress = page.get_by_test_id("recompute-progress")
    expect(progress).to_contain_text("Recompute queued — waiting for the background worker")
    expect(progress.get_by_role("link", name="Reload the page")).to_be_visible()
    screenshot(page, "review-06-pair-health-recompute-queued")
    # As a worker half-way would report it: the fragment, polled, moves on by itself.
    MetricsRecompute.objects.update(status=MetricsRecompute.Status.RUNNING, done=1)
    expect(progress).to_contain_text("Recomputing the metrics: 1 of 3 pairs done")
    expect(progress.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "33")
    screenshot(page, "review-06b-pair-health-recompute-running")

    request.getfixturevalue("celery_worker_process")  # the worker starts now
    # The fragment polls; once the job is done the page reloads with the figures.
    expect(page.get_by_test_id("summary-computed")).to_have_text("3", timeout=90_000)
    expect(progress).to_contain_text("Recomputed the metrics of 3 pairs")
    assert MetricsRecompute.objects.get().status == MetricsRecompute.Status.DONE
    screenshot(page, "review-07-pair-health-recompute-done")
