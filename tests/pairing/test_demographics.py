"""What pairing keeps of consented demographics: one bonus per pair, gone with the consent.

The promises themselves (nobody sees a value, unticking erases them) are tested as pages in
``tests/test_promises.py``; here are the rules behind them: trios, a consent withdrawn while
a run computes, swaps, and the data migration that rewrote the reasons already stored.
"""

import importlib
import json

import pytest
from django.apps import apps as django_apps

from pairing import engine
from pairing.models import MatchRun, Pair
from pairing.selectors.runs import swap_preview
from pairing.services.matching import pair_propose
from pairing.services.pairs import pairs_publish, pairs_swap
from programmes.models import Participant
from programmes.services.participants import participant_demographics_erase
from tests.factories import make_pair
from tests.pairing.test_matching_service import make_cohort, person, proposed_groups, run_now

pytestmark = pytest.mark.django_db

migration = importlib.import_module("pairing.migrations.0002_pair_reasons_without_demographics")


def diverse_cohort():
    """Skills 10, cross-gender 3, cross-generation 2: the best pair scores 15."""
    return make_cohort(skill_weight=10, cross_gender_weight=3, cross_generation_weight=2)


def consenting(cohort, name, gender, year, **fields):
    return person(cohort, name, demographics_consent=True, gender=gender, birth_year=year, **fields)


def test_a_trio_keeps_the_bonus_its_other_two_members_earn_between_themselves():
    cohort = diverse_cohort()
    ana = consenting(cohort, "Ana", "woman", 1990)
    ben = consenting(cohort, "Ben", "man", 1960)
    cy = consenting(cohort, "Cy", "man", 1991)
    trio = pair_propose(cohort=cohort, participants=[ana, ben, cy], by=cohort.admin)
    # Ana–Ben gender and generation (5), Ana–Cy gender (3), Ben–Cy generation (2).
    assert trio.demographic_bonus == 10
    stored = json.dumps(trio.reasons).lower()  # the facts, as the members' pages read them
    assert "gender" not in stored and "woman" not in stored and "1960" not in stored
    pairs_publish(cohort=cohort, by=cohort.admin, notify=False)
    trio.refresh_from_db()
    score = trio.score

    participant_demographics_erase(participant=ana)

    trio.refresh_from_db()
    assert trio.demographic_bonus == 2  # Ben and Cy still consent
    assert trio.score == pytest.approx(score - 8)


def test_consent_withdrawn_while_a_run_computes_leaves_no_bonus_in_its_proposals(monkeypatch):
    cohort = diverse_cohort()
    ana = consenting(cohort, "Ana", "woman", 1995, offers=["Python"], wants=["Sales"])
    consenting(cohort, "Ben", "man", 1968, offers=["Sales"], wants=["Python"])
    real_match = engine.match

    def ana_unticks_her_consent_meanwhile(*args, **kwargs):
        # The engine already has the candidates with her values; she saves her profile now.
        participant_demographics_erase(participant=Participant.objects.get(pk=ana.pk))
        return real_match(*args, **kwargs)

    monkeypatch.setattr(engine, "match", ana_unticks_her_consent_meanwhile)
    run = run_now(cohort)

    assert run.status == MatchRun.Status.SUCCEEDED
    (pair,) = proposed_groups(cohort).values()
    assert pair.demographic_bonus == 0
    assert (pair.score, pair.percent) == (10, 67)  # the two-way skill fit alone, of 15
    assert run.summary["histogram"][6] == 1  # the run's summary counts the re-derived 67 %


def test_a_swap_stores_the_new_pairs_bonus():
    cohort = diverse_cohort()
    ana = consenting(cohort, "Ana", "woman", 1995)
    ben = consenting(cohort, "Ben", "woman", 1993)
    cy = consenting(cohort, "Cy", "man", 1970)
    dee = consenting(cohort, "Dee", "man", 1968)
    first = make_pair(ana, ben, status=Pair.Status.PROPOSED, published_at=None)
    second = make_pair(cy, dee, status=Pair.Status.PROPOSED, published_at=None)
    preview = swap_preview(cohort=cohort, person_a_id=ben.pk, person_b_id=cy.pk)
    assert [s.demographic_bonus for s in preview.after] == [5, 5]

    pairs_swap(pair_a=first, pair_b=second, person_a_id=ben.pk, person_b_id=cy.pk, by=cohort.admin)

    assert set(Pair.objects.values_list("demographic_bonus", flat=True)) == {5}


# --- the data migration -------------------------------------------------------------------------
SKILL_REASON = "Both ways: each can teach the other (Python ↔ Sales)"


def legacy_pair(*people, reasons, score, percent, status=Pair.Status.PROPOSED, **fields):
    """A pair as the engine stored it before: demographic texts among the reasons."""
    if status == Pair.Status.PROPOSED:
        fields["published_at"] = None
    return make_pair(
        *people, status=status, reasons=reasons, score=score, percent=percent, **fields
    )


def test_the_migration_removes_demographic_reasons_and_keeps_their_weight_as_the_bonus():
    cohort = diverse_cohort()
    ana = consenting(cohort, "Ana", "woman", 1995)
    ben = consenting(cohort, "Ben", "man", 1968)
    pair = legacy_pair(
        ana,
        ben,
        reasons=[SKILL_REASON, "Cross-gender pair", "Generations apart (1968 and 1995)"],
        score=15.0,
        percent=100,
    )

    migration.forwards(django_apps, None)

    pair.refresh_from_db()
    assert pair.reasons == [SKILL_REASON]
    assert (pair.demographic_bonus, pair.score, pair.percent) == (5, 15, 100)


def test_the_migration_drops_the_part_of_someone_who_withdrew_consent_since():
    cohort = diverse_cohort()
    ana = person(cohort, "Ana")  # shared "Woman, 1995" once; unticked the box since
    ben = consenting(cohort, "Ben", "man", 1968)
    run = MatchRun.objects.create(
        cohort=cohort,
        status=MatchRun.Status.SUCCEEDED,
        # The run scored with other weights than the programme's today: they count.
        parameters={"skill_weight": 10, "cross_gender_weight": 4, "cross_generation_weight": 2},
    )
    pair = legacy_pair(
        ana,
        ben,
        reasons=[SKILL_REASON, "Cross-gender pair", "Generations apart (1968 and 1995)"],
        score=16.0,
        percent=100,
        status=Pair.Status.ACTIVE,
        match_run=run,
    )
    untouched = legacy_pair(
        consenting(cohort, "Cy", "man", 1980),
        consenting(cohort, "Dee", "man", 1982),
        reasons=[SKILL_REASON],
        score=10.0,
        percent=67,
    )

    migration.forwards(django_apps, None)

    pair.refresh_from_db()
    assert pair.reasons == [SKILL_REASON]
    assert pair.demographic_bonus == 0
    assert pair.score == 10 and pair.percent == 63  # 100 − 100 × 6/16, halves up
    untouched.refresh_from_db()
    assert (untouched.reasons, untouched.score, untouched.demographic_bonus) == (
        [SKILL_REASON],
        10,
        0,
    )
