"""The dashboard's pure arithmetic (insights.aggregates), against hand-computed answers."""

import csv
import datetime as dt
import io

import pytest

from insights.aggregates import (
    SUPPRESSED_TEXT,
    Column,
    Line,
    Mean,
    TableInput,
    Value,
    change_reading,
    compare_means,
    compare_proportions,
    mean_interval,
    recoverable_by_subtraction,
    suppress,
    wilson,
)
from insights.aggregates.breakdowns import (
    NOT_GIVEN,
    Measure,
    SideFacts,
    breakdown_table,
    by_first_role,
    by_gender,
    by_seniority,
    generation,
)
from insights.aggregates.charts_outcomes import retention_chart
from insights.aggregates.charts_programme import (
    cadence_chart,
    first_session_chart,
    flags_chart,
    funnel_chart,
    match_rate_chart,
    reciprocity_chart,
    sessions_over_time_chart,
)
from insights.aggregates.charts_sides import benefit_chart, ratings_chart, survey_change_chart
from insights.aggregates.facts import (
    ComparisonTotals,
    MonthFacts,
    OutcomePerson,
    PairFacts,
    PersonFacts,
    SurveyChange,
)

# --- Wilson intervals -----------------------------------------------------------------


def test_wilson_8_of_10_matches_the_textbook_interval():
    # p = 0.8, z² = 3.8415: centre 0.7167, half-width 0.2266.
    result = wilson(8, 10)
    assert result.rate == 0.8
    assert result.low == pytest.approx(0.4902, abs=1e-4)
    assert result.high == pytest.approx(0.9433, abs=1e-4)


def test_wilson_stays_inside_0_1_at_the_edges():
    none = wilson(0, 10)
    assert none.low == 0.0
    assert none.high == pytest.approx(0.2775, abs=1e-4)
    every = wilson(10, 10)
    assert every.high == 1.0
    assert every.low == pytest.approx(0.7225, abs=1e-4)
    assert (wilson(0, 0).low, wilson(0, 0).high) == (0.0, 1.0)


def test_wilson_refuses_impossible_counts():
    with pytest.raises(ValueError):
        wilson(3, 2)


def test_mean_interval_hand_computed():
    # 1, 2, 3, 4, 5: mean 3, s = √2.5 = 1.5811, half = 1.96 · 1.5811 / √5 = 1.3859.
    result = mean_interval([1, 2, 3, 4, 5])
    assert result.value == 3
    assert result.low == pytest.approx(3 - 1.3859, abs=1e-3)
    assert result.high == pytest.approx(3 + 1.3859, abs=1e-3)
    assert mean_interval([4]).low is None


# --- Suppression ----------------------------------------------------------------------


def test_a_cell_of_4_people_is_suppressed_and_one_of_5_is_not():
    assert suppress({"a": 4, "b": 5}) == {"a"}
    assert suppress({"zero": 0}) == {"zero"}


def test_subtraction_attack_on_one_small_cell_is_blocked():
    # Engineering 10, Legal 3, Sales 12, all 25: hiding Legal alone leaves 25 − 10 − 12 = 3.
    people = {"eng": 10, "legal": 3, "sales": 12, "all": 25}
    lines = [Line(total="all", parts=("eng", "legal", "sales"))]
    hidden = suppress(people, lines)
    assert hidden == {"legal", "eng"}  # the next-smallest part is hidden with it
    assert recoverable_by_subtraction(people, hidden, lines) == set()
    # Without the complement the attack works (what the rule prevents).
    assert recoverable_by_subtraction(people, {"legal"}, lines) == {"legal"}


def test_a_line_with_one_part_hides_its_total():
    people = {"only": 3, "total": 3}
    assert suppress(people, [Line("total", ("only",))]) == {"only", "total"}


def test_complementary_suppression_iterates_across_rows_and_columns():
    # Two-way table with margins:      c1  c2  c3 | row
    #                              r1   2   9  10 |  21
    #                              r2   8   7  11 |  26
    #                             col  10  16  21 |  47
    cells = {("r1", "c1"): 2, ("r1", "c2"): 9, ("r1", "c3"): 10}
    cells |= {("r2", "c1"): 8, ("r2", "c2"): 7, ("r2", "c3"): 11}
    cells |= {("r1", "t"): 21, ("r2", "t"): 26}
    cells |= {("t", "c1"): 10, ("t", "c2"): 16, ("t", "c3"): 21, ("t", "t"): 47}
    lines = [Line((r, "t"), tuple((r, c) for c in ("c1", "c2", "c3"))) for r in ("r1", "r2", "t")]
    lines += [Line(("t", c), tuple((r, c) for r in ("r1", "r2"))) for c in ("c1", "c2", "c3", "t")]
    hidden = suppress(cells, lines)
    # r1c1 (2) is primary; row r1 then hides r1c2 (9); column c1 hides r2c1 (8);
    # column c2 hides r2c2 (7): a 2×2 rectangle, each line with two unknowns.
    assert hidden == {("r1", "c1"), ("r1", "c2"), ("r2", "c1"), ("r2", "c2")}
    assert recoverable_by_subtraction(cells, hidden, lines) == set()


def test_table_input_suppresses_a_mean_whose_group_the_total_would_give_back():
    table = TableInput(
        row_header="Gender",
        columns=[Column("people", "People"), Column("learning", "Learning", kind="mean")],
        partition=True,
    )
    table.add("Women", {"people": Value(12, 12), "learning": Value(3.8, 12)})
    table.add("Men", {"people": Value(3, 3), "learning": Value(3.0, 3)})
    table.add("Non-binary", {"people": Value(6, 6), "learning": Value(4.1, 6)})
    table.add("All sides", {"people": Value(21, 21), "learning": Value(3.7, 21)}, total=True)
    built = table.build()
    assert built.cell("Men", "people").text == SUPPRESSED_TEXT
    assert built.cell("Men", "learning").suppressed
    # Non-binary (6) is the next-smallest: hidden too, so 21 − 12 does not give Men back.
    assert built.cell("Non-binary", "people").suppressed
    assert built.cell("Non-binary", "learning").suppressed
    assert built.cell("Women", "people").text == "12"
    assert built.cell("All sides", "learning").text == "3.7"


# --- Chart contract: Chart.js data, table, CSV ------------------------------------------


def _funnel_people():
    people = [PersonFacts(i, "A", enrolled=False) for i in range(2)]  # invited only
    people += [PersonFacts(10 + i, "A", enrolled=True) for i in range(1)]  # not paired
    people += [PersonFacts(20 + i, "A", True, "active", active=True) for i in range(3)]
    people += [PersonFacts(30 + i, "A", True, "published") for i in range(3)]
    people += [PersonFacts(40 + i, "A", True, "completed") for i in range(3)]
    people += [PersonFacts(50, "A", True, "ended_early")]
    return people  # 13 invited, 11 enrolled, 10 paired, 6 live, 3 active, 3 completed, 1 ended


def test_funnel_counts_and_suppression():
    chart = funnel_chart(_funnel_people())
    texts = {row.label: row.cells[0].text for row in chart.table.rows}
    assert texts["Invited"] == "13"
    assert texts["Enrolled"] == "11"
    assert texts["Paired"] == "10"
    assert texts["In a live pair"] == "6"
    assert texts["Active (met within the cadence)"] == SUPPRESSED_TEXT
    assert texts["Completed"] == SUPPRESSED_TEXT
    assert texts["Ended early"] == SUPPRESSED_TEXT
    # Match rate 10/11 = 91 %, Wilson (62–98 %).
    assert (
        chart.reading == "Match rate: 91 % of enrolled people were paired (95 % interval 62–98 %)."
    )


def test_funnel_blocks_the_paired_minus_live_subtraction():
    # 10 paired = 6 live + 4 completed (hidden) + 0 ended early (hidden: 0 < 5): with two
    # hidden members the line gives neither back.
    people = [PersonFacts(i, "A", True, "active") for i in range(6)]
    people += [PersonFacts(10 + i, "A", True, "completed") for i in range(4)]
    chart = funnel_chart(people)
    assert chart.table.cell("Completed", "people").suppressed
    assert chart.table.cell("Ended early", "people").suppressed


def test_chartjs_data_and_csv_say_fewer_than_5_for_suppressed_cells():
    chart = funnel_chart(_funnel_people())
    data = chart.chartjs()
    assert data["labels"][0] == "Invited"
    assert data["datasets"][0]["data"][:4] == [13, 11, 10, 6]
    assert data["datasets"][0]["data"][6] is None
    assert data["datasets"][0]["texts"][6] == SUPPRESSED_TEXT
    rows = list(csv.reader(io.StringIO(chart.csv_text())))
    assert rows[0] == ["Stage", "People"]
    assert rows[-1] == ["Ended early", SUPPRESSED_TEXT]
    assert "1" not in [cell for row in rows for cell in row]


def test_csv_neutralises_spreadsheet_formulas_in_labels():
    table = TableInput(row_header="Department", columns=[Column("people", "People")])
    table.add("=HYPERLINK(1)", {"people": Value(7, 7)})
    from insights.aggregates import Chart

    text = Chart(key="x", title="x", reading="", table=table.build()).csv_text()
    assert "'=HYPERLINK(1)" in text


def test_match_rate_by_cohort_with_complementary_suppression():
    people = [PersonFacts(i, "Spring", True, "active") for i in range(8)]
    people += [PersonFacts(100 + i, "Spring", True) for i in range(2)]
    people += [PersonFacts(200 + i, "Autumn", True, "active") for i in range(3)]
    people += [PersonFacts(300 + i, "Winter", True, "active") for i in range(20)]
    chart = match_rate_chart(people)
    # Autumn (3 enrolled) is hidden; Spring (10) is the next-smallest, hidden with it.
    assert chart.table.cell("Autumn", "rate").suppressed
    assert chart.table.cell("Spring", "enrolled").suppressed
    assert chart.table.cell("Winter", "rate").text == "100 % (84–100 %)"
    # All cohorts: 31 of 33 = 94 % (80–98 %).
    assert chart.table.cell("All cohorts", "rate").text == "94 % (80–98 %)"


def test_first_session_buckets_count_pairs_and_hide_fewer_than_5_people():
    pairs = [PairFacts(i, days_to_first_session=d) for i, d in enumerate([3, 5, 7, 10, 12, 20])]
    pairs += [PairFacts(10, days_to_first_session=None)]
    chart = first_session_chart(pairs)
    # ≤7: 3 pairs (6 people) shown; 8–14: 2 pairs (4 people) hidden; 15–30: 1 pair hidden.
    assert chart.table.cell("Within 7 days", "pairs").text == "3"
    assert chart.table.cell("8–14 days", "pairs").suppressed
    assert chart.table.cell("15–30 days", "pairs").suppressed
    assert chart.table.cell("All pairs", "pairs").text == "7"
    # Median of 3, 5, 7, 10, 12, 20 = 8.5 → "9 days" (rounded).
    assert "within 8 days" in chart.reading or "within 9 days" in chart.reading


def test_cadence_and_reciprocity_readings():
    pairs = [PairFacts(i, cadence_adherence=a) for i, a in enumerate([0.5, 1.0, 0.75])]
    chart = cadence_chart(pairs, cadence_days=14)
    assert chart.reading == "On average, pairs met in 75 % of their 14-day periods."
    assert chart.table.cell("75–100 %", "pairs").suppressed  # 2 pairs = 4 people
    rec = reciprocity_chart(
        [PairFacts(i, reciprocity_index=r) for i, r in enumerate([0.2, 0.9, 0.5])]
    )
    assert rec.reading == "Median 0.50 (1 = both sides benefit equally)."


def test_flags_share_is_hidden_with_its_count():
    pairs = [PairFacts(i, has_metric=True, lopsided=i < 2, stalled=i < 4) for i in range(10)]
    chart = flags_chart(pairs)
    assert chart.table.cell("Lopsided", "pairs").suppressed  # 2 pairs = 4 people
    assert chart.table.cell("Lopsided", "share").suppressed  # 20 % of 10 would give 2 back
    assert chart.table.cell("Stalled", "share").text == "40 % (17–69 %)"


def test_sessions_over_time_per_live_pair():
    months = [
        MonthFacts(
            dt.date(2026, 1, 1), pairs_live=10, people_live=20, sessions_held=15, pairs_met=8
        ),
        MonthFacts(dt.date(2026, 2, 1), pairs_live=2, people_live=4, sessions_held=2, pairs_met=1),
    ]
    chart = sessions_over_time_chart(months, current_month=dt.date(2026, 3, 1))
    assert chart.table.cell("2026-01", "per_pair").text == "1.5"
    assert chart.table.cell("2026-02", "per_pair").suppressed
    assert chart.reading == "In 2026-01: 1.5 sessions per live pair; 80 % of live pairs met."
    assert chart.chartjs()["type"] == "line"
    # The current month is partial: labelled "so far", and the reading skips it.
    months.append(MonthFacts(dt.date(2026, 3, 1), 10, 20, 1, 1))
    chart = sessions_over_time_chart(months, current_month=dt.date(2026, 3, 1))
    assert chart.table.cell("2026-03 (so far)", "per_pair").text == "0.1"
    assert chart.reading.startswith("In 2026-01:")


# --- Breakdowns -------------------------------------------------------------------------


def test_side_groups():
    assert by_seniority(SideFacts(1, 1, seniority=2, partner_seniority=6)) == "Junior side"
    assert by_seniority(SideFacts(1, 1, seniority=6, partner_seniority=2)) == "Senior side"
    assert (
        by_seniority(SideFacts(1, 1, seniority=None, partner_seniority=2)) == "Seniority not given"
    )
    assert by_first_role(SideFacts(1, 1, mentored_first=True)) == "Mentor first"
    assert by_gender(SideFacts(1, 1, gender="")) == NOT_GIVEN
    assert by_gender(SideFacts(1, 1, gender="prefer_not")) == NOT_GIVEN
    assert generation(1970) == "Born 1965–1980"
    assert generation(None) == NOT_GIVEN


def _sides():
    """6 junior sides (benefit 0.2 … 0.45) and 6 senior sides (0.6 … 0.85); 5 women, 7 men."""
    sides = []
    for i in range(6):
        sides.append(
            SideFacts(
                participant_id=i,
                pair_id=i,
                seniority=2,
                partner_seniority=7,
                gender="woman" if i < 5 else "man",
                benefit_score=0.2 + 0.05 * i,
                challenged_mean=3.0 if i < 5 else 4.0,
                items_received=1,
            )
        )
        sides.append(
            SideFacts(
                participant_id=100 + i,
                pair_id=i,
                seniority=7,
                partner_seniority=2,
                gender="man",
                benefit_score=0.6 + 0.05 * i,
                challenged_mean=4.0,
                items_received=3,
            )
        )
    return sides


def test_benefit_by_seniority_hand_computed():
    chart = benefit_chart("seniority", _sides())
    # Junior: mean of 0.20, 0.25, …, 0.45 = 0.325; senior: 0.725; all: 0.525.
    assert chart.table.cell("Junior side", "benefit").text == "0.33"
    assert chart.table.cell("Senior side", "benefit").text == "0.72"
    assert chart.table.cell("All sides", "benefit").text == "0.53"
    assert chart.table.cell("Junior side", "items").text == "1.0"
    assert chart.table.cell("Junior side", "learning").suppressed  # no one reflected
    assert chart.reading.startswith(
        "Benefit score is higher for the senior side than for the junior side"
    )


def test_ratings_by_gender_hand_computed():
    chart = ratings_chart("gender", _sides())
    # Women: 5 sides at 3.0; men: 1 junior at 4.0 + 6 seniors at 4.0.
    assert chart.table.cell("Women", "challenged").text == "3.0"
    assert chart.table.cell("Men", "challenged").text == "4.0"
    assert chart.table.cell("Women", "people").text == "5"


def test_breakdown_table_uses_only_the_values_it_is_given():
    """The selector blanks unconsented demographics; a blank groups as not given."""
    sides = [SideFacts(i, i, gender="") for i in range(6)]
    table = breakdown_table(
        "gender", sides, [Measure(Column("b", "B", kind="score"), lambda s: 0.5)]
    )
    labels = [label for label, _, _ in table.rows]
    assert labels == [NOT_GIVEN, "All sides"]


def test_survey_change_by_seniority():
    sides = _sides()
    changes = [
        SurveyChange(s.participant_id, baseline={"valued": 2}, end={"valued": 4})
        for s in sides
        if s.seniority == 2
    ] + [
        SurveyChange(s.participant_id, baseline={"valued": 3}, end={"valued": 3})
        for s in sides
        if s.seniority == 7
    ]
    chart = survey_change_chart("seniority", sides, changes)
    assert chart.table.cell("Junior side", "valued").text == "2.0"
    assert chart.table.cell("Senior side", "valued").text == "0.0"
    assert chart.table.cell("All sides", "valued").text == "1.0"
    # 12 changes, mean 1, s = 1.0445, half = 0.591: the interval excludes 0.
    assert chart.reading == (
        "Feeling valued rose from baseline to end by +1.0 points (95 % interval +0.4 to +1.6)."
    )


# --- Readings ---------------------------------------------------------------------------


def test_proportions_reading_overlap_and_difference():
    # 45/50 = 90 % (79–96 %) vs 700/1000 = 70 % (67–73 %): no overlap.
    clear = compare_proportions(
        "retention", wilson(45, 50), wilson(700, 1000), comparison_name="comparison group"
    )
    assert clear.startswith("Retention is higher among participants than in the comparison group")
    assert "participants 90 % (79–96 %)" in clear
    # 8/10 (49–94 %) vs 70 %: overlap.
    unclear = compare_proportions(
        "retention", wilson(8, 10), wilson(700, 1000), comparison_name="comparison group"
    )
    assert unclear.startswith("Too few people to tell a difference in retention")
    small = compare_proportions("retention", wilson(4, 4), wilson(700, 1000), comparison_name="c")
    assert small == "Too few people to tell: fewer than 5 people in a group."


def test_means_and_change_readings():
    a, b = Mean(4.0, 20, 3.8, 4.2), Mean(3.0, 20, 2.8, 3.2)
    assert compare_means("learning", ("women", a), ("men", b)) == (
        "Learning is higher for women than for men (4.0 vs 3.0); the 95 % intervals do not overlap."
    )
    assert compare_means("learning", ("women", a), ("men", Mean(3.9, 20, 3.7, 4.1))).startswith(
        "Too few people to tell a difference"
    )
    assert change_reading("engagement", Mean(0.2, 10, -0.1, 0.5)).startswith(
        "Too few people to tell whether engagement changed"
    )


def test_retention_chart_against_the_comparison_group():
    people = [OutcomePerson(i, left=i < 5) for i in range(50)]
    chart = retention_chart(
        people, ComparisonTotals(headcount=1000, leavers=300, promotions=50), period="2026"
    )
    assert chart.table.cell("Participants", "rate").text == "90 % (79–96 %)"
    assert chart.table.cell("Comparison group (organisation)", "rate").text == "70 % (67–73 %)"
    assert chart.reading.startswith("Retention is higher among participants")


def test_too_small_a_participant_group_reads_too_few():
    people = [OutcomePerson(i) for i in range(4)]
    chart = retention_chart(people, ComparisonTotals(headcount=100, leavers=10), period="")
    assert chart.table.cell("Participants", "rate").suppressed
    assert chart.reading.startswith("Too few people to tell")


def test_a_hidden_total_with_no_parts_stops():
    """An empty breakdown (a total row and no groups) must not loop."""
    assert suppress({"total": 0}, [Line("total", ())]) == {"total"}
    assert funnel_chart([]).table.cell("Invited", "people").suppressed
    assert match_rate_chart([]).table.cell("All cohorts", "rate").suppressed


def test_a_group_reading_gives_the_higher_figure_first():
    a, b = Mean(3.2, 20, 3.0, 3.4), Mean(4.0, 20, 3.8, 4.2)
    assert compare_means("learning", ("the junior side", a), ("the senior side", b)) == (
        "Learning is higher for the senior side than for the junior side (4.0 vs 3.2); "
        "the 95 % intervals do not overlap."
    )
