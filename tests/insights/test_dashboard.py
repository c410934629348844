"""The HR dashboard through the page and its CSVs, against hand-computed answers.

See ``conftest.build_hr_programme`` for the fixture's people and figures.
"""

import csv
import io
import re

import pytest
from django.urls import reverse

from insights.aggregates import SUPPRESSED_TEXT
from insights.models import CohortMonth, DashboardRefresh, PairFact
from insights.services import dashboard_refresh
from programmes.models import Participant
from tests.factories import ParticipantFactory

from .conftest import NAME, SECRET, SURNAME, build_hr_programme

pytestmark = pytest.mark.django_db

CHART_KEYS = [
    "funnel",
    "match_rate",
    "first_session",
    "sessions_over_time",
    "cadence",
    "role_balance",
    "reciprocity",
    "flags",
    "benefit",
    "items",
    "ratings_gender",
    "ratings_side",
    "survey_change",
    "retention",
    "promotion",
]


def _page(client, hp, **params):
    client.force_login(hp.hr)
    response = client.get(reverse("insights:dashboard", args=[hp.programme.slug]), params)
    assert response.status_code == 200
    return response.content.decode()


def _csv(client, hp, key, **params):
    client.force_login(hp.hr)
    url = reverse("insights:chart_csv", args=[hp.programme.slug, key])
    response = client.get(url, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def _table(html: str, key: str) -> dict[str, list[str]]:
    """A chart's <table> as {row label: [cell texts]} (header row under "")."""
    block = html.split(f'data-testid="table-{key}"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", block, flags=re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        ]
        rows["" if '<th scope="col"' in row else cells[0]] = (
            cells[1:] if '<th scope="col"' not in row else cells
        )
    return rows


def test_every_chart_has_heading_reading_table_and_csv(client, hr_programme):
    html = _page(client, hr_programme)
    for key in CHART_KEYS:
        assert f'id="chart-{key}-title"' in html, key
        assert f'data-testid="reading-{key}"' in html, key
        assert f'data-testid="table-{key}"' in html, key
        assert reverse("insights:chart_csv", args=[hr_programme.programme.slug, key]) in html
    assert 'id="insights-chart-data"' in html  # json_script, no inline script
    assert "<script>" not in html


def test_funnel_through_the_page(client, hr_programme):
    html = _page(client, hr_programme)
    table = _table(html, "funnel")
    assert table["Invited"] == ["14"]
    assert table["Enrolled"] == ["12"]
    assert table["Paired"] == ["12"]
    assert table["In a live pair"] == ["8"]
    assert table["Active (met within the cadence)"] == ["8"]
    assert table["Completed"] == [SUPPRESSED_TEXT]  # 2 people
    assert table["Ended early"] == [SUPPRESSED_TEXT]  # 2 people
    # 12 of 12 enrolled paired: 100 %, Wilson (76–100 %).
    assert "Match rate: 100 % of enrolled people were paired (95 % interval 76–100 %)." in html


def test_timing_from_the_stored_summary(client, hr_programme):
    facts = PairFact.objects.filter(programme=hr_programme.programme)
    assert facts.count() == 6
    assert sorted(
        f.days_to_first_session for f in facts if f.days_to_first_session is not None
    ) == [5, 5, 5, 5, 10]
    table = _table(_page(client, hr_programme), "first_session")
    assert table["Within 7 days"] == ["4"]  # 8 people
    assert table["8–14 days"] == [SUPPRESSED_TEXT]  # 1 pair, 2 people
    assert table["No session yet"] == [SUPPRESSED_TEXT]
    assert table["All pairs"] == ["6"]


def test_flags_and_reciprocity(client, hr_programme):
    html = _page(client, hr_programme)
    flags = _table(html, "flags")
    assert flags["Lopsided"] == [SUPPRESSED_TEXT, SUPPRESSED_TEXT]  # 2 pairs, 4 people
    assert flags["Stalled"] == [SUPPRESSED_TEXT, SUPPRESSED_TEXT]
    assert flags["All pairs with metrics"][0] == "6"
    reciprocity = _table(html, "reciprocity")
    assert reciprocity["0.4–0.6"] == ["6"]
    assert "Median 0.50 (1 = both sides benefit equally)." in html


def test_per_side_benefit_junior_vs_senior(client, hr_programme):
    html = _page(client, hr_programme, breakdown="seniority")
    table = _table(html, "benefit")
    header = _table(html, "benefit")[""]
    assert header[:3] == ["Side (by seniority)", "People", "Benefit score (0–1)"]
    assert table["Junior side"][:2] == ["6", "0.30"]
    assert table["Senior side"][:2] == ["6", "0.70"]
    assert table["All sides"][:2] == ["12", "0.50"]
    items = _table(html, "items")
    assert items["Junior side"][1] == "1.0"  # one introduction per junior side
    assert items["Senior side"][1] == "0.0"


def test_ratings_received_by_gender_hide_the_group_the_total_would_give_back(client, hr_programme):
    html = _page(client, hr_programme)
    table = _table(html, "ratings_gender")
    # Men 6 (4.0) shown; the one person without consent is hidden, and so are the 5 women,
    # else 12 − 6 − 5 would give the hidden one back.
    assert table["Men"][:2] == ["6", "4.0"]
    assert table["Not given or no consent"] == [SUPPRESSED_TEXT] * 4
    assert table["Women"] == [SUPPRESSED_TEXT] * 4
    assert table["All sides"][0] == "12"


def test_subtraction_attack_on_departments_page_and_csv(client, hr_programme):
    """Engineering 6, Finance 5, Legal 1: Legal is hidden, and Finance with it."""
    html = _page(client, hr_programme, breakdown="department")
    table = _table(html, "benefit")
    assert table["Engineering"][0] == "6"
    assert table["Legal"][0] == SUPPRESSED_TEXT
    assert table["Finance"][0] == SUPPRESSED_TEXT
    assert table["All sides"][0] == "12"
    rows = _csv(client, hr_programme, "benefit", breakdown="department")
    assert rows[0][:2] == ["Department", "People"]
    by_label = {row[0]: row[1:] for row in rows[1:]}
    assert by_label["Legal"][0] == SUPPRESSED_TEXT
    assert by_label["Finance"][0] == SUPPRESSED_TEXT
    # The attack: total minus every visible group. It gives 6 (Finance + Legal), not 1.
    visible = [
        int(v[0]) for label, v in by_label.items() if label != "All sides" and v[0].isdigit()
    ]
    assert int(by_label["All sides"][0]) - sum(visible) == 6
    for column in range(len(rows[0]) - 1):
        hidden = [label for label, v in by_label.items() if v[column] == SUPPRESSED_TEXT]
        assert len(hidden) != 1, (rows[0][column + 1], hidden)


def test_the_csv_is_exactly_the_table_shown(client, hr_programme):
    html = _page(client, hr_programme)
    for key in CHART_KEYS:
        table = _table(html, key)
        rows = _csv(client, hr_programme, key)
        assert rows[0] == table[""], key
        assert {row[0]: row[1:] for row in rows[1:]} == {k: v for k, v in table.items() if k}, key


def test_survey_change_by_side(client, hr_programme):
    table = _table(_page(client, hr_programme), "survey_change")
    header = table[""]
    valued = header.index("Feeling valued (change)") - 1
    assert table["Junior side"][valued] == "2.0"
    assert table["Senior side"][valued] == "0.0"
    assert table["All sides"][valued] == "1.0"


def test_retention_and_promotion_against_the_comparison_group(client, hr_programme):
    html = _page(client, hr_programme)
    retention = _table(html, "retention")
    # 11 of 12 stayed: 92 % (65–99 %); organisation 900 of 1,000: 90 % (88–92 %).
    assert retention["Participants"] == ["12", "92 % (65–99 %)"]
    assert retention["Comparison group (organisation)"] == ["1000", "90 % (88–92 %)"]
    assert "Too few people to tell a difference in retention" in html
    promotion = _table(html, "promotion")
    # 1 of 12 promoted: 8 % (1–35 %); organisation 50 of 1,000: 5 % (4–7 %).
    assert promotion["Participants"] == ["12", "8 % (1–35 %)"]
    assert promotion["Comparison group (organisation)"] == ["1000", "5 % (4–7 %)"]


def test_no_name_email_note_or_free_text_reaches_an_hr_page_or_export(client, hr_programme):
    pages = [
        _page(client, hr_programme),
        _page(client, hr_programme, breakdown="department"),
        _page(client, hr_programme, breakdown="gender"),
        client.get(reverse("insights:index")).content.decode(),
    ]
    for key in CHART_KEYS:
        for breakdown in ("seniority", "gender", "department", "generation", "first_role"):
            rows = _csv(client, hr_programme, key, breakdown=breakdown)
            pages.append("\n".join(",".join(row) for row in rows))
    pages.append(
        "\n".join(
            ",".join(r) for r in _csv(client, hr_programme, "ratings", breakdown="department")
        )
    )
    for text in pages:
        assert SECRET not in text
        assert NAME not in text
        assert SURNAME not in text
        assert "@insights.example" not in text.replace(hr_programme.hr.email, "")


def test_unconsented_demographics_are_never_used(client, hr_programme):
    """Only consented values reach a breakdown; withdrawing consent moves the person to
    "Not given or no consent" (the database blanks the values without consent)."""
    from insights.selectors.load import Scope, load_memberships, load_sides

    scope = Scope(programme=hr_programme.programme)
    sides = load_sides(scope, load_memberships(scope))
    unconsented = {p.pk for p in hr_programme.people if not p.demographics_consent}
    assert unconsented
    for side in sides:
        if side.participant_id in unconsented:
            assert (side.gender, side.birth_year) == ("", None)
    generation = _table(_page(client, hr_programme, breakdown="generation"), "benefit")
    assert set(generation) == {"", "Born 1981–1996", "Not given or no consent", "All sides"}
    Participant.objects.filter(pk__in=[p.pk for p in hr_programme.people[:12]]).update(
        demographics_consent=False, gender="", birth_year=None
    )
    dashboard_refresh(programme_id=hr_programme.programme.pk)
    generation = _table(_page(client, hr_programme, breakdown="generation"), "benefit")
    assert set(generation) == {"", "Not given or no consent", "All sides"}
    assert generation["Not given or no consent"][0] == "12"


def test_cohort_and_date_filters(client, hr_programme):
    other = hr_programme.programme.cohorts.create(
        name="Autumn intake",
        starts_on=hr_programme.cohort.starts_on,
        ends_on=hr_programme.cohort.ends_on,
    )
    for _ in range(5):
        ParticipantFactory(
            cohort=other, status=Participant.Status.INVITED, charter_accepted_at=None
        )
    dashboard_refresh(programme_id=hr_programme.programme.pk)
    assert _table(_page(client, hr_programme), "funnel")["Invited"] == ["19"]
    only = _table(_page(client, hr_programme, cohort=hr_programme.cohort.pk), "funnel")
    assert only["Invited"] == ["14"]
    # Pairs were published 60 days ago: a range starting today holds none of them.
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    html = _page(client, hr_programme, date_from=today)
    assert _table(html, "first_session")["All pairs"] == [SUPPRESSED_TEXT]


def test_invalid_filters_show_errors_and_not_a_crash(client, hr_programme):
    html = _page(client, hr_programme, date_from="2026-05-01", date_to="2026-04-01")
    assert "The end of the range is before its start." in html
    html = _page(client, hr_programme, cohort="999999")
    assert "Select a valid choice" in html
    html = _page(client, hr_programme, breakdown="salary")
    assert "Select a valid choice" in html


def test_refresh_is_idempotent_and_tolerates_a_vanished_programme(hr_programme):
    programme = hr_programme.programme
    before = list(
        PairFact.objects.filter(programme=programme).values_list("pair_id", "days_to_first_session")
    )
    assert dashboard_refresh(programme_id=programme.pk) == 6
    after = list(
        PairFact.objects.filter(programme=programme).values_list("pair_id", "days_to_first_session")
    )
    assert sorted(before) == sorted(after)
    assert CohortMonth.objects.filter(programme=programme).exists()
    assert DashboardRefresh.objects.get(programme=programme).pairs == 6
    assert dashboard_refresh(programme_id=999999) == 0


@pytest.mark.parametrize("pairs", [6, 40])
def test_the_page_costs_at_most_20_queries_whatever_the_size(
    client, django_assert_max_num_queries, pairs
):
    hp = build_hr_programme(pairs=pairs, slug=f"size-{pairs}")
    client.force_login(hp.hr)
    url = reverse("insights:dashboard", args=[hp.programme.slug])
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200  # the stored snapshot
    with django_assert_max_num_queries(20):
        # A date range is computed from the stored metrics: still a fixed number of queries.
        ranged = client.get(url, {"date_from": hp.programme.starts_on.isoformat()})
        assert ranged.status_code == 200
        assert "Computed now for the chosen range" in ranged.content.decode()
    with django_assert_max_num_queries(20):
        assert (
            client.get(
                reverse("insights:chart_csv", args=[hp.programme.slug, "benefit"])
            ).status_code
            == 200
        )


def test_the_hr_home_card_links_to_the_dashboards(client, hr_programme):
    client.force_login(hr_programme.hr)
    html = client.get(reverse("home")).content.decode()
    assert "not available yet" not in html
    assert reverse("insights:index") in html
    index = client.get(reverse("insights:index")).content.decode()
    assert reverse("insights:dashboard", args=[hr_programme.programme.slug]) in index


def test_the_stored_snapshot_equals_the_charts_computed_now(hr_programme):
    """The page reads snapshots built by the refresh; they hold the same cells as a live
    computation from the same stored metrics."""
    from insights.aggregates.breakdowns import BREAKDOWNS
    from insights.selectors import dashboard_build
    from insights.selectors.dashboard import _sections
    from insights.selectors.load import Scope, dashboard_load

    programme = hr_programme.programme
    for cohort_id in (None, hr_programme.cohort.pk):
        scope = Scope(programme=programme, cohort_id=cohort_id)
        data = dashboard_load(scope)
        for breakdown in BREAKDOWNS:
            stored = dashboard_build(
                programme=programme, filters={"cohort_id": cohort_id, "breakdown": breakdown}
            )
            assert stored.stored
            live = [c for section in _sections(scope, breakdown, data) for c in section.charts]
            assert [c.csv_text() for c in stored.charts] == [c.csv_text() for c in live]
            assert [c.reading for c in stored.charts] == [c.reading for c in live]
            assert [c.chartjs() for c in stored.charts] == [c.chartjs() for c in live]


def test_a_date_range_keeps_what_its_local_day_holds(hr_programme):
    """The live path filters by each timestamp's local date in the current time zone (like
    ``timezone.localdate``): 23:30 UTC is the next day in Kiritimati (UTC+14)."""
    import datetime as dt

    from django.utils import timezone

    from insights.selectors.load import Scope, dashboard_load
    from pairing.models import Pair

    day = timezone.localdate() - dt.timedelta(days=60)
    late = dt.datetime.combine(day, dt.time(23, 30), tzinfo=dt.UTC)
    Pair.objects.filter(pk__in=[p.pk for p in hr_programme.pairs]).update(published_at=late)
    Participant.objects.filter(pk__in=[p.pk for p in hr_programme.people]).update(created_at=late)
    programme, next_day = hr_programme.programme, day + dt.timedelta(days=1)

    def counts(zone: str, **dates) -> tuple[int, int, int, int]:
        with timezone.override(zone):
            data = dashboard_load(Scope(programme=programme, **dates))
        return len(data.people), len(data.pairs), len(data.sides), len(data.outcome_people)

    everyone = (len(hr_programme.people), 6, 12, 12)
    assert counts("UTC", date_to=day) == everyone
    assert counts("UTC", date_from=next_day) == (0, 0, 0, 0)
    assert counts("Pacific/Kiritimati", date_from=next_day) == everyone
    assert counts("Pacific/Kiritimati", date_to=day) == (0, 0, 0, 0)
