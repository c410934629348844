"""Pairing runs: candidates from the database, runs that replace proposals, hard rules."""

import datetime as dt
import random
from itertools import combinations
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pairing import engine
from pairing.candidates import candidate_pool, candidates_build
from pairing.models import MatchRun, Pair, PairingExclusion, PairMember
from pairing.services.matching import match_run_execute, match_run_start
from programmes.models import Cohort, Participant, Programme, Skill
from tests.factories import (
    CohortFactory,
    ParticipantFactory,
    ProgrammeFactory,
    ProgrammeRoleFactory,
    UserFactory,
    make_pair,
)

pytestmark = pytest.mark.django_db


# --- helpers shared by the pairing-run tests ----------------------------------------------
def make_cohort(**programme_fields) -> Cohort:
    """A cohort of a programme in the matching phase, with one admin (``cohort.admin``)."""
    fields = {
        "status": Programme.Status.MATCHING,
        "cross_department_weight": 0,
        "allow_trio": False,
        "starts_on": dt.date(2026, 7, 1),
        "ends_on": dt.date(2027, 6, 30),
        **programme_fields,
    }
    admin = UserFactory()
    programme = ProgrammeFactory(created_by=admin, **fields)
    ProgrammeRoleFactory(programme=programme, user=admin)
    cohort = CohortFactory(programme=programme)
    cohort.admin = admin
    return cohort


def skills(cohort: Cohort, names) -> list[Skill]:
    return [Skill.objects.get_or_create(programme=cohort.programme, name=n)[0] for n in names]


def person(cohort: Cohort, name: str, *, offers=(), wants=(), **fields) -> Participant:
    fields.setdefault("last_name", "Test")
    user = UserFactory(
        email=f"{name.lower()}-{cohort.pk}@example.com",
        first_name=name,
        last_name=fields["last_name"],
    )
    participant = ParticipantFactory(cohort=cohort, user=user, first_name=name, **fields)
    participant.skills_offered.set(skills(cohort, offers))
    participant.skills_wanted.set(skills(cohort, wants))
    return participant


def run_now(cohort: Cohort) -> MatchRun:
    """Start a run and execute it in this process, as the worker would."""
    run = match_run_start(cohort=cohort, by=cohort.admin)
    return match_run_execute(run_id=run.pk)


def proposed_groups(cohort: Cohort) -> dict[frozenset[int], Pair]:
    groups: dict[int, set[int]] = {}
    for pair_id, pid in PairMember.objects.filter(
        pair__cohort=cohort, pair__status=Pair.Status.PROPOSED, current=True
    ).values_list("pair_id", "participant_id"):
        groups.setdefault(pair_id, set()).add(pid)
    pairs = Pair.objects.in_bulk(groups)
    return {frozenset(ids): pairs[pair_id] for pair_id, ids in groups.items()}


def ids(*people: Participant) -> frozenset[int]:
    return frozenset(p.pk for p in people)


# --- candidates ----------------------------------------------------------------------------
def test_candidates_carry_skills_reporting_line_time_zone_and_consented_demographics():
    cohort = make_cohort()
    boss = person(cohort, "Boss", offers=["Strategy"], time_zone="Europe/London")
    ana = person(
        cohort,
        "Ana",
        offers=["Python", "SQL"],
        wants=["Strategy"],
        manager=boss,
        time_zone="Asia/Kolkata",
        demographics_consent=True,
        gender="woman",
        birth_year=1995,
        department="Data",
        location="Lisbon",
        seniority=2,
    )
    quiet = person(cohort, "Quiet", demographics_consent=False, department="")

    candidates = candidates_build(cohort=cohort, participants=[boss, ana, quiet])

    a = candidates[ana.pk]
    assert a.offers == {"Python", "SQL"} and a.wants == {"Strategy"}
    assert (a.gender, a.birth_year, a.seniority) == ("woman", 1995, 2)
    assert (a.department, a.location) == ("Data", "Lisbon")
    assert a.manager_id == boss.pk
    assert a.utc_offset_hours == 5.5
    # London is on summer time (UTC+1) on the programme's start date, 1 July.
    assert candidates[boss.pk].utc_offset_hours == 1.0
    q = candidates[quiet.pk]
    assert (q.gender, q.birth_year, q.department) == (None, None, None)


def test_demographics_are_ignored_when_consent_is_withdrawn():
    cohort = make_cohort()
    ana = person(cohort, "Ana", demographics_consent=True, gender="woman", birth_year=1990)
    # Consent withdrawn while the values are still stored (the DB allows it only with
    # consent, so the in-memory row stands for a stale one).
    ana.demographics_consent = False
    candidate = candidates_build(cohort=cohort, participants=[ana])[ana.pk]
    assert candidate.gender is None and candidate.birth_year is None


def test_earlier_partners_and_opt_outs_are_excluded_both_ways_but_proposals_are_not_history():
    cohort = make_cohort()
    ana, ben, chloe, dev, emma = (person(cohort, n) for n in ["Ana", "Ben", "Chloe", "Dev", "Emma"])
    make_pair(ana, ben, status=Pair.Status.ENDED_EARLY)
    make_pair(ana, emma, status=Pair.Status.PROPOSED)  # a draft, not history
    PairingExclusion.objects.create(participant=chloe, excluded=ana, reason="opt-out")

    candidates = candidates_build(cohort=cohort, participants=[ana, ben, chloe, dev, emma])

    assert candidates[ana.pk].excluded_ids == {ben.pk, chloe.pk}
    assert candidates[ben.pk].excluded_ids == {ana.pk}
    assert candidates[chloe.pk].excluded_ids == {ana.pk}
    assert candidates[dev.pk].excluded_ids == frozenset()
    assert candidates[emma.pk].excluded_ids == frozenset()


def test_pool_is_enrolled_people_without_a_live_pair_plus_locked_proposals():
    cohort = make_cohort()
    ana, ben, chloe, dev, emma, farid, gil, hana = (
        person(cohort, n) for n in ["Ana", "Ben", "Chloe", "Dev", "Emma", "Farid", "Gil", "Hana"]
    )
    invited = person(cohort, "Invited", status=Participant.Status.INVITED, charter_accepted_at=None)
    make_pair(ana, ben, status=Pair.Status.ACTIVE)
    locked = make_pair(chloe, dev, status=Pair.Status.PROPOSED, locked=True)
    make_pair(emma, farid, status=Pair.Status.PROPOSED)

    pool = candidate_pool(cohort=cohort)

    assert set(pool.candidates) == {chloe.pk, dev.pk, emma.pk, farid.pk, gil.pk, hana.pk}
    assert invited.pk not in pool.candidates
    assert pool.locked == [tuple(sorted((chloe.pk, dev.pk)))]
    assert pool.locked_pair_ids == [locked.pk]
    assert pool.names[gil.pk] == "Gil Test"


def test_a_locked_proposal_with_someone_who_withdrew_is_replaced_and_the_other_re_paired():
    cohort = make_cohort(allow_trio=False)
    ana, ben, chloe = (person(cohort, n) for n in ["Ana", "Ben", "Chloe"])
    stale = make_pair(ana, ben, status=Pair.Status.PROPOSED, locked=True)
    Participant.objects.filter(pk=ben.pk).update(status=Participant.Status.WITHDRAWN)

    pool = candidate_pool(cohort=cohort)
    assert set(pool.candidates) == {ana.pk, chloe.pk} and pool.locked == []
    run_now(cohort)

    assert not Pair.objects.filter(pk=stale.pk).exists()
    assert set(proposed_groups(cohort)) == {ids(ana, chloe)}


def test_a_locked_trio_is_kept_aside():
    cohort = make_cohort(allow_trio=True)
    trio = [person(cohort, n) for n in ["Ana", "Ben", "Chloe"]]
    others = [person(cohort, n) for n in ["Dev", "Emma"]]
    kept = make_pair(*trio, status=Pair.Status.PROPOSED, locked=True)

    run = run_now(cohort)

    assert set(proposed_groups(cohort)) == {ids(*trio), ids(*others)}
    assert proposed_groups(cohort)[ids(*trio)].pk == kept.pk
    assert run.summary["locked_count"] == 1


# --- runs ----------------------------------------------------------------------------------
def test_a_run_proposes_reciprocal_pairs_with_reasons_and_a_certified_quality():
    cohort = make_cohort()
    ana = person(cohort, "Ana", offers=["Python"], wants=["Negotiation"])
    ben = person(cohort, "Ben", offers=["Negotiation"], wants=["Python"])
    chloe = person(cohort, "Chloe", offers=["Design"], wants=["Finance"])
    dev = person(cohort, "Dev", offers=["Finance"], wants=["Design"])

    run = run_now(cohort)

    assert run.status == MatchRun.Status.SUCCEEDED
    assert run.progress == 1.0
    groups = proposed_groups(cohort)
    assert set(groups) == {ids(ana, ben), ids(chloe, dev)}
    pair = groups[ids(ana, ben)]
    assert pair.percent == 100 and pair.match_run == run and not pair.locked
    assert any("Both ways" in reason for reason in engine.reason_texts(pair.reasons))
    summary = run.summary
    assert summary["pair_count"] == 2 and summary["unmatched"] == []
    assert summary["quality"] == pytest.approx(1.0)
    assert summary["total_weight"] <= summary["upper_bound"] + 1e-9
    assert sum(summary["histogram"]) == 2 and summary["histogram"][9] == 2
    assert run.parameters["skill_weight"] == cohort.programme.skill_weight
    # Nobody is marked paired before publishing.
    assert not Participant.objects.filter(status=Participant.Status.PAIRED).exists()


def test_unmatched_people_are_listed_with_the_reason():
    cohort = make_cohort()
    boss = person(cohort, "Boss")
    person(cohort, "Ana", manager=boss)
    person(cohort, "Ben", manager=boss)

    run = run_now(cohort)

    assert [u["participant_id"] for u in run.summary["unmatched"]] == [boss.pk]
    reason = run.summary["unmatched"][0]["reason"]
    assert "forbidden by a hard rule" in reason and "reporting line" in reason
    assert run.summary["unmatched"][0]["name"] == "Boss Test"


def test_a_rerun_replaces_unlocked_proposals_and_keeps_locked_ones():
    cohort = make_cohort()
    people = [person(cohort, f"P{i}", offers=[f"S{i}"], wants=[f"S{i + 1}"]) for i in range(6)]
    run_now(cohort)
    first = proposed_groups(cohort)
    assert len(first) == 3
    keep_ids, keep = next(iter(first.items()))
    keep.locked = True
    keep.save()
    others = [p for ids_, p in first.items() if ids_ != keep_ids]

    second_run = run_now(cohort)

    second = proposed_groups(cohort)
    assert second[keep_ids].pk == keep.pk and second[keep_ids].locked
    assert not Pair.objects.filter(pk__in=[p.pk for p in others]).exists()
    assert sum(len(g) for g in second) == 6  # everybody exactly once
    assert second_run.summary["locked_count"] == 1 and second_run.summary["pair_count"] == 3
    assert {m.participant_id for m in PairMember.objects.filter(current=True)} == {
        p.pk for p in people
    }


def test_an_odd_cohort_forms_a_trio_when_the_programme_allows_it():
    cohort = make_cohort(allow_trio=True)
    trio_people = [person(cohort, n) for n in ["Ana", "Ben", "Chloe"]]

    run = run_now(cohort)

    groups = proposed_groups(cohort)
    assert list(groups) == [ids(*trio_people)]
    trio = groups[ids(*trio_people)]
    assert sorted(trio.members.values_list("position", flat=True)) == [0, 1, 2]
    assert engine.reason_texts(trio.reasons)[0].startswith("Trio")
    assert run.summary["trio"] is True and run.summary["unmatched"] == []


def test_hard_rules_are_never_violated_on_a_large_messy_cohort():
    """Managers, earlier partners, opt-outs, same department and time-zone gaps all present."""
    cohort = make_cohort(
        forbid_same_department=True,
        max_utc_offset_difference=6,
        cross_department_weight=3,
        cross_gender_weight=2,
    )
    rng = random.Random(4)
    zones = ["Europe/London", "Europe/Paris", "Asia/Kolkata", "America/New_York", "Asia/Tokyo"]
    departments = ["Data", "Sales", "Finance", "Legal"]
    topics = [f"Skill {i}" for i in range(8)]
    people: list[Participant] = []
    for i in range(40):
        people.append(
            person(
                cohort,
                f"N{i}",
                offers=rng.sample(topics, 2),
                wants=rng.sample(topics, 2),
                department=rng.choice(departments),
                time_zone=rng.choice(zones),
                manager=rng.choice(people) if people and rng.random() < 0.3 else None,
            )
        )
    for a, b in rng.sample(list(combinations(people, 2)), 60):
        PairingExclusion.objects.get_or_create(participant=a, excluded=b)
    for a, b in rng.sample(list(combinations(people, 2)), 10):
        pair = Pair.objects.create(cohort=cohort, status=Pair.Status.ENDED_EARLY)
        PairMember.objects.create(pair=pair, participant=a, position=0, current=False)
        PairMember.objects.create(pair=pair, participant=b, position=1, current=False)

    run = run_now(cohort)
    assert run.status == MatchRun.Status.SUCCEEDED, run.error

    by_id = {p.pk: p for p in Participant.objects.filter(cohort=cohort)}
    opt_outs = {
        frozenset(x) for x in PairingExclusion.objects.values_list("participant", "excluded")
    }
    history = {}
    for pair_id, pid in PairMember.objects.filter(pair__status=Pair.Status.ENDED_EARLY).values_list(
        "pair_id", "participant_id"
    ):
        history.setdefault(pair_id, set()).add(pid)
    earlier = {frozenset(x) for x in history.values()}
    candidates = candidate_pool(cohort=cohort).candidates
    groups = proposed_groups(cohort)
    assert len(groups) >= 10
    for group in groups:
        for x, y in combinations(group, 2):
            a, b = by_id[x], by_id[y]
            assert a.manager_id != b.pk and b.manager_id != a.pk
            assert frozenset((x, y)) not in opt_outs
            assert frozenset((x, y)) not in earlier
            assert a.department != b.department
            gap = abs(candidates[x].utc_offset_hours - candidates[y].utc_offset_hours)
            assert gap <= 6
    for entry in run.summary["unmatched"]:
        assert entry["reason"]


def test_progress_is_written_while_the_engine_runs():
    cohort = make_cohort()
    for i in range(4):
        person(cohort, f"P{i}")
    seen: list[float] = []
    real_match = engine.match

    def spy(*args, progress, **kwargs):
        def wrapped(done: float) -> None:
            progress(done)
            seen.append(MatchRun.objects.get().progress)

        return real_match(*args, progress=wrapped, **kwargs)

    with mock.patch("pairing.services.matching.engine.match", side_effect=spy):
        run_now(cohort)
    assert seen[0] >= 0.05
    assert any(0.05 < value < 1.0 for value in seen)  # stored before the engine finished
    assert seen == sorted(seen)
    assert MatchRun.objects.get().progress == 1.0


# --- start: refusals; execute: idempotent, failure --------------------------------------------
def test_a_second_run_is_refused_while_one_is_queued():
    cohort = make_cohort()
    person(cohort, "Ana")
    person(cohort, "Ben")
    match_run_start(cohort=cohort, by=cohort.admin)
    with pytest.raises(ValidationError, match="already in progress"):
        match_run_start(cohort=cohort, by=cohort.admin)
    assert MatchRun.objects.count() == 1


def test_a_stale_queued_run_no_longer_blocks_and_is_marked_failed():
    cohort = make_cohort()
    person(cohort, "Ana")
    person(cohort, "Ben")
    stale = match_run_start(cohort=cohort, by=cohort.admin)
    MatchRun.objects.filter(pk=stale.pk).update(created_at=timezone.now() - dt.timedelta(hours=2))

    fresh = match_run_start(cohort=cohort, by=cohort.admin)

    stale.refresh_from_db()
    assert stale.status == MatchRun.Status.FAILED and "superseded" in stale.error
    # The stale task arriving late does nothing.
    assert match_run_execute(run_id=stale.pk).status == MatchRun.Status.FAILED
    assert fresh.status == MatchRun.Status.QUEUED


@pytest.mark.parametrize("status", [Programme.Status.DRAFT, Programme.Status.CLOSED])
def test_runs_are_refused_outside_the_pairing_phases(status):
    cohort = make_cohort(status=status)
    person(cohort, "Ana")
    person(cohort, "Ben")
    with pytest.raises(ValidationError, match="only while the programme is enrolling"):
        match_run_start(cohort=cohort, by=cohort.admin)


def test_a_run_with_nobody_to_pair_is_refused_with_a_clear_message():
    cohort = make_cohort()
    person(cohort, "Ana")
    with pytest.raises(ValidationError, match="Nobody to pair"):
        match_run_start(cohort=cohort, by=cohort.admin)


def test_executing_a_finished_run_again_changes_nothing_and_a_vanished_run_is_tolerated():
    cohort = make_cohort()
    person(cohort, "Ana")
    person(cohort, "Ben")
    run = run_now(cohort)
    pair_ids = set(Pair.objects.values_list("pk", flat=True))

    again = match_run_execute(run_id=run.pk)

    assert again.status == MatchRun.Status.SUCCEEDED
    assert set(Pair.objects.values_list("pk", flat=True)) == pair_ids
    assert match_run_execute(run_id=run.pk + 1000) is None


def test_a_failing_run_is_marked_failed_and_leaves_the_proposal_alone():
    cohort = make_cohort()
    person(cohort, "Ana")
    person(cohort, "Ben")
    run_now(cohort)
    before = set(Pair.objects.values_list("pk", flat=True))
    run = match_run_start(cohort=cohort, by=cohort.admin)

    with mock.patch(
        "pairing.services.matching.engine.match", side_effect=RuntimeError("solver exploded")
    ):
        result = match_run_execute(run_id=run.pk)

    assert result.status == MatchRun.Status.FAILED
    assert "solver exploded" in result.error and result.finished_at is not None
    assert set(Pair.objects.values_list("pk", flat=True)) == before


# --- demo data -----------------------------------------------------------------------------
def test_demo_pairs_the_named_people_publishes_and_starts_the_programme_once():
    from pairing import demo

    cohort = make_cohort(kind=Programme.Kind.RECIPROCAL, allow_trio=True)
    demo_admin = UserFactory(email="admin@demo.example")
    ProgrammeRoleFactory(programme=cohort.programme, user=demo_admin)
    named = {}
    for email, offers, wants in [
        ("ana@demo.example", ["Python"], ["Strategy"]),
        ("ben@demo.example", ["Design"], ["SQL"]),  # no fit with Ana: only the hand-pick pairs them
        ("chloe@demo.example", ["Strategy"], ["Python"]),
        ("gus@demo.example", ["SQL"], ["Design"]),
        ("hal@demo.example", ["Law"], ["Art"]),
    ]:
        name = email.split("@")[0].title()
        named[email] = ParticipantFactory(
            cohort=cohort,
            user=UserFactory(email=email, first_name=name),
            email=email,
            first_name=name,
        )
        named[email].skills_offered.set(skills(cohort, offers))
        named[email].skills_wanted.set(skills(cohort, wants))

    logins = {login.email: login.note for login in demo.seed()}

    # What seed_demo prints: who each named participant is paired with.
    programme = cohort.programme.name
    ana, ben = named["ana@demo.example"], named["ben@demo.example"]
    assert logins[ana.email] == f"paired with {ben.display_name} in {programme}"
    assert logins[ben.email] == f"paired with {ana.display_name} in {programme}"
    assert logins["chloe@demo.example"].startswith("paired with ")
    assert " and " in logins["chloe@demo.example"]  # the odd one out joined her pair
    cohort.programme.refresh_from_db()
    assert cohort.programme.status == Programme.Status.RUNNING
    pairs = Pair.objects.filter(cohort=cohort)
    assert set(pairs.values_list("status", flat=True)) == {Pair.Status.ACTIVE}
    groups = {frozenset(p.members.values_list("participant__email", flat=True)) for p in pairs}
    assert frozenset({"ana@demo.example", "ben@demo.example"}) in groups
    assert any("chloe@demo.example" in g for g in groups)
    assert sum(len(g) for g in groups) == 5  # the odd one out joined a trio
    assert all(p.first_mentor_id for p in pairs)

    before = set(pairs.values_list("pk", "status"))
    demo.seed()
    assert set(Pair.objects.filter(cohort=cohort).values_list("pk", "status")) == before
