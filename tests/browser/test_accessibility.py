"""WCAG 2.1 AA on every page each demo role reaches, in a real Chromium.

The demo organisation (``seed_demo``) is built once for the module: seeding takes longer
than the whole crawl of one role. Each role then signs in and follows every same-origin
link from its home page (navigation and page content), one page per URL pattern, and every
page must pass tests/a11y.py: axe-core's WCAG 2.1 A/AA rules with no serious or critical
violation, a ``lang`` and a title, one h1, heading levels that never skip, and no sideways
scrolling at 390 px. A link to a page that answers 403, 404 or 500 fails as well.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve
from django.utils import timezone
from playwright.sync_api import expect

from tests.a11y import accessibility_problems, assert_accessible, contrast_ratio, crawl
from tests.conftest import ARTIFACTS, browser_login

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "demo-pass-2026"

# Not pages: sign-out (it would end the crawl), files (CSV, calendars, recovery codes),
# the Django admin and the health probe.
NOT_PAGES = {
    "account_logout",
    "healthz",
    "mfa_download_recovery_codes",
    "programmes:cohort_export",
    "programmes:import_template",
    "programmes:import_skipped",
    "pairing:session_ics",
    "pairing:calendar_feed",
}
FILES = (".csv", ".ics", ".txt", ".json", ".pdf", ".zip")
# The account pages (allauth's, the same for everyone) are crawled once, as the participant.
ACCOUNT_PAGES = re.compile(r"^(account_|mfa_|profile$|notifications:)")


def page_pattern(path: str, *, with_account_pages: bool) -> str | None:
    """The URL pattern a path shows (the crawl visits one page per pattern), or None."""
    if path.endswith(FILES):
        return None
    try:
        name = resolve(path).view_name
    except Resolver404:
        return None
    if name in NOT_PAGES or name.startswith("admin:"):
        return None
    if ACCOUNT_PAGES.match(name) and not with_account_pages:
        return None
    return name


def _demo_seed(base_url: str) -> dict[str, str]:
    """Seed the demo; returns the secret links an anonymous visitor arrives with."""
    from mentoring.models import User
    from programmes.models import Cohort, NominationLink, ProgrammeRole
    from programmes.services.applications import nomination_url
    from programmes.services.participants import participant_invite
    from programmes.services.staff_invitations import staff_invite
    from tests.tokens import token_issue_for

    call_command("seed_demo", stdout=io.StringIO())
    admin = User.objects.get(email="admin@demo.example")
    programme = ProgrammeRole.objects.get(user=admin, role=ProgrammeRole.Role.ADMIN).programme
    invited = participant_invite(
        cohort=Cohort.objects.filter(programme=programme).order_by("pk").first(),
        by=admin,
        base_url=base_url,
        email="new.colleague@demo.example",
        first_name="Nour",
        last_name="Haddad",
        notify=False,
    )
    invitation_token = token_issue_for(invited.invitation)
    staff = staff_invite(
        programme=programme,
        by=admin,
        email="new.viewer@demo.example",
        role=ProgrammeRole.Role.HR,
        base_url=base_url,
    )
    staff_token = token_issue_for(staff)
    for row in (invited.invitation, staff):  # as if their emails had gone out
        type(row).objects.filter(pk=row.pk).update(sent_at=timezone.now())
    link = NominationLink.objects.get(programme=programme, cohort=None)
    return {
        "invitation": f"/programmes/invitations/{invitation_token}/",
        "staff_invitation": f"/programmes/staff-invitations/{staff_token}/",
        "apply": nomination_url(link=link, base_url=""),
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, live_server):
    """The demo organisation for the whole module, flushed at its end (or on a failure)."""
    try:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)  # after an interrupted run
            links = _demo_seed(live_server.url)
        yield links
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def transactional_db(demo, django_db_blocker):
    """The browser tests here read the module's demo data and write nothing that matters:
    the live server may use the database, but nothing is flushed between the roles (the
    module's fixture flushes once at the end)."""
    with django_db_blocker.unblock():
        yield


ROLES = {
    # role: (login, the crawl's first pages besides home, whether it visits account pages)
    "programme-admin": ("admin@demo.example", [], False),
    "participant": ("ana@demo.example", [], True),
    "hr-viewer": ("hr@demo.example", [], False),
    "anonymous": (
        None,
        ["/accounts/login/", "/accounts/signup/", "invitation", "staff_invitation", "apply"],
        True,
    ),
}


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_the_role_reaches_passes_axe_and_the_structure_checks(
    page, live_server, demo, role
):
    email, start, with_account_pages = ROLES[role]
    if email:
        browser_login(page, email, DEMO_PASSWORD)
    start = ["/"] + [demo.get(item, item) for item in start]
    result = crawl(
        page,
        base_url=live_server.url,
        start=start,
        pattern_of=lambda path: page_pattern(path, with_account_pages=with_account_pages),
        limit=60,
    )
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"a11y-pages-{role}.txt").write_text("\n".join(result.visited) + "\n")
    assert len(result.visited) >= {"anonymous": 5, "hr-viewer": 2}.get(role, 10), result.visited
    assert not result.problems, (
        f"{len(result.problems)} of {len(result.visited)} pages fail as {role}:\n" + result.report()
    )


def _demo_cohort_id() -> int:
    from programmes.models import Cohort

    return (
        Cohort.objects.filter(programme__roles__user__email="admin@demo.example")
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def test_the_error_summary_takes_the_focus_and_each_link_leads_to_its_field(
    page, live_server, demo, screenshot
):
    """A bad submit of a long form: the summary is focused (a screen reader reads it first),
    its link moves the focus into the field, and the page with errors passes axe too."""
    browser_login(page, "admin@demo.example", DEMO_PASSWORD)
    page.goto(f"/programmes/cohorts/{_demo_cohort_id()}/import/")
    page.get_by_role("button", name="Upload and check").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    link = summary.get_by_role("link")
    expect(link).to_have_attribute("href", "#id_file")
    assert_accessible(page)
    screenshot(page, "a11y-01-error-summary-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "a11y-02-error-summary-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    link.click()
    expect(page.locator("#id_file")).to_be_focused()


def test_keyboard_focus_on_a_navy_button_is_outlined_at_3_to_1(page, live_server, demo):
    browser_login(page, "admin@demo.example", DEMO_PASSWORD)
    page.goto(f"/programmes/cohorts/{_demo_cohort_id()}/import/")
    page.get_by_label("Update people already in this cohort").focus()
    page.keyboard.press("Tab")
    button = page.get_by_role("button", name="Upload and check")
    expect(button).to_be_focused()
    outline = button.evaluate(
        "(el) => { const s = getComputedStyle(el);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; }"
    )
    style, width, colour = outline
    assert style == "solid" and width >= 2, outline
    # The outline against the white page around the button (WCAG 1.4.11: at least 3:1).
    assert contrast_ratio(colour, "rgb(255, 255, 255)") >= 3, colour


def test_the_checker_itself_reports_what_it_should(page, live_server, demo):
    """tests/a11y.py fails a page for each kind of problem it promises to catch."""
    page.set_content(
        "<!DOCTYPE html><html><head><title> </title></head><body><main>"
        "<h1>One</h1><h3>Jumped</h3><h1>Two</h1>"
        '<p style="color:#aaa;background:#fff">Pale text</p>'
        '<button type="button" aria-label="Delete">Remove</button>'
        '<div style="width:600px">Wide</div>'
        "</main></body></html>"
    )
    problems = "\n".join(accessibility_problems(page))
    for expected in (
        "color-contrast",
        "label-content-name-mismatch",
        "<html> has no lang attribute",
        "the page has no <title>",
        "2 visible <h1> elements",
        "heading level jumps from h1 to h3",
        "scrolls sideways at 390 px",
    ):
        assert expected in problems, (expected, problems)
