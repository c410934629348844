"""Proposals after a run: lock, swap, exclude, publish (first mentor, mail once), end early."""

import threading

import pytest
from celery import current_app
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from pairing import engine
from pairing.candidates import candidates_build, rules_for_programme
from pairing.models import MatchRun, Pair, PairingExclusion, PairMember
from pairing.services.matching import match_run_start, pair_propose
from pairing.services.pairs import (
    pair_exclude,
    pair_lock,
    pair_request_end,
    pairs_publish,
    pairs_swap,
)
from pairing.tasks import pair_ended_notify_task, pair_published_notify_task
from programmes.models import AuditEvent, Participant, Programme
from tests.factories import make_pair
from tests.pairing.test_matching_service import (
    ids,
    make_cohort,
    person,
    proposed_groups,
    run_now,
)


@pytest.fixture
def eager_tasks():
    """Tasks enqueued after commit run in this process, so their effect can be asserted."""
    conf = current_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager = conf.task_eager_propagates = True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


def proposal(*people: Participant, locked: bool = False) -> Pair:
    return make_pair(*people, status=Pair.Status.PROPOSED, published_at=None, locked=locked)


# --- lock -----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_lock_and_unlock_a_proposal_and_record_it():
    cohort = make_cohort()
    pair = proposal(person(cohort, "Ana"), person(cohort, "Ben"))

    assert pair_lock(pair=pair, by=cohort.admin, locked=True).locked
    assert not pair_lock(pair=pair, by=cohort.admin, locked=False).locked
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["pairing.pair_locked", "pairing.pair_unlocked"]


@pytest.mark.django_db
def test_proposals_cannot_change_while_a_run_is_in_progress_or_once_published():
    cohort = make_cohort()
    ana, ben, chloe, dev = (person(cohort, n) for n in ["Ana", "Ben", "Chloe", "Dev"])
    pair = proposal(ana, ben)
    live = make_pair(chloe, dev, status=Pair.Status.PUBLISHED)
    MatchRun.objects.create(cohort=cohort, status=MatchRun.Status.RUNNING)

    for action in (
        lambda: pair_lock(pair=pair, by=cohort.admin, locked=True),
        lambda: pair_exclude(pair=pair, by=cohort.admin),
        lambda: pairs_publish(cohort=cohort, by=cohort.admin),
    ):
        with pytest.raises(ValidationError, match="in progress"):
            action()
    MatchRun.objects.update(status=MatchRun.Status.SUCCEEDED)
    with pytest.raises(ValidationError, match="no longer a proposal"):
        pair_lock(pair=live, by=cohort.admin, locked=True)
    assert Pair.objects.get(pk=pair.pk).status == Pair.Status.PROPOSED


# --- swap -----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_swap_reports_the_score_change_and_stores_the_new_scores():
    cohort = make_cohort()
    ana = person(cohort, "Ana", offers=["Python"], wants=["Sales"])
    ben = person(cohort, "Ben", offers=["Sales"], wants=["Python"])
    chloe = person(cohort, "Chloe", offers=["Design"], wants=["Law"])
    dev = person(cohort, "Dev", offers=["Law"], wants=["Design"])
    first, second = proposal(ana, chloe), proposal(dev, ben)
    rules = rules_for_programme(programme=cohort.programme)
    c = candidates_build(cohort=cohort, participants=[ana, ben, chloe, dev])
    before = engine.score(c[ana.pk], c[chloe.pk], rules).weight
    before += engine.score(c[dev.pk], c[ben.pk], rules).weight

    result = pairs_swap(
        pair_a=first, pair_b=second, person_a_id=chloe.pk, person_b_id=ben.pk, by=cohort.admin
    )

    assert set(proposed_groups(cohort)) == {ids(ana, ben), ids(chloe, dev)}
    assert [s.percent for s in result.scores] == [100, 100]
    assert result.delta == pytest.approx(2 * rules.skill_weight - before)
    assert result.delta > 0
    first.refresh_from_db()
    assert first.percent == 100 and first.score == result.scores[0].weight
    assert any("Both ways" in r for r in engine.reason_texts(first.reasons))
    # Positions are kept: Ana is still side A of the first pair.
    assert first.members.get(position=0).participant == ana
    assert AuditEvent.objects.filter(action="pairing.pairs_swapped").count() == 1


@pytest.mark.django_db
def test_a_swap_that_breaks_a_hard_rule_is_refused_with_the_rule():
    cohort = make_cohort()
    boss = person(cohort, "Boss")
    ana = person(cohort, "Ana", manager=boss)
    ben, chloe = person(cohort, "Ben"), person(cohort, "Chloe")
    first, second = proposal(boss, ben), proposal(ana, chloe)

    with pytest.raises(ValidationError, match="reporting line"):
        pairs_swap(
            pair_a=first, pair_b=second, person_a_id=ben.pk, person_b_id=ana.pk, by=cohort.admin
        )
    assert set(proposed_groups(cohort)) == {ids(boss, ben), ids(ana, chloe)}


@pytest.mark.django_db
def test_a_locked_pair_cannot_be_swapped():
    cohort = make_cohort()
    ana, ben, chloe, dev = (person(cohort, n) for n in ["Ana", "Ben", "Chloe", "Dev"])
    first, second = proposal(ana, ben, locked=True), proposal(chloe, dev)
    with pytest.raises(ValidationError, match="unlock it first"):
        pairs_swap(
            pair_a=first, pair_b=second, person_a_id=ben.pk, person_b_id=dev.pk, by=cohort.admin
        )


# --- exclude --------------------------------------------------------------------------------
@pytest.mark.django_db
def test_an_excluded_pair_is_dropped_and_never_proposed_again():
    cohort = make_cohort()
    ana = person(cohort, "Ana", offers=["Python"], wants=["Sales"])
    ben = person(cohort, "Ben", offers=["Sales"], wants=["Python"])
    run_now(cohort)
    pair = proposed_groups(cohort)[ids(ana, ben)]

    freed = pair_exclude(pair=pair, by=cohort.admin)

    assert sorted(freed) == sorted([ana.pk, ben.pk])
    assert not Pair.objects.filter(pk=pair.pk).exists()
    assert PairingExclusion.objects.filter(participant=ana, excluded=ben).exists()
    rerun = run_now(cohort)
    assert proposed_groups(cohort) == {}
    reasons = {u["participant_id"]: u["reason"] for u in rerun.summary["unmatched"]}
    assert set(reasons) == {ana.pk, ben.pk}
    assert "earlier partner or opt-out" in reasons[ana.pk]


# --- publish --------------------------------------------------------------------------------
@pytest.mark.django_db
def test_in_reverse_programmes_the_junior_side_mentors_first():
    cohort = make_cohort(kind=Programme.Kind.REVERSE)
    senior = person(cohort, "Senior", seniority=9)
    junior = person(cohort, "Junior", seniority=2)
    unknown = person(cohort, "Unknown", seniority=None)
    peer_a, peer_b = person(cohort, "PeerA", seniority=4), person(cohort, "PeerB", seniority=4)
    low = person(cohort, "Low", seniority=3)
    a, b, c = proposal(senior, junior), proposal(peer_b, peer_a), proposal(unknown, low)

    assert pairs_publish(cohort=cohort, by=cohort.admin, notify=False) == 3

    for pair in (a, b, c):
        pair.refresh_from_db()
    assert a.first_mentor == junior
    assert b.first_mentor == min(peer_a, peer_b, key=lambda p: p.pk)  # tie: lower id
    assert c.first_mentor == low  # unknown seniority counts as the senior side


@pytest.mark.django_db
def test_in_reciprocal_programmes_the_side_covering_more_wishes_mentors_first():
    cohort = make_cohort(kind=Programme.Kind.RECIPROCAL)
    giver = person(cohort, "Giver", offers=["Python", "SQL"], wants=["Sales"])
    taker = person(cohort, "Taker", offers=["Sales"], wants=["Python", "SQL"])
    twin_a = person(cohort, "TwinA", offers=["Law"], wants=["Art"])
    twin_b = person(cohort, "TwinB", offers=["Art"], wants=["Law"])
    first, second = proposal(taker, giver), proposal(twin_b, twin_a)

    pairs_publish(cohort=cohort, by=cohort.admin, notify=False)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.first_mentor == giver
    assert second.first_mentor == min(twin_a, twin_b, key=lambda p: p.pk)


@pytest.mark.django_db
def test_publish_marks_people_paired_and_emails_each_member_once(
    eager_tasks, django_capture_on_commit_callbacks
):
    cohort = make_cohort()
    ana = person(cohort, "Ana", offers=["Python"], wants=["Sales"], job_title="Analyst")
    ben = person(cohort, "Ben", offers=["Sales"], wants=["Python"], department="Sales")
    run_now(cohort)

    with django_capture_on_commit_callbacks(execute=True):
        count = pairs_publish(
            cohort=cohort, by=cohort.admin, base_url="https://mentoring.example.org"
        )

    assert count == 1
    pair = Pair.objects.get()
    assert pair.status == Pair.Status.PUBLISHED and pair.published_at is not None
    assert set(Participant.objects.values_list("status", flat=True)) == {"paired"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([ana.email, ben.email])
    to_ana = next(m for m in mail.outbox if m.to == [ana.email])
    assert "Ben Test" in to_ana.body and "Both ways" in to_ana.body
    assert "Meet your mentoring partner" in to_ana.subject
    assert f"https://mentoring.example.org/pairing/pairs/{pair.pk}/" in to_ana.body
    event = AuditEvent.objects.get(action="pairing.pairs_published")
    assert event.detail["count"] == 1 and event.actor == cohort.admin
    # A redelivered task sends nothing more; publishing again finds nothing to publish.
    assert pair_published_notify_task(pair_ids=[pair.pk]) == 0
    assert pairs_publish(cohort=cohort, by=cohort.admin) == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_publish_is_refused_once_the_programme_is_closed():
    cohort = make_cohort()
    proposal(person(cohort, "Ana"), person(cohort, "Ben"))
    Programme.objects.update(status=Programme.Status.CLOSED)
    cohort.programme.refresh_from_db()
    with pytest.raises(ValidationError, match="only while the programme"):
        pairs_publish(cohort=cohort, by=cohort.admin)


@pytest.mark.django_db
def test_publish_is_refused_while_a_proposed_person_has_withdrawn():
    cohort = make_cohort()
    ana, ben = person(cohort, "Ana"), person(cohort, "Ben")
    proposal(ana, ben)
    Participant.objects.filter(pk=ben.pk).update(status=Participant.Status.WITHDRAWN)
    with pytest.raises(ValidationError, match=r"no longer enrolled \(Ben Test\)"):
        pairs_publish(cohort=cohort, by=cohort.admin)
    assert not Pair.objects.filter(status=Pair.Status.PUBLISHED).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_admins_publishing_at_once_publish_each_pair_once():
    cohort = make_cohort()
    people = [person(cohort, f"P{i}") for i in range(8)]
    for a, b in zip(people[::2], people[1::2], strict=True):
        proposal(a, b)
    barrier = threading.Barrier(2)
    results: list[int | Exception] = []

    def publish() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(pairs_publish(cohort=cohort, by=cohort.admin, notify=False))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert sorted(results, key=str) == [0, 4]
    assert AuditEvent.objects.filter(action="pairing.pairs_published").count() == 1
    assert Pair.objects.filter(status=Pair.Status.PUBLISHED).count() == 4


# --- end early, then re-pair ----------------------------------------------------------------
@pytest.mark.django_db
def test_ending_a_pair_frees_both_people_and_tells_partner_and_admins(
    eager_tasks, django_capture_on_commit_callbacks
):
    cohort = make_cohort()
    ana, ben = person(cohort, "Ana"), person(cohort, "Ben")
    pair = make_pair(ana, ben, status=Pair.Status.ACTIVE)

    with django_capture_on_commit_callbacks(execute=True):
        ended = pair_request_end(pair=pair, by_participant=ana, reason="We never found a time.")

    assert ended.status == Pair.Status.ENDED_EARLY and ended.ended_at is not None
    assert ended.end_requested_by == ana and ended.end_reason == "We never found a time."
    assert not PairMember.objects.filter(current=True).exists()
    assert set(Participant.objects.values_list("status", flat=True)) == {"enrolled"}
    to_ben = [m for m in mail.outbox if m.to == [ben.email]]
    to_admin = [m for m in mail.outbox if m.to == [cohort.admin.email]]
    assert len(to_ben) == 1 and "never found a time" not in to_ben[0].body  # reason stays private
    assert len(to_admin) == 1 and "We never found a time." in to_admin[0].body
    assert not [m for m in mail.outbox if m.to == [ana.email]]
    assert pair_ended_notify_task(pair.pk) is False  # once only
    with pytest.raises(ValidationError, match="Only a published or active pair"):
        pair_request_end(pair=pair, by_participant=ben, reason="again")


@pytest.mark.django_db
def test_after_ending_early_a_rerun_never_pairs_earlier_partners_again():
    cohort = make_cohort()
    # The skills make Ana–Ben and Chloe–Dev the perfect pairs, so only the exclusion of
    # earlier partners can keep a re-run from proposing them again.
    ana = person(cohort, "Ana", offers=["Python"], wants=["Sales"])
    ben = person(cohort, "Ben", offers=["Sales"], wants=["Python"])
    chloe = person(cohort, "Chloe", offers=["Design"], wants=["Law"])
    dev = person(cohort, "Dev", offers=["Law"], wants=["Design"])
    run_now(cohort)
    assert set(proposed_groups(cohort)) == {ids(ana, ben), ids(chloe, dev)}
    pairs_publish(cohort=cohort, by=cohort.admin, notify=False)
    for pair in Pair.objects.all():
        member = pair.members.first().participant
        pair_request_end(pair=pair, by_participant=member, reason="It did not work for us.")

    run = run_now(cohort)

    groups = set(proposed_groups(cohort))
    assert len(groups) == 2
    assert ids(ana, ben) not in groups and ids(chloe, dev) not in groups
    assert run.summary["unmatched"] == []


@pytest.mark.django_db
def test_a_run_started_after_publishing_only_pairs_the_people_left():
    cohort = make_cohort(status=Programme.Status.RUNNING)
    ana, ben, chloe, dev = (person(cohort, n) for n in ["Ana", "Ben", "Chloe", "Dev"])
    make_pair(ana, ben, status=Pair.Status.ACTIVE)

    run = match_run_start(cohort=cohort, by=cohort.admin)

    assert run.parameters["candidate_count"] == 2


# --- a pair chosen by hand --------------------------------------------------------------------
@pytest.mark.django_db
def test_a_hand_picked_pair_is_scored_locked_and_checked_against_the_hard_rules():
    cohort = make_cohort()
    boss = person(cohort, "Boss")
    ana = person(cohort, "Ana", manager=boss, offers=["Python"], wants=["Sales"])
    ben = person(cohort, "Ben", offers=["Sales"], wants=["Python"])

    with pytest.raises(ValidationError, match="reporting line"):
        pair_propose(cohort=cohort, participants=[ana, boss], by=cohort.admin)
    pair = pair_propose(cohort=cohort, participants=[ana, ben], by=cohort.admin)

    assert pair.locked and pair.status == Pair.Status.PROPOSED and pair.percent == 100
    with pytest.raises(ValidationError, match="already in a pair"):
        pair_propose(cohort=cohort, participants=[ben, boss], by=cohort.admin)
