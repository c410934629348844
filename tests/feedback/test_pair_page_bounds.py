"""The pair page stays the same size however long the pair has run: it lists the next few
sessions, the latest turns and the oldest items awaiting the viewer, says how many there
are in all, and links to the full lists (the session list, the ledger "Awaiting you").

The counts it shows are promises: "12 items await your confirmation" must be what the
ledger's "Awaiting you" lists, for that viewer and no one else.
"""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.models import BenefitItem
from feedback.permissions import items_awaiting_answer_from, may_answer_item
from feedback.selectors.pair_page import STRIP_ON_PAIR_PAGE, UPCOMING_ON_PAIR_PAGE
from feedback.selectors.workspace import AWAITING_ITEMS_SHOWN
from pairing.models import MentoringSession, SessionRole
from pairing.services.sessions import session_log, session_schedule
from tests.factories import CohortFactory, ParticipantFactory, ProgrammeFactory, make_pair

pytestmark = pytest.mark.django_db

UPCOMING = UPCOMING_ON_PAIR_PAGE + 3
HELD = STRIP_ON_PAIR_PAGE + 4
AWAITING = AWAITING_ITEMS_SHOWN + 4


def _upcoming_rows(html: str) -> int:
    coming_up = html.split('<h3 class="h6">Coming up</h3>', 1)[1].split('id="past-sessions"', 1)[0]
    return coming_up.count('data-testid="session-row"')


def _client(participant) -> Client:
    client = Client()
    client.force_login(participant.user)
    return client


def _item(pair, *, by, giver, receiver, n: int) -> BenefitItem:
    return BenefitItem.objects.create(
        pair=pair,
        giver=giver,
        receiver=receiver,
        recorded_by=by,
        kind=BenefitItem.Kind.INTRODUCTION,
        description=f"Item number {n}",
        occurred_on=timezone.localdate() - dt.timedelta(days=n),
    )


def _long_pair(held: int = HELD, upcoming: int = UPCOMING, awaiting: int = AWAITING):
    cohort = CohortFactory(programme=ProgrammeFactory())
    a, b = ParticipantFactory(cohort=cohort), ParticipantFactory(cohort=cohort)
    pair = make_pair(a, b)
    now = timezone.now()
    for i in range(held):
        start = now - dt.timedelta(days=3 * (held - i) + 1)
        session = session_schedule(
            pair=pair, by=a, scheduled_start=start, now=start - dt.timedelta(days=1)
        )
        mentor, mentee = (a, b) if i % 2 == 0 else (b, a)
        session_log(
            session=session,
            by=a,
            status=MentoringSession.Status.HELD,
            actual_minutes=60,
            roles={mentor.pk: SessionRole.MENTOR, mentee.pk: SessionRole.MENTEE},
        )
    for i in range(upcoming):
        session_schedule(pair=pair, by=a, scheduled_start=now + dt.timedelta(days=7 * (i + 1)))
    # ``awaiting`` items for A to answer, half recorded by B as giver, half as receiver;
    # two that A recorded (B answers those) and one already confirmed.
    for n in range(awaiting):
        if n % 2:
            _item(pair, by=b, giver=b, receiver=a, n=n)
        else:
            _item(pair, by=b, giver=a, receiver=b, n=n)
    _item(pair, by=a, giver=b, receiver=a, n=90)
    _item(pair, by=a, giver=a, receiver=b, n=91)
    done = _item(pair, by=b, giver=b, receiver=a, n=92)
    BenefitItem.objects.filter(pk=done.pk).update(status=BenefitItem.Status.CONFIRMED)
    return pair, a, b


def test_the_pair_page_shows_the_next_few_and_says_how_many_there_are():
    pair, a, _ = _long_pair()
    html = _client(a).get(reverse("feedback:pair_detail", args=[pair.pk])).content.decode()
    assert _upcoming_rows(html) == UPCOMING_ON_PAIR_PAGE
    assert f"{UPCOMING} coming up · {HELD} past" in html
    assert f"The next {UPCOMING_ON_PAIR_PAGE} of {UPCOMING} are shown." in html
    assert f"All sessions ({UPCOMING + HELD})" in html
    # The strip draws the latest turns, and says the balance counts every held session.
    strip = re.search(r'data-testid="role-strip-text">(.*?)</ol>', html, re.S).group(1)
    assert strip.count("<li>") == STRIP_ON_PAIR_PAGE
    assert f"Session {HELD}," in strip and "Session 1," not in strip
    assert f"The latest {STRIP_ON_PAIR_PAGE} of {HELD} sessions" in html
    mentored = re.search(r'data-testid="turn-balance">(.*?)</p>', html, re.S).group(1)
    assert re.findall(r"<strong>(\d+)</strong>", mentored) == [str(HELD // 2), str(HELD // 2)]


def test_a_short_pair_gets_no_more_links():
    pair, a, _ = _long_pair(held=3, upcoming=2, awaiting=2)
    html = _client(a).get(reverse("feedback:pair_detail", args=[pair.pk])).content.decode()
    assert _upcoming_rows(html) == 2
    for absent in ('data-testid="upcoming-more"', 'data-testid="strip-more"', "awaiting-more"):
        assert absent not in html


def test_the_oldest_items_awaiting_the_viewer_are_shown_with_the_count_of_all():
    pair, a, b = _long_pair()
    html = _client(a).get(reverse("feedback:pair_detail", args=[pair.pk])).content.decode()
    assert f"{AWAITING} items await your confirmation" in html
    assert f"{AWAITING} to confirm" in html
    assert html.count('data-testid="confirm-item"') == AWAITING_ITEMS_SHOWN
    # Oldest first: the items were created in order 0, 1, 2...
    shown = [int(n) for n in re.findall(r"Item number (\d+)", html)]
    assert shown == list(range(AWAITING_ITEMS_SHOWN))
    link = reverse("feedback:ledger", args=[pair.pk]) + "?awaiting=me"
    assert f'href="{link}"' in html
    assert f"See all {AWAITING} awaiting you" in html
    # B is asked about the two A recorded, and sees none of A's.
    html_b = _client(b).get(reverse("feedback:pair_detail", args=[pair.pk])).content.decode()
    assert "2 items await your confirmation" in html_b
    assert html_b.count('data-testid="confirm-item"') == 2


def test_the_ledger_awaiting_filter_lists_exactly_what_the_pair_page_counted():
    pair, a, b = _long_pair()
    url = reverse("feedback:ledger", args=[pair.pk])
    html = _client(a).get(url + "?awaiting=me").content.decode()
    assert html.count('data-testid="ledger-item"') == AWAITING
    assert html.count('data-testid="confirm-item"') == AWAITING
    assert re.search(r"Awaiting you <span[^>]*>\s*" + str(AWAITING) + r"\s*</span>", html)
    assert "Item number 90" not in html and "Item number 92" not in html
    everything = _client(a).get(url).content.decode()
    assert everything.count('data-testid="ledger-item"') == AWAITING + 3
    html_b = _client(b).get(url + "?awaiting=me").content.decode()
    assert html_b.count('data-testid="ledger-item"') == 2
    assert set(re.findall(r"Item number (\d+)", html_b)) == {"90", "91"}


def test_nothing_awaiting_says_so_on_the_filter():
    pair, a, _ = _long_pair(held=1, upcoming=0, awaiting=0)
    html = _client(a).get(reverse("feedback:ledger", args=[pair.pk]) + "?awaiting=me")
    assert "Nothing awaits your confirmation." in html.content.decode()


def test_the_sql_filter_answers_as_the_permission_does():
    pair, a, b = _long_pair(held=0, upcoming=0, awaiting=6)
    for me in (a, b):
        by_sql = set(
            BenefitItem.objects.filter(items_awaiting_answer_from(me)).values_list("pk", flat=True)
        )
        by_rule = {
            i.pk
            for i in BenefitItem.objects.filter(status=BenefitItem.Status.PENDING)
            if may_answer_item(item=i, me=me)
        }
        assert by_sql == by_rule and by_sql


def test_the_page_costs_the_same_queries_for_a_short_and_a_long_pair():
    counts = []
    for held, upcoming, awaiting in ((1, 1, 1), (HELD, UPCOMING, AWAITING)):
        pair, a, _ = _long_pair(held=held, upcoming=upcoming, awaiting=awaiting)
        client = _client(a)
        client.get("/")
        url = reverse("feedback:pair_detail", args=[pair.pk])
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
