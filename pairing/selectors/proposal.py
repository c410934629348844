"""What the admin judges a proposal by: named reasons, who mentors first, low matches, and
the quality figure in words.

The reasons are stored as facts (``pairing.engine.reasons``); here they become sentences
that name the people ("One way only: Amira offers Python, which Bruno wants"). Who mentors
first is chosen by ``pairing.candidates.first_mentor_for``, the rule publishing applies, so
the proposal shows exactly who will mentor first once published. Every function runs a
constant number of queries whatever the number of pairs.
"""

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from pairing import engine
from pairing.candidates import first_mentor_for, skills_of
from pairing.models import MatchRun, Pair
from pairing.selectors.runs import LOW_MATCH_PERCENT, PUBLISH_LIST_LIMIT, proposed_pairs
from programmes.models import Cohort, Participant, Programme

#: At or above this ratio the proposal is "as good as the best possible pairing": the gap
#: is below what the figures' rounding can tell apart.
AS_GOOD_AS_BEST = 0.9999
HALF = 0.5


def reason_names(people: Iterable[Participant]) -> dict[int, str]:
    """The name each person goes by in their group's reasons: the first name, or the full
    name when two people in the group share a first name (or one has none)."""
    group = list(people)
    firsts = Counter((p.first_name or "").strip() for p in group)
    names = {}
    for p in group:
        first = (p.first_name or "").strip()
        names[p.pk] = first if first and firsts[first] == 1 else p.display_name
    return names


def named_reasons(stored: list | None, people: Iterable[Participant]) -> list[str]:
    """A group's stored reasons as sentences naming its people."""
    return engine.reason_texts(stored, reason_names(people))


@dataclass(frozen=True)
class ProposalRow:
    """One proposed pair as the admin reviews it."""

    pair: Pair
    people: list[Participant]
    reasons: list[str]
    first_mentor: Participant | None

    @property
    def low_match(self) -> bool:
        return self.pair.percent < LOW_MATCH_PERCENT

    @property
    def names(self) -> str:
        return " & ".join(p.display_name for p in self.people)

    @property
    def mentees(self) -> list[Participant]:
        return [p for p in self.people if self.first_mentor is None or p.pk != self.first_mentor.pk]


def proposal_rows(*, programme: Programme, pairs: Iterable[Pair]) -> list[ProposalRow]:
    """Rows for ``pairs`` (members prefetched with their participant), in two queries: the
    skills of these people, which decide who mentors first outside reverse programmes."""
    pairs = list(pairs)
    seated = {pair.pk: [m.participant for m in pair.members.all()] for pair in pairs}
    offers: dict[int, set[str]] = {}
    wants: dict[int, set[str]] = {}
    if programme.kind != Programme.Kind.REVERSE:
        offers, wants = skills_of(participant_ids=[p.pk for g in seated.values() for p in g])
    rows = []
    for pair in pairs:
        people = seated[pair.pk]
        mentor = (
            first_mentor_for(kind=programme.kind, members=people, offers=offers, wants=wants)
            if people
            else None
        )
        rows.append(
            ProposalRow(
                pair=pair,
                people=people,
                reasons=named_reasons(pair.reasons, people),
                first_mentor=mentor,
            )
        )
    return rows


@dataclass(frozen=True)
class PublishList:
    """What the publish confirmation lists: the low matches (all of them, up to the limit)
    and every pair with its first mentor (up to the limit)."""

    low: list[ProposalRow]
    low_count: int
    pairs: list[ProposalRow]
    count: int

    @property
    def more_pairs(self) -> int:
        return self.count - len(self.pairs)

    @property
    def more_low(self) -> int:
        return self.low_count - len(self.low)


def publish_list(*, cohort: Cohort) -> PublishList:
    """The publish confirmation's lists, worst match first, in a constant number of queries."""
    programme = cohort.programme
    pairs = proposed_pairs(cohort=cohort).order_by("percent", "pk")
    shown = list(pairs[:PUBLISH_LIST_LIMIT])
    low = [p for p in shown if p.percent < LOW_MATCH_PERCENT]
    rows = proposal_rows(programme=programme, pairs=shown)
    by_pair = {row.pair.pk: row for row in rows}
    return PublishList(
        low=[by_pair[p.pk] for p in low],
        low_count=pairs.filter(percent__lt=LOW_MATCH_PERCENT).count(),
        pairs=rows,
        count=pairs.count(),
    )


# --- the quality figure ----------------------------------------------------------------------
def quality_words(ratio: float) -> str:
    """The quality figure as a sentence: "As good as the best possible pairing" (≥ 99.99 %),
    "Within 1 % of the best possible pairing" (≥ 99 %), "Within N % …" (N rounded up), and
    below half of the best, where "within 70 %" would say little, "Less than half …"."""
    if ratio >= AS_GOOD_AS_BEST:
        return "As good as the best possible pairing"
    if ratio < HALF:
        return "Less than half as good as the best possible pairing"
    gap = max(1, math.ceil(round(100 * (1 - ratio), 6)))
    return f"Within {gap} % of the best possible pairing"


CHANGE_LABELS = {
    "run": "the pairing run",
    "swap": "your last swap",
    "lock": "your last lock",
    "unlock": "your last unlock",
    "exclude": "your last exclusion",
    "propose": "the pair you proposed by hand",
    "add": "the pair you proposed by hand",
}


@dataclass(frozen=True)
class ProposalQuality:
    """The proposal's quality as the pairing page shows it.

    ``ratio`` (0–1) is the proposal's total match over the best any pairing of the same people
    could reach keeping the locked pairs (``best``: the optimum when ``exact``, else a proven
    upper bound); ``None`` while a worker recomputes it after an unlock (``pending``).
    """

    ratio: float | None
    total: float
    best: float | None
    exact: bool
    pending: bool
    change: str
    computed_at: dt.datetime | None

    @property
    def words(self) -> str:
        return quality_words(self.ratio) if self.ratio is not None else "Being recomputed…"

    @property
    def percent(self) -> float | None:
        return None if self.ratio is None else round(100 * self.ratio, 2)

    @property
    def after(self) -> str:
        return CHANGE_LABELS.get(self.change, "the last change")


def proposal_quality(*, run: MatchRun | None) -> ProposalQuality | None:
    """The figure stored on the cohort's latest successful run (``pairing.services.quality``
    keeps it current); runs stored before that read from their own summary."""
    if run is None:
        return None
    summary = run.summary or {}
    current = summary.get("current")
    if current is None:
        ratio = summary.get("quality")
        if ratio is None:
            return None
        exact = bool(summary.get("exact"))
        total = float(summary.get("total_weight") or 0.0)
        return ProposalQuality(
            ratio=1.0 if exact else float(ratio),
            total=total,
            best=total if exact else summary.get("upper_bound"),
            exact=exact,
            pending=False,
            change="run",
            computed_at=run.finished_at,
        )
    computed = current.get("computed_at")
    return ProposalQuality(
        ratio=current.get("quality"),
        total=float(current.get("total_weight") or 0.0),
        best=current.get("best"),
        exact=bool(current.get("best_is_exact")),
        pending=bool(current.get("pending")),
        change=str(current.get("change") or "run"),
        computed_at=dt.datetime.fromisoformat(computed) if computed else None,
    )
