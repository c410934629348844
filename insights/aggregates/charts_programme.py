"""Programme-level charts: funnel, match rate, timing, activity, balance and flags.

Counts of pairs describe the people in them: a bucket of 2 pairs describes 4 people,
which is fewer than 5, so it is suppressed.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Sequence

from .contract import Chart, Column, TableInput, Value
from .facts import COMPLETED, ENDED_EARLY, LIVE, MonthFacts, PairFacts, PersonFacts
from .intervals import wilson
from .readings import TOO_FEW
from .suppression import MIN_PEOPLE


def _pct(rate: float) -> str:
    return f"{rate * 100:.0f} %"


def funnel_chart(people: Sequence[PersonFacts]) -> Chart:
    """Invited → enrolled → paired → (live → active) / completed / ended early."""
    stages = [
        ("Invited", people),
        ("Enrolled", [p for p in people if p.enrolled]),
        ("Paired", [p for p in people if p.pair_status]),
        ("In a live pair", [p for p in people if p.pair_status in LIVE]),
        ("Active (met within the cadence)", [p for p in people if p.active]),
        ("Completed", [p for p in people if p.pair_status == COMPLETED]),
        ("Ended early", [p for p in people if p.pair_status == ENDED_EARLY]),
    ]
    table = TableInput(row_header="Stage", columns=[Column("people", "People")])
    for label, members in stages:
        table.add(label, {"people": Value(len(members), len(members))})
    # Everyone paired is in a live pair, completed or ended early.
    table.extra_lines.append(
        (
            ("Paired", "people"),
            [("In a live pair", "people"), ("Completed", "people"), ("Ended early", "people")],
        )
    )
    built = table.build()
    enrolled, paired = len(stages[1][1]), len(stages[2][1])
    if enrolled < MIN_PEOPLE:
        reading = f"{TOO_FEW}: fewer than 5 people enrolled."
    else:
        rate = wilson(paired, enrolled)
        reading = (
            f"Match rate: {_pct(rate.rate or 0)} of enrolled people were paired "
            f"(95 % interval {rate.low * 100:.0f}–{rate.high * 100:.0f} %)."
        )
    return Chart(
        key="funnel",
        title="Funnel: invited to completed",
        reading=reading,
        table=built,
        kind="hbar",
        y_label="People",
        empty=not people,
    )


def match_rate_chart(people: Sequence[PersonFacts]) -> Chart:
    """Paired / enrolled per cohort, with its Wilson 95 % interval."""
    cohorts = sorted({p.cohort for p in people})
    table = TableInput(
        row_header="Cohort",
        columns=[
            Column("enrolled", "Enrolled", plotted=False),
            Column("paired", "Paired", plotted=False),
            Column("rate", "Match rate (95 % interval)", kind="percent"),
        ],
        partition=True,
    )
    for label, members in [
        *((c, [p for p in people if p.cohort == c]) for c in cohorts),
        (
            "All cohorts",
            list(people),
        ),
    ]:
        enrolled = [p for p in members if p.enrolled]
        paired = [p for p in enrolled if p.pair_status]
        rate = wilson(len(paired), len(enrolled))
        table.add(
            label,
            {
                "enrolled": Value(len(enrolled), len(enrolled)),
                "paired": Value(len(paired), len(paired)),
                "rate": Value(rate.rate, len(enrolled), rate.low, rate.high),
            },
            total=label == "All cohorts",
        )
    built = table.build()
    total = built.cell("All cohorts", "rate")
    reading = (
        f"{TOO_FEW}: fewer than 5 people enrolled."
        if total.suppressed
        else f"{total.text} of enrolled people were paired."
    )
    return Chart(
        key="match_rate",
        title="Match rate by cohort",
        reading=reading,
        table=built,
        y_label="Percent of enrolled people",
        empty=not people,
    )


def _bucket_table(
    header: str,
    pairs: Sequence[PairFacts],
    buckets: Sequence[tuple[str, Callable[[PairFacts], bool]]],
) -> TableInput:
    table = TableInput(row_header=header, columns=[Column("pairs", "Pairs")], partition=True)
    for label, test in buckets:
        members = [p for p in pairs if test(p)]
        table.add(label, {"pairs": Value(len(members), sum(p.members for p in members))})
    table.add("All pairs", {"pairs": Value(len(pairs), sum(p.members for p in pairs))}, total=True)
    return table


def _between(get: Callable[[PairFacts], float | None], low: float, high: float, last=False):
    def test(pair: PairFacts) -> bool:
        value = get(pair)
        return value is not None and low <= value and (value <= high if last else value < high)

    return test


def _median_reading(values: list[float], people: int, sentence: Callable[[float], str]) -> str:
    if people < MIN_PEOPLE or not values:
        return f"{TOO_FEW}: fewer than 5 people."
    return sentence(statistics.median(values))


def first_session_chart(pairs: Sequence[PairFacts]) -> Chart:
    days = lambda p: p.days_to_first_session  # noqa: E731
    buckets = [
        ("Within 7 days", lambda p: days(p) is not None and days(p) <= 7),
        ("8–14 days", lambda p: days(p) is not None and 8 <= days(p) <= 14),
        ("15–30 days", lambda p: days(p) is not None and 15 <= days(p) <= 30),
        ("31–60 days", lambda p: days(p) is not None and 31 <= days(p) <= 60),
        ("More than 60 days", lambda p: days(p) is not None and days(p) > 60),
        ("No session yet", lambda p: days(p) is None),
    ]
    met = [p for p in pairs if p.days_to_first_session is not None]
    reading = _median_reading(
        [p.days_to_first_session for p in met],
        sum(p.members for p in met),
        lambda m: (
            f"Half the pairs that have met held their first session within {m:.0f} days "
            "of being published."
        ),
    )
    return Chart(
        key="first_session",
        title="Time to first session",
        reading=reading,
        table=_bucket_table("Time from publication", pairs, buckets).build(),
        y_label="Pairs",
        empty=not pairs,
    )


def sessions_over_time_chart(
    months: Sequence[MonthFacts], *, current_month: dt.date | None = None
) -> Chart:
    """Per month; ``current_month`` (first day) is labelled "so far" and not read out."""
    table = TableInput(
        row_header="Month",
        columns=[
            Column("per_pair", "Sessions per live pair", kind="mean"),
            Column("live", "Live pairs", plotted=False),
            Column("held", "Sessions held", plotted=False),
            Column("met", "Share of live pairs that met", kind="percent", plotted=False),
        ],
    )
    for month in months:
        people = month.people_live
        per_pair = month.sessions_held / month.pairs_live if month.pairs_live else None
        met = month.pairs_met / month.pairs_live if month.pairs_live else None
        so_far = " (so far)" if month.month == current_month else ""
        table.add(
            f"{month.month:%Y-%m}{so_far}",
            {
                "per_pair": Value(per_pair, people),
                "live": Value(month.pairs_live, people),
                "held": Value(month.sessions_held, people),
                "met": Value(met, people),
            },
        )
    built = table.build()
    shown = [row for row in built.rows if not row.cells[0].suppressed and "so far" not in row.label]
    if not shown:
        reading = f"{TOO_FEW}: fewer than 5 people in live pairs in every full month."
    else:
        last = shown[-1]
        reading = (
            f"In {last.label}: {last.cells[0].text} sessions per live pair; "
            f"{last.cells[3].text.split(' (')[0]} of live pairs met."
        )
    return Chart(
        key="sessions_over_time",
        title="Sessions per pair over time",
        reading=reading,
        table=built,
        kind="line",
        y_label="Sessions per live pair",
        empty=not months,
    )


def cadence_chart(pairs: Sequence[PairFacts], *, cadence_days: int) -> Chart:
    get = lambda p: p.cadence_adherence  # noqa: E731
    buckets = [
        ("Under 25 %", _between(get, 0, 0.25)),
        ("25–49 %", _between(get, 0.25, 0.5)),
        ("50–74 %", _between(get, 0.5, 0.75)),
        ("75–100 %", _between(get, 0.75, 1.0, last=True)),
        ("Not yet one full period", lambda p: p.cadence_adherence is None),
    ]
    rated = [p for p in pairs if p.cadence_adherence is not None]
    people = sum(p.members for p in rated)
    if people < MIN_PEOPLE:
        reading = f"{TOO_FEW}: fewer than 5 people in pairs that have run a full period."
    else:
        mean = statistics.fmean(p.cadence_adherence for p in rated)
        reading = f"On average, pairs met in {_pct(mean)} of their {cadence_days}-day periods."
    return Chart(
        key="cadence",
        title=f"Cadence adherence (a held session every {cadence_days} days)",
        reading=reading,
        table=_bucket_table("Periods with a session", pairs, buckets).build(),
        y_label="Pairs",
        empty=not pairs,
    )


def _index_chart(key: str, title: str, pairs: Sequence[PairFacts], get, meaning: str) -> Chart:
    buckets = [
        ("0.0–0.2", _between(get, 0, 0.2)),
        ("0.2–0.4", _between(get, 0.2, 0.4)),
        ("0.4–0.6", _between(get, 0.4, 0.6)),
        ("0.6–0.8", _between(get, 0.6, 0.8)),
        ("0.8–1.0", _between(get, 0.8, 1.0, last=True)),
        ("Not computed yet", lambda p: get(p) is None),
    ]
    valued = [p for p in pairs if get(p) is not None]
    reading = _median_reading(
        [get(p) for p in valued],
        sum(p.members for p in valued),
        lambda m: f"Median {m:.2f} ({meaning}).",
    )
    return Chart(
        key=key,
        title=title,
        reading=reading,
        table=_bucket_table(title.split(" distribution")[0], pairs, buckets).build(),
        y_label="Pairs",
        empty=not pairs,
    )


def role_balance_chart(pairs: Sequence[PairFacts]) -> Chart:
    return _index_chart(
        "role_balance",
        "Role balance distribution",
        pairs,
        lambda p: p.role_balance,
        "1 = both sides spent as long mentoring",
    )


def reciprocity_chart(pairs: Sequence[PairFacts]) -> Chart:
    return _index_chart(
        "reciprocity",
        "Reciprocity index distribution",
        pairs,
        lambda p: p.reciprocity_index,
        "1 = both sides benefit equally",
    )


def flags_chart(pairs: Sequence[PairFacts]) -> Chart:
    """Shares of lopsided, stalled and one-way pairs among pairs with metrics.

    A share describes the flagged pairs' people (a share and the total would give the
    count back), so it is suppressed with the count.
    """
    measured = [p for p in pairs if p.has_metric]
    all_people = sum(p.members for p in measured)
    table = TableInput(
        row_header="Pairs",
        columns=[
            Column("pairs", "Pairs", plotted=False),
            Column("share", "Share of pairs (95 % interval)", kind="percent"),
        ],
    )
    for label, flag in [
        ("Lopsided", "lopsided"),
        ("Stalled", "stalled"),
        ("One-way", "one_way"),
    ]:
        flagged = [p for p in measured if getattr(p, flag)]
        people = sum(p.members for p in flagged)
        rate = wilson(len(flagged), len(measured))
        table.add(
            label,
            {
                "pairs": Value(len(flagged), people),
                "share": Value(rate.rate, people, rate.low, rate.high),
            },
        )
    table.add(
        "All pairs with metrics",
        {
            "pairs": Value(len(measured), all_people),
            "share": Value(1.0 if measured else None, all_people),
        },
        total=True,
    )
    built = table.build()
    shown = [r for r in built.rows if not r.total and not r.cells[1].suppressed]
    if all_people < MIN_PEOPLE:
        reading = f"{TOO_FEW}: fewer than 5 people in pairs with metrics."
    elif not shown:
        reading = "Each flag concerns fewer than 5 people."
    else:
        parts = [f"{r.label.lower()} {r.cells[1].text.split(' (')[0]}" for r in shown]
        reading = "Of the pairs with metrics: " + ", ".join(parts) + "."
    return Chart(
        key="flags",
        title="Lopsided, stalled and one-way pairs",
        reading=reading,
        table=built,
        y_label="Percent of pairs",
        empty=not measured,
    )
