"""What an admin judges a proposal by, before publishing (Step 8, item 5).

Reasons name the people for the admin and stay word for word what the members always read;
each row says who mentors first, as publishing will; low matches are flagged and published
only with a tick; the quality figure is recomputed after every lock, unlock, swap and
exclusion, and said in words.
"""

import importlib
import json

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from pairing import engine
from pairing.engine import Candidate, Reason, Rules
from pairing.models import MatchRun, Pair
from pairing.selectors.proposal import quality_words
from pairing.services import quality as quality_service
from pairing.services.matching import pair_propose
from pairing.services.pairs import pair_exclude, pair_lock, pairs_publish, pairs_swap
from pairing.tasks import proposal_quality_refresh_task
from programmes.models import Participant, Programme
from tests.factories import make_pair
from tests.pairing.test_matching_service import make_cohort, person, proposed_groups, run_now

pytestmark = pytest.mark.django_db

migration = importlib.import_module("pairing.migrations.0004_pair_reasons_as_facts")


def admin_client(cohort) -> Client:
    client = Client()
    client.force_login(cohort.admin)
    return client


def page(cohort, name: str = "pairing:cohort_pairs") -> str:
    response = admin_client(cohort).get(reverse(name, kwargs={"cohort_id": cohort.pk}))
    assert response.status_code == 200
    return response.content.decode()


# --- reasons: facts, sentences, names -------------------------------------------------------
def test_the_engine_records_who_gives_what_and_says_it_with_or_without_names():
    rules = Rules(skill_weight=10)
    amira = Candidate(id=7, offers={"Negotiation"}, wants={"Python"})
    bruno = Candidate(id=3, offers={"Python"}, wants={"Negotiation", "SQL"})
    one_way = Candidate(id=9, offers=set(), wants={"Negotiation"})
    both, one = engine.score(amira, bruno, rules), engine.score(amira, one_way, rules)
    assert both.details == (Reason.skills(3, 7, ["Python"], ["Negotiation"]),)
    names = {7: "Amira", 3: "Bruno", 9: "Cy"}
    # What the members read is unchanged...
    assert both.reasons == ["Both ways: each can teach the other (Python ↔ Negotiation)"]
    assert one.reasons == ["One way only: one offers Negotiation, which the other wants"]
    # ...and the admin reads who gives what.
    assert engine.reason_texts(both.details, names) == [
        "Both ways: Bruno teaches Python, Amira teaches Negotiation"
    ]
    assert engine.reason_texts(one.details, names) == [
        "One way only: Amira offers Negotiation, which Cy wants"
    ]
    stored = engine.reasons_as_json(both.details)
    assert engine.reasons_from_json(json.loads(json.dumps(stored))) == list(both.details)


def test_a_plain_stored_sentence_is_shown_as_it_is_to_everyone():
    stored = ["Both ways: each can teach the other (A ↔ B)", {"kind": "trio"}, {"kind": "?"}]
    assert engine.reason_texts(stored, {1: "Ana"}) == [
        "Both ways: each can teach the other (A ↔ B)",
        "Trio: the cohort is odd, so one pair has a third member",
    ]


def reciprocal_cohort():
    cohort = make_cohort(skill_weight=10, cross_location_weight=0)
    amira = person(cohort, "Amira", offers=["Negotiation"], wants=["Python"])
    bruno = person(cohort, "Bruno", offers=["Python"], wants=["Negotiation"])
    chloe = person(cohort, "Chloe", offers=["Design"], wants=["Law", "SQL", "Budgeting"])
    dev = person(cohort, "Dev", offers=["Law"], wants=["Cooking"])
    return cohort, amira, bruno, chloe, dev


def test_the_proposal_names_people_and_the_members_read_what_they_always_read(
    django_capture_on_commit_callbacks,
):
    cohort, amira, bruno, chloe, dev = reciprocal_cohort()
    run_now(cohort)
    pair = proposed_groups(cohort)[frozenset({amira.pk, bruno.pk})]
    assert all(isinstance(r, dict) for r in pair.reasons)  # facts, not sentences

    html = page(cohort)
    assert "Both ways: Amira teaches Negotiation, Bruno teaches Python" in html
    assert "One way only: Dev offers Law, which Chloe wants" in html
    assert "one offers" not in html and "each can teach the other" not in html

    Pair.objects.filter(cohort=cohort).update(percent=90)
    with django_capture_on_commit_callbacks(execute=True):
        pairs_publish(cohort=cohort, by=cohort.admin, base_url="https://m.example")
    from pairing.tasks import pair_published_notify_task

    pair_published_notify_task(list(Pair.objects.values_list("pk", flat=True)))
    member = Client()
    member.force_login(amira.user)
    pair_page = member.get(pair.get_absolute_url()).content.decode()
    generic = "Both ways: each can teach the other (Negotiation ↔ Python)"
    assert generic in pair_page and "Amira teaches" not in pair_page
    (email,) = [m for m in mail.outbox if m.to == [amira.email]]
    assert f"- {generic}" in email.body


def test_a_swap_preview_and_the_exclude_page_name_the_people():
    cohort, amira, bruno, chloe, dev = reciprocal_cohort()
    first = make_pair(amira, chloe, status=Pair.Status.PROPOSED, published_at=None)
    make_pair(bruno, dev, status=Pair.Status.PROPOSED, published_at=None)
    client = admin_client(cohort)
    url = reverse("pairing:pairs_swap", kwargs={"cohort_id": cohort.pk})
    preview = client.get(url, {"person_a": chloe.pk, "person_b": bruno.pk}).content.decode()
    assert "Both ways: Amira teaches Negotiation, Bruno teaches Python" in preview
    client.post(url, {"person_a": chloe.pk, "person_b": bruno.pk})
    first.refresh_from_db()
    exclude = client.get(reverse("pairing:pair_exclude", kwargs={"pair_id": first.pk}))
    assert "Amira teaches Negotiation, Bruno teaches Python" in exclude.content.decode()


def test_a_trios_reasons_name_the_two_people_of_each_edge():
    cohort = make_cohort(skill_weight=10)
    ana = person(cohort, "Ana", offers=["Python"], wants=["Sales"])
    ben = person(cohort, "Ben", offers=["Sales"], wants=["Python"])
    cy = person(cohort, "Cy", offers=["Law"], wants=["Python"])
    pair_propose(cohort=cohort, participants=[ana, ben, cy], by=cohort.admin)
    html = page(cohort)
    assert "Trio: the cohort is odd, so one pair has a third member" in html
    assert "Both ways: Ana teaches Python, Ben teaches Sales" in html
    assert "One way only: Ana offers Python, which Cy wants" in html
    assert "No skill match between Ben and Cy" in html


def test_two_people_with_one_first_name_are_told_apart_by_their_full_names():
    cohort = make_cohort(skill_weight=10)
    one = person(cohort, "Sam", last_name="Okafor", offers=["Python"], wants=["Sales"])
    two = person(cohort, "Samb", last_name="Berg", offers=["Sales"], wants=["Python"])
    Participant.objects.filter(pk=two.pk).update(first_name="Sam")
    pair_propose(cohort=cohort, participants=[one, two], by=cohort.admin)
    assert "Both ways: Sam Okafor teaches Python, Sam Berg teaches Sales" in page(cohort)


# --- the data migration ----------------------------------------------------------------------
def legacy(*people, reasons):
    return make_pair(*people, status=Pair.Status.PROPOSED, published_at=None, reasons=reasons)


def test_the_migration_turns_sentences_into_facts_where_they_are_certain():
    cohort = make_cohort()
    ana = person(cohort, "Ana", offers=["Python"], wants=["Sales"], department="Data")
    ben = person(cohort, "Ben", offers=["Sales"], wants=["Python"], department="Sales")
    cy = person(cohort, "Cy", offers=["Law"], wants=["Law"])
    dee = person(cohort, "Dee", offers=["Law"], wants=["Law"])
    both = legacy(
        ana,
        ben,
        reasons=[
            "Both ways: each can teach the other (Python ↔ Sales)",
            "Different departments (Data, Sales)",
        ],
    )
    # Each offers Law and wants it: who gives is not certain, so the sentence stays.
    unsure = legacy(cy, dee, reasons=["One way only: one offers Law, which the other wants"])
    before = {p.pk: engine.reason_texts(p.reasons) for p in (both, unsure)}

    migration.forwards(django_apps, None)

    both.refresh_from_db()
    unsure.refresh_from_db()
    assert ana.pk < ben.pk  # the engine wrote the smaller id's skills first
    assert both.reasons == [
        {"kind": "skills", "people": [ana.pk, ben.pk], "gives": [["Python"], ["Sales"]]},
        {"kind": "departments", "values": ["Data", "Sales"]},
    ]
    assert unsure.reasons == ["One way only: one offers Law, which the other wants"]
    # The members read exactly what they read before.
    assert {p.pk: engine.reason_texts(p.reasons) for p in (both, unsure)} == before

    migration.backwards(django_apps, None)
    both.refresh_from_db()
    assert both.reasons == before[both.pk]


def test_the_migration_reads_the_direction_of_a_one_way_reason_from_the_skills():
    cohort = make_cohort()
    ana = person(cohort, "Ana", offers=["Python"])
    ben = person(cohort, "Ben", wants=["Python"])
    pair = legacy(ben, ana, reasons=["One way only: one offers Python, which the other wants"])
    migration.forwards(django_apps, None)
    pair.refresh_from_db()
    names = {ana.pk: "Ana", ben.pk: "Ben"}
    assert engine.reason_texts(pair.reasons, names) == [
        "One way only: Ana offers Python, which Ben wants"
    ]


# --- who mentors first -----------------------------------------------------------------------
def test_each_row_shows_who_mentors_first_as_publishing_then_sets_it():
    cohort, amira, bruno, chloe, dev = reciprocal_cohort()
    programme = cohort.programme
    # Reverse: the junior side mentors first.
    Programme.objects.filter(pk=programme.pk).update(kind=Programme.Kind.REVERSE)
    amira.seniority, bruno.seniority = 8, 2
    amira.save()
    bruno.save()
    pair = make_pair(amira, bruno, status=Pair.Status.PROPOSED, published_at=None, percent=90)
    html = page(cohort)
    row = html[html.index(f'id="pair-{pair.pk}"') :]
    row = row[: row.index("</tr>")]
    assert row.index("Bruno") < row.index('data-testid="first-mentor"') < row.index("level 2")

    publish = page(cohort, "pairing:pairs_publish")
    assert "Who mentors first" in publish and "Bruno Test" in publish
    pairs_publish(cohort=cohort, by=cohort.admin, notify=False)
    pair.refresh_from_db()
    assert pair.first_mentor == bruno


# --- low matches -----------------------------------------------------------------------------
def low_and_good(cohort):
    a, b, c, d = (person(cohort, n) for n in ("Ana", "Ben", "Cy", "Dee"))
    low = make_pair(a, b, status=Pair.Status.PROPOSED, published_at=None, percent=13)
    good = make_pair(c, d, status=Pair.Status.PROPOSED, published_at=None, percent=85)
    return low, good


def test_a_low_match_is_flagged_listed_and_published_only_with_a_tick():
    cohort = make_cohort()
    low, good = low_and_good(cohort)
    html = page(cohort)
    assert html.count('data-testid="low-match"') == 1
    assert "1 below 40 %" in html

    publish = page(cohort, "pairing:pairs_publish")
    assert "1 pair matches below 40 %: review it or publish anyway" in publish
    assert "Ana Test &amp; Ben Test" in publish and "13 %" in publish
    url = reverse("pairing:pairs_publish", kwargs={"cohort_id": cohort.pk})
    client = admin_client(cohort)
    refused = client.post(url)
    assert refused.status_code == 200
    assert "Tick this box to publish the pairs that match below 40 %" in refused.content.decode()
    assert not Pair.objects.filter(status=Pair.Status.PUBLISHED).exists()

    assert client.post(url, {"publish_low_matches": "on"}).status_code == 302
    assert set(Pair.objects.values_list("status", flat=True)) == {Pair.Status.PUBLISHED}


def test_publishing_without_the_tick_refuses_a_low_match_made_since_the_page_was_shown():
    cohort = make_cohort()
    low_and_good(cohort)
    with pytest.raises(ValidationError, match="1 pair matches below 40 %"):
        pairs_publish(cohort=cohort, by=cohort.admin, notify=False, low_matches_confirmed=False)
    assert pairs_publish(cohort=cohort, by=cohort.admin, notify=False) == 2


def test_without_low_matches_there_is_nothing_to_tick():
    cohort = make_cohort()
    _, good = low_and_good(cohort)
    Pair.objects.filter(percent=13).delete()
    publish = page(cohort, "pairing:pairs_publish")
    assert 'data-testid="publish-low-matches"' not in publish and "below 40 %" not in publish


# --- the quality figure ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("ratio", "words"),
    [
        (1.0, "As good as the best possible pairing"),
        (0.99995, "As good as the best possible pairing"),
        (0.9998, "Within 1 % of the best possible pairing"),
        (0.99, "Within 1 % of the best possible pairing"),
        (0.985, "Within 2 % of the best possible pairing"),
        (0.9, "Within 10 % of the best possible pairing"),
        (0.5, "Within 50 % of the best possible pairing"),
        (0.42, "Less than half as good as the best possible pairing"),
    ],
)
def test_quality_in_words(ratio, words):
    assert quality_words(ratio) == words


def four_to_swap():
    """Ana–Ben and Chloe–Dev fit both ways; the run finds them, a swap spoils them."""
    cohort = make_cohort(skill_weight=10)
    ana = person(cohort, "Ana", offers=["Python"], wants=["Sales"])
    ben = person(cohort, "Ben", offers=["Sales"], wants=["Python"])
    chloe = person(cohort, "Chloe", offers=["Design"], wants=["Law"])
    dev = person(cohort, "Dev", offers=["Law"], wants=["Design"])
    return cohort, ana, ben, chloe, dev


def current(cohort) -> dict:
    return MatchRun.objects.get(cohort=cohort).summary["current"]


def test_the_figure_is_recomputed_after_a_swap_a_lock_an_unlock_and_an_exclusion():
    cohort, ana, ben, chloe, dev = four_to_swap()
    run_now(cohort)
    assert current(cohort)["quality"] == 1.0
    assert "As good as the best possible pairing" in page(cohort)
    groups = proposed_groups(cohort)
    first, second = groups[frozenset({ana.pk, ben.pk})], groups[frozenset({chloe.pk, dev.pk})]

    pairs_swap(pair_a=first, pair_b=second, person_a_id=ben.pk, person_b_id=dev.pk, by=cohort.admin)
    after_swap = current(cohort)
    assert after_swap["change"] == "swap" and after_swap["revision"] == 1
    assert after_swap["total_weight"] == 0 and after_swap["quality"] == 0
    html = page(cohort)
    assert "Less than half as good as the best possible pairing" in html
    assert "Recomputed after your last swap" in html

    # Locking the spoilt Ana–Dev pair: the best possible now keeps it, and is 0 too.
    first.refresh_from_db()
    pair_lock(pair=first, by=cohort.admin, locked=True)
    assert current(cohort)["change"] == "lock" and current(cohort)["quality"] == 1.0
    pair_lock(pair=first, by=cohort.admin, locked=False)
    assert current(cohort)["change"] == "unlock" and current(cohort)["quality"] == 0

    # Excluding it: Ana and Dev wait again, and may never be paired together.
    pair_exclude(pair=first, by=cohort.admin)
    figure = current(cohort)
    assert figure["change"] == "exclude" and figure["revision"] == 4
    assert figure["best"] == 20 and figure["quality"] == 0


def test_an_htmx_lock_updates_the_row_and_the_figure_out_of_band():
    cohort, ana, ben, chloe, dev = four_to_swap()
    run_now(cohort)
    pair = proposed_groups(cohort)[frozenset({ana.pk, ben.pk})]
    response = admin_client(cohort).post(
        reverse("pairing:pair_lock", kwargs={"pair_id": pair.pk}),
        {"locked": "on"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert 'data-testid="unlock-pair"' in html
    assert 'id="proposal-quality"' in html and 'hx-swap-oob="true"' in html
    assert "Recomputed after your last lock" in html


def test_a_large_cohort_gets_its_figure_from_a_worker_and_keeps_a_valid_one_meanwhile(
    monkeypatch, django_capture_on_commit_callbacks
):
    cohort, ana, ben, chloe, dev = four_to_swap()
    run_now(cohort)
    monkeypatch.setattr(quality_service, "QUALITY_SYNC_POOL_LIMIT", 2)
    queued = []
    monkeypatch.setattr(quality_service, "enqueue", lambda name, *args: queued.append(args))
    pair = proposed_groups(cohort)[frozenset({ana.pk, ben.pk})]

    pair_lock(pair=pair, by=cohort.admin, locked=True)
    figure = current(cohort)
    # A lock only forbids pairings: the last best is still a bound, shown meanwhile.
    assert figure["pending"] and figure["quality"] == 1.0 and not figure["best_is_exact"]
    html = page(cohort)
    assert "The background worker is recomputing it after your last lock" in html
    assert 'hx-trigger="every 2s"' in html

    pair_lock(pair=pair, by=cohort.admin, locked=False)
    assert current(cohort)["quality"] is None  # an unlock: no figure until the worker's
    assert "Being recomputed…" in page(cohort)
    assert [args[1] for args in queued] == [1, 2]

    # The first task is outdated (revision 1): it stores nothing; the second stores.
    assert proposal_quality_refresh_task(cohort.pk, 1) is False
    assert current(cohort)["pending"]
    assert proposal_quality_refresh_task(cohort.pk, 2) is True
    figure = current(cohort)
    assert not figure["pending"] and figure["quality"] == 1.0 and figure["best_is_exact"]
    polled = admin_client(cohort).get(
        reverse("pairing:proposal_quality", kwargs={"cohort_id": cohort.pk})
    )
    assert "As good as the best possible pairing" in polled.content.decode()
    assert "every 2s" not in polled.content.decode()


def test_a_swap_in_a_large_cohort_needs_no_worker():
    cohort, ana, ben, chloe, dev = four_to_swap()
    run_now(cohort)
    quality_service.QUALITY_SYNC_POOL_LIMIT, saved = 2, quality_service.QUALITY_SYNC_POOL_LIMIT
    try:
        groups = proposed_groups(cohort)
        first, second = groups[frozenset({ana.pk, ben.pk})], groups[frozenset({chloe.pk, dev.pk})]
        pairs_swap(
            pair_a=first, pair_b=second, person_a_id=ben.pk, person_b_id=dev.pk, by=cohort.admin
        )
    finally:
        quality_service.QUALITY_SYNC_POOL_LIMIT = saved
    figure = current(cohort)
    assert not figure["pending"] and figure["best"] == 20 and figure["quality"] == 0


@pytest.mark.parametrize("count", [2, 120])
def test_the_publish_confirmation_runs_a_constant_number_of_queries(
    count, django_assert_max_num_queries
):
    cohort = make_cohort()
    for i in range(count):
        a = person(cohort, f"A{i}", offers=["Python"], wants=["Sales"])
        b = person(cohort, f"B{i}", offers=["Sales"], wants=["Python"])
        make_pair(a, b, status=Pair.Status.PROPOSED, published_at=None, percent=(i * 7) % 100)
    client = admin_client(cohort)
    url = reverse("pairing:pairs_publish", kwargs={"cohort_id": cohort.pk})
    with django_assert_max_num_queries(15):  # 15 for 2 pairs as for 120 (incl. the bell)
        html = client.get(url).content.decode()
    assert html.count("<tr data-pair-id=") == count
    assert "mentors first" in html.lower()
