"""The Outcome data page (admins and HR viewers) follows the HR pages' rule: a count of
fewer than five people reads "fewer than 5" (README "Outcomes and the HR dashboard")."""

import datetime as dt

import pytest
from django.urls import reverse

from feedback.models import OutcomeEvent

pytestmark = pytest.mark.django_db


def _events(participant, kind: str, n: int) -> None:
    for day in range(n):
        OutcomeEvent.objects.create(
            participant=participant, kind=kind, occurred_on=dt.date(2026, 3, 1 + day)
        )


def _dd_after(html: str, label: str) -> str:
    start = html.index(f">{label}</dt>")
    cell = html[html.index("<dd", start) :]
    return cell[cell.index(">") + 1 : cell.index("</dd>")].strip()


@pytest.mark.parametrize("actor", ["hr", "admin"])
def test_four_is_fewer_than_five_and_five_is_shown(world, actor):
    _events(world.member, OutcomeEvent.Kind.PROMOTION, 4)
    _events(world.partner, OutcomeEvent.Kind.ROLE_CHANGE, 5)
    url = reverse("feedback:outcomes_home", kwargs={"slug": world.programme.slug})
    response = world.client_for(actor).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert _dd_after(html, "Promotion") == "fewer than 5"
    assert _dd_after(html, "Role change") == "5"
    # No kind of event is shown as 0-4 and no total from which a hidden count follows.
    assert _dd_after(html, "Left the organisation") == "fewer than 5"
    assert "Total" not in html.split('id="events-heading"')[1].split("</section>")[0]
