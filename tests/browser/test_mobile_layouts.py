"""The wide pages on a phone (390 × 844) and on a desktop (1280 × 800), in Chromium.

On a phone nothing scrolls sideways, neither the page nor a table inside it (the cohort
table, pair health and the proposal review become stacked rows), and what each page is
for is visible. The pair page folds into sections: a closed one opens from its summary,
from the page's contents and from a deep link. Screenshots of each page at both widths go
to test-artifacts/mobile-*.png for a human look.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from feedback.models import Ask
from feedback.services.metrics import metrics_compute
from pairing.models import MentoringSession
from programmes.models import Programme, ProgrammeRole
from tests.conftest import ARTIFACTS, browser_login
from tests.factories import (
    CohortFactory,
    ParticipantFactory,
    ProgrammeFactory,
    ProgrammeRoleFactory,
    UserFactory,
    make_pair,
)
from tests.feedback.conftest import MetricsBuilder
from tests.pairing.test_matching_service import make_cohort, person, run_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-Secret-123"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

# Everything that scrolls sideways: the page itself, or any box inside it that would need
# a sideways swipe (a .table-responsive wrapper hides a wide table's overflow in itself).
SIDEWAYS = """() => {
    const doc = document.documentElement;
    const boxes = [...document.querySelectorAll('body *')].filter((el) => {
        const style = getComputedStyle(el);
        if (!['auto', 'scroll'].includes(style.overflowX)) return false;
        if (el.closest('.visually-hidden')) return false;
        return el.scrollWidth > el.clientWidth + 1;
    });
    return {
        page: doc.scrollWidth > window.innerWidth,
        boxes: boxes.map((el) => el.tagName + '.' + [...el.classList].join('.')),
    };
}"""


@pytest.fixture
def wide_pages():
    """A programme with pairs of every kind, a cohort to review, and Ana's busy pair."""
    build = MetricsBuilder()
    admin = UserFactory(email="priya@example.com", first_name="Priya", last_name="Natarajan")
    programme = ProgrammeFactory(
        name="Reverse mentoring 2026",
        slug="reverse-2026",
        created_by=admin,
        kind=Programme.Kind.REVERSE,
    )
    ProgrammeRoleFactory(programme=programme, user=admin, role=ProgrammeRole.Role.ADMIN)
    cohort = CohortFactory(programme=programme, name="Spring intake")

    def member(first: str, last: str, **fields):
        user = UserFactory(email=f"{first.lower()}@example.com", first_name=first, last_name=last)
        return ParticipantFactory(cohort=cohort, user=user, **fields)

    published = timezone.now() - dt.timedelta(days=80)
    ben = member(
        "Ben", "Carter-Wolstenholme", department="Finance and procurement", job_title="Director"
    )
    ana = member("Ana", "Silva", seniority=2, job_title="Graduate data analyst")
    pair = make_pair(ben, ana, published_at=published)
    build.alternating(pair, 7)
    MentoringSession.objects.create(
        pair=pair,
        scheduled_start=timezone.now() + dt.timedelta(days=5),
        planned_minutes=60,
        place="https://meet.example.com/a-very-long-meeting-room-address-that-could-overflow",
    )
    for _ in range(3):
        build.item(pair, ana, ben)
    build.item(pair, ben, ana, status="pending")
    build.goal(pair, ana, 40)
    build.goal(pair, ben, 70)
    Ask.objects.create(pair=pair, asked_by=ana, kind=Ask.Kind.HELP_ME)
    for first, last in (("Chloe", "Dubois"), ("Dev", "Patel")):
        member(first, last)
    even = make_pair(
        member("Emma", "Johansson-Lindqvist"), member("Farid", "Haddad"), published_at=published
    )
    build.alternating(even, 4)
    make_pair(member("Gita", "Rao"), member("Hugo", "Lefèvre"), published_at=published)
    metrics_compute()

    review = make_cohort(name="Reciprocal 2026 review", skill_weight=10)
    ProgrammeRoleFactory(programme=review.programme, user=admin, role=ProgrammeRole.Role.ADMIN)
    for name, offers, wants, level in (
        ("Amira", ["Python"], ["Negotiation"], 3),
        ("Bruno", ["Negotiation"], ["Python"], 8),
        ("Carla", ["Python", "Data visualisation"], ["Design"], 4),
        ("Dmitri", ["Design"], ["Python", "Data visualisation"], 7),
        ("Elif", ["Public speaking"], ["SQL"], 6),
        ("Femi", ["SQL"], ["Cooking"], 2),
    ):
        person(review, name, offers=offers, wants=wants, seniority=level, last_name="Example")
    run_now(review)
    return {
        "cohort": f"/programmes/cohorts/{cohort.pk}/",
        "health": f"/feedback/programmes/{programme.slug}/pairs/",
        "review": f"/pairing/cohorts/{review.pk}/",
        "pair": f"/pairing/pairs/{pair.pk}/",
        "pair_id": pair.pk,
    }


def _pages(page, urls):
    """(name, url, what must show) for each wide page; signs in as whoever sees it."""
    return [
        ("cohort", urls["cohort"], page.locator(".participant-table tbody tr").first),
        ("health", urls["health"], page.get_by_test_id(f"pair-row-{urls['pair_id']}")),
        ("review", urls["review"], page.get_by_test_id("proposal-row").first),
    ]


def _no_sideways_scroll(page, name):
    found = page.evaluate(SIDEWAYS)
    assert found == {"page": False, "boxes": []}, f"{name} scrolls sideways: {found}"


@pytest.mark.parametrize(("size", "label"), [(PHONE, "390"), (DESKTOP, "1280")])
def test_admin_pages_fit_the_screen(page, screenshot, wide_pages, size, label):
    browser_login(page, "priya@example.com", PASSWORD)  # wide: the menu is not folded yet
    page.set_viewport_size(size)
    for name, url, key in _pages(page, wide_pages):
        page.goto(url)
        expect(key).to_be_visible()
        _no_sideways_scroll(page, name)
        screenshot(page, f"mobile-{name}-{label}")
    # On the phone the rows are stacked: a row's cells sit one under the other.
    if size is PHONE:
        page.goto(wide_pages["health"])
        row = page.get_by_test_id(f"pair-row-{wide_pages['pair_id']}")
        cells = row.locator("td")
        first, second = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
        assert second["y"] >= first["y"] + first["height"] - 1


@pytest.mark.parametrize(("size", "label"), [(PHONE, "390"), (DESKTOP, "1280")])
def test_the_pair_page_fits_the_screen(page, screenshot, wide_pages, size, label):
    browser_login(page, "ana@example.com", PASSWORD)
    page.set_viewport_size(size)
    page.goto(wide_pages["pair"])
    expect(page.get_by_test_id("turn-headline")).to_be_visible()
    expect(page.get_by_test_id("next-session-time")).to_be_visible()
    expect(page.get_by_test_id("awaiting-me")).to_be_visible()
    goals = page.get_by_test_id("section-goals")
    if size is PHONE:  # folded on a phone, open on a desktop
        expect(goals).not_to_have_attribute("open", "")
    else:
        expect(goals).to_have_attribute("open", "")
        expect(goals.get_by_test_id("side-card")).to_have_count(2)
    _no_sideways_scroll(page, "pair")
    screenshot(page, f"mobile-pair-{label}")


def test_the_pair_page_folds_and_deep_links_open_its_sections(page, screenshot, wide_pages):
    browser_login(page, "ana@example.com", PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(wide_pages["pair"])

    # What the pair acts on next is open; history is closed, with its count in the summary;
    # on a phone the people and goals, the role history and asks awaiting nobody fold too.
    for open_section in ("whose-turn", "section-sessions", "ledger-summary"):
        expect(page.get_by_test_id(open_section)).to_have_attribute("open", "")
    for folded in ("section-goals", "role-history", "asks"):
        expect(page.get_by_test_id(folded)).not_to_have_attribute("open", "")
    expect(page.get_by_test_id("section-goals").locator("summary")).to_contain_text("2 goals")
    # What a phone shows first, at its real size (the full-page shots are scaled down).
    page.screenshot(path=ARTIFACTS / "mobile-pair-390-first-screen.png", animations="disabled")
    past = page.get_by_test_id("section-past-sessions")
    expect(past).not_to_have_attribute("open", "")
    expect(past.locator("summary")).to_contain_text("latest 5 of 7")
    expect(past.get_by_test_id("session-row").first).to_be_hidden()
    balance = page.get_by_test_id("pair-balance")
    expect(balance.get_by_test_id("pair-balance-sentence")).to_be_visible()  # in the summary
    expect(balance.locator("canvas").first).to_be_hidden()

    # A click on the summary opens it (and the keyboard: Enter on the focused summary).
    past.locator("summary").click()
    expect(past.get_by_test_id("session-row")).to_have_count(5)
    expect(past.get_by_test_id("session-row").first).to_be_visible()
    past.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(past.get_by_test_id("session-row").first).to_be_hidden()

    # The page's contents open the section they point to, and the charts draw at full size.
    page.get_by_test_id("pair-toc").get_by_role("link", name="Balance").click()
    expect(balance).to_have_attribute("open", "")
    expect(balance.locator("canvas").first).to_be_in_viewport()
    page.wait_for_function(
        "() => Chart.getChart('pair-balance-hours') && Chart.getChart('pair-balance-hours').width > 100"
    )
    _no_sideways_scroll(page, "pair, balance open")
    screenshot(page, "mobile-pair-390-balance-open")

    # A deep link (a bookmark, an email) into a closed section opens it on arrival.
    page.goto(wide_pages["pair"] + "#past-sessions")
    expect(past).to_have_attribute("open", "")
    expect(past.get_by_test_id("session-row").first).to_be_in_viewport()
    page.goto(wide_pages["pair"] + "#goals")  # folded on a phone, but the link opens it
    expect(page.get_by_test_id("section-goals")).to_have_attribute("open", "")
    expect(page.get_by_test_id("side-card").first).to_be_in_viewport()
    page.goto(wide_pages["pair"] + "#ending")
    ending = page.get_by_test_id("section-ending")
    expect(ending).to_have_attribute("open", "")
    expect(ending.get_by_role("link", name="Complete with a retrospective")).to_be_visible()
    screenshot(page, "mobile-pair-390-deep-link-ending")

    # Confirming an item comes back to the ledger section, open, at the top of the window.
    page.goto(wide_pages["pair"])
    page.get_by_test_id("awaiting-me").get_by_test_id("confirm-item").click()
    expect(page).to_have_url(f"{page.url.split('/pairing/')[0]}{wide_pages['pair']}#ledger")
    ledger = page.get_by_test_id("ledger-summary")
    expect(ledger).to_have_attribute("open", "")
    expect(ledger.locator("summary")).to_be_in_viewport()
