"""The pair page folds into sections (Step 8, accessibility: the 5,000-px pair page).

What the pair acts on next starts open (whose turn, the next session, the goals, asks,
the ledger); history starts closed with a count in its summary (past sessions, the
balance's charts, ending). Every entry of the page's contents points to a section on the
page, and the links that come back to a section (#asks, #ledger) still name one. The
browser side (a hash opens its section) is tests/browser/test_mobile_layouts.py.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import BenefitItem
from feedback.services.ledger import benefit_item_record
from pairing.models import Pair
from tests.pairing.test_sessions import _pair_with_sessions

pytestmark = pytest.mark.django_db

DETAILS = re.compile(r'<details\b([^>]*\bclass="[^"]*pair-section[^"]*"[^>]*)>')


def _sections(html: str) -> dict[str, bool]:
    """Each <details> section's id -> whether it starts open."""
    found = {}
    for attributes in DETAILS.findall(html):
        ident = re.search(r'\bid="([^"]+)"', attributes)
        assert ident, f"a section without an id cannot be linked to: {attributes}"
        found[ident.group(1)] = bool(re.search(r"\sopen(\s|$|=)", attributes))
    return found


@pytest.fixture
def busy_pair():
    pair, client = _pair_with_sessions(7)
    a, b = (m.participant for m in pair.members.select_related("participant").order_by("position"))
    benefit_item_record(
        pair=pair,
        by=b,
        giver=a,
        receiver=b,
        kind=BenefitItem.Kind.RESOURCE,
        description="Shared a reading list",
        occurred_on=timezone.localdate(),
    )
    return pair, client


def test_next_steps_start_open_and_history_closed_with_a_count(busy_pair):
    pair, client = busy_pair
    html = client.get(reverse("feedback:pair_detail", args=[pair.pk])).content.decode()
    assert _sections(html) == {
        "goals": True,
        "turn": True,
        "history": True,
        "sessions": True,
        "past-sessions": False,
        "ledger": True,
        "balance": False,
        "ending": False,
    }
    past = html.split('id="past-sessions"')[1].split("</summary>")[0]
    assert "latest 5 of 7" in past
    assert "1 coming up · 7 past" in html


def test_the_contents_point_to_sections_on_the_page(busy_pair):
    pair, client = busy_pair
    html = client.get(reverse("feedback:pair_detail", args=[pair.pk])).content.decode()
    toc = html.split('data-testid="pair-toc"')[1].split("</nav>")[0]
    targets = re.findall(r'href="#([^"]+)"', toc)
    assert targets == ["turn", "goals", "sessions", "ledger", "balance", "ending"]
    for target in targets:
        assert f'id="{target}"' in html
    # The script that opens a linked section is a file, with the page's nonce (CSP).
    assert re.search(r'<script src="/static/js/pair-sections[^"]*\.js" nonce="[^"]+">', html)


def test_confirming_an_item_comes_back_to_the_ledger_section(busy_pair):
    pair, client = busy_pair
    url = reverse("feedback:pair_detail", args=[pair.pk])
    html = client.get(url).content.decode()
    assert f'name="next" value="{url}#ledger"' in html
    item = BenefitItem.objects.get(pair=pair)
    response = client.post(
        reverse("feedback:ledger_confirm", args=[item.pk]), {"next": f"{url}#ledger"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"{url}#ledger"


def test_a_finished_pair_opens_its_ending(busy_pair):
    pair, client = busy_pair
    Pair.objects.filter(pk=pair.pk).update(status=Pair.Status.COMPLETED, ended_at=timezone.now())
    html = client.get(reverse("feedback:pair_detail", args=[pair.pk])).content.decode()
    sections = _sections(html)
    assert sections["ending"] is True
    assert sections["ledger"] is True  # an item still awaits the viewer's confirmation
