"""The balance card never puts hours and item counts on one axis: one small chart for hours
as mentor and mentee, one for confirmed items received; every figure also in a table and
in each chart's accessible name."""

import re
from html import unescape

import pytest
from django.template.loader import render_to_string

from feedback.selectors.balance import pair_balance
from feedback.services.metrics import metrics_compute
from pairing.models import SessionRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def balanced(build):
    """Side A mentored 90 + 60 minutes, side B 45; B received three items, A one."""
    pair = build.programme_pair()
    a, b = build.sides(pair)
    for mentor, mentee, minutes in [(a, b, 90), (b, a, 45), (a, b, 60)]:
        build.session(
            pair, {mentor: SessionRole.MENTOR, mentee: SessionRole.MENTEE}, minutes=minutes
        )
    build.item(pair, b, a)
    for _ in range(3):
        build.item(pair, a, b)
    metrics_compute()
    return pair, a, b


def test_the_balance_has_hours_and_items_apart(balanced):
    pair, a, b = balanced
    balance = pair_balance(pair=pair, viewer=a)
    mine, theirs = balance["rows"]
    assert (mine["hours_as_mentor"], mine["hours_as_mentee"], mine["items_received"]) == (
        2.5,
        0.8,
        1,
    )
    assert (theirs["hours_as_mentor"], theirs["hours_as_mentee"], theirs["items_received"]) == (
        0.8,
        2.5,
        3,
    )
    name = b.first_name
    assert balance["hours_label"] == (
        "Hours as mentor and as mentee: You 2.5 hours as mentor, 0.8 hours as mentee; "
        f"{name} 0.8 hours as mentor, 2.5 hours as mentee"
    )
    assert balance["items_label"] == f"Confirmed items received: You 1; {name} 3"


def test_the_card_draws_two_charts_each_named_in_words_and_a_table_of_every_figure(balanced):
    pair, a, b = balanced
    balance = pair_balance(pair=pair, viewer=a)
    html = unescape(render_to_string("feedback/_pair_balance.html", {"balance": balance}))
    canvases = dict(re.findall(r'<canvas id="([^"]+)" role="img" aria-label="([^"]+)"', html))
    assert set(canvases) == {"pair-balance-hours", "pair-balance-items"}
    assert canvases["pair-balance-hours"] == f"Bar chart. {balance['hours_label']}."
    assert canvases["pair-balance-items"] == f"Bar chart. {balance['items_label']}."
    # Each chart has its own heading; the sentence stays.
    assert ">Hours as mentor and as mentee</h3>" in html
    assert ">Confirmed items received</h3>" in html
    assert "You have mentored 2 of 3 sessions; you received 1 confirmed item" in html
    table = html.split('data-testid="pair-balance-table"', 1)[1].split("</table>", 1)[0]
    cells = [re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row) for row in table.split("<tr>")[1:]]
    assert cells == [
        ["Person", "Hours as mentor", "Hours as mentee", "Confirmed items received"],
        ["You", "2.5", "0.8", "1"],
        [b.first_name, "0.8", "2.5", "3"],
    ]
