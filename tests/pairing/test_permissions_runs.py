"""Pairing runs and proposals: the permission ladder for every URL, query counts, and what
each page and action does for the people allowed to use it."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pairing.models import MatchRun, Pair, PairingExclusion
from programmes.models import Participant
from tests.factories import ParticipantFactory, UserFactory, make_pair
from tests.permissions import ADMINS_ONLY, MEMBER_ONLY, check_row
from tests.world import ACTORS

pytestmark = pytest.mark.django_db


ADMIN_ONLY_POST = {**ADMINS_ONLY, "admin": 302, "superuser": 302}


@pytest.fixture
def proposal(world):
    """A proposed pair of two newcomers in the world's cohort (the world's pairs are active)."""
    a = ParticipantFactory(cohort=world.cohort, user=UserFactory(email="new-a@world.example"))
    b = ParticipantFactory(cohort=world.cohort, user=UserFactory(email="new-b@world.example"))
    return make_pair(a, b, status=Pair.Status.PROPOSED, published_at=None)


def cohort_kwargs(w):
    return {"cohort_id": w.cohort.pk}


GET_ROWS = [
    ("pairing:cohort_pairs", cohort_kwargs, ADMINS_ONLY),
    ("pairing:run_progress", cohort_kwargs, ADMINS_ONLY),
    ("pairing:proposal_quality", cohort_kwargs, ADMINS_ONLY),
    ("pairing:pairs_swap", cohort_kwargs, ADMINS_ONLY),
    ("pairing:pairs_publish", cohort_kwargs, ADMINS_ONLY),
    ("pairing:pair_exclude", lambda w: {"pair_id": w.proposal.pk}, ADMINS_ONLY),
    ("pairing:end_request", lambda w: {"pair_id": w.pair.pk}, MEMBER_ONLY),
]
# Non-destructive POSTs: every actor in turn (the admin's action is harmless to repeat).
POST_ROWS = [
    ("pairing:run_start", cohort_kwargs, ADMIN_ONLY_POST),
    ("pairing:pair_lock", lambda w: {"pair_id": w.proposal.pk}, ADMIN_ONLY_POST),
]


@pytest.mark.parametrize("row", GET_ROWS, ids=[r[0] for r in GET_ROWS])
def test_get_permission_ladder(world, proposal, row):
    world.proposal = proposal
    assert check_row(world, row) == []


@pytest.mark.parametrize("row", POST_ROWS, ids=[r[0] for r in POST_ROWS])
def test_post_permission_ladder(world, proposal, row):
    world.proposal = proposal
    assert check_row(world, row, method="post") == []


def _outsiders_post(world, url: str, allowed: set[str]) -> list[str]:
    problems = []
    for actor in ACTORS:
        if actor in allowed:
            continue
        response = world.client_for(actor).post(url, {"reason": "x" * 20, "confirm": "on"})
        want = 302 if actor == "anonymous" else 404
        if response.status_code != want:
            problems.append(f"POST {url} as {actor}: {response.status_code} != {want}")
    return problems


def test_destructive_posts_by_outsiders_change_nothing(world, proposal):
    exclude = reverse("pairing:pair_exclude", kwargs={"pair_id": proposal.pk})
    publish = reverse("pairing:pairs_publish", kwargs={"cohort_id": world.cohort.pk})
    end = reverse("pairing:end_request", kwargs={"pair_id": world.pair.pk})
    swap = reverse("pairing:pairs_swap", kwargs={"cohort_id": world.cohort.pk})
    admins = {"admin", "superuser"}
    assert _outsiders_post(world, exclude, admins) == []
    assert _outsiders_post(world, publish, admins) == []
    assert _outsiders_post(world, swap, admins) == []
    assert _outsiders_post(world, end, {"member"}) == []
    proposal.refresh_from_db()
    world.pair.refresh_from_db()
    assert proposal.status == Pair.Status.PROPOSED
    assert world.pair.status == Pair.Status.ACTIVE
    assert not PairingExclusion.objects.exists()


def test_a_proposal_is_not_a_members_pair_yet(world, proposal):
    """Members reach their pair only once it is published (pair_get_for_member)."""
    client = Client()
    client.force_login(proposal.members.first().participant.user)
    url = reverse("pairing:end_request", kwargs={"pair_id": proposal.pk})
    assert client.get(url).status_code == 404


# --- query counts -------------------------------------------------------------------------
def _proposals(cohort, count: int) -> None:
    for i in range(count):
        a = ParticipantFactory(cohort=cohort, user=UserFactory(email=f"q{i}a@world.example"))
        b = ParticipantFactory(cohort=cohort, user=UserFactory(email=f"q{i}b@world.example"))
        make_pair(a, b, status=Pair.Status.PROPOSED, published_at=None, percent=i % 100)


@pytest.mark.parametrize("pairs", [2, 120])
def test_cohort_pairing_page_runs_a_constant_number_of_queries(
    world, pairs, django_assert_max_num_queries
):
    _proposals(world.cohort, pairs)
    MatchRun.objects.create(
        cohort=world.cohort,
        status=MatchRun.Status.SUCCEEDED,
        summary={"quality": 0.9997, "total_weight": 9.997, "upper_bound": 10.0, "unmatched": []},
    )
    client = world.client_for("admin")
    url = reverse("pairing:cohort_pairs", kwargs={"cohort_id": world.cohort.pk})
    # 11, 2 for the skills of the page's people (who mentors first), 1 for the bell.
    with django_assert_max_num_queries(14):
        response = client.get(url + "?page=2" if pairs > 50 else url)
    assert response.status_code == 200
    rows = response.content.decode().count('data-testid="proposal-row"')
    assert rows == (50 if pairs > 50 else pairs)


# --- what the pages and actions do -------------------------------------------------------------
def _admin(world) -> Client:
    return world.client_for("admin")


def test_the_pairing_page_shows_quality_unmatched_reasons_and_the_proposal(world, proposal):
    proposal.percent, proposal.reasons = 87, ["Both ways: each can teach the other (A ↔ B)"]
    proposal.save()
    MatchRun.objects.create(
        cohort=world.cohort,
        status=MatchRun.Status.SUCCEEDED,
        summary={
            "quality": 0.99971,
            "total_weight": 9.9971,
            "upper_bound": 10.0,
            "pair_count": 1,
            "unmatched": [
                {"participant_id": 1, "name": "Zoe Left", "reason": "every other candidate is …"}
            ],
            "seconds": 0.2,
        },
    )
    page = _admin(world).get(reverse("pairing:cohort_pairs", kwargs={"cohort_id": world.cohort.pk}))
    html = page.content.decode()
    # In words; the exact figure is in the details (a run stored before figures were words).
    assert "Within 1 % of the best possible pairing" in html
    assert "99.97 % of" in html and "a proven ceiling" in html
    assert "Zoe Left" in html and "every other candidate is" in html
    assert "87 %" in html and "Both ways: each can teach the other" in html
    assert "Publish 1 pair" in html and "Re-run for the unlocked rest" in html
    assert 'id="percent-histogram"' in html


def test_the_empty_pairing_page_explains_what_to_do(world):
    page = _admin(world).get(reverse("pairing:cohort_pairs", kwargs={"cohort_id": world.cohort.pk}))
    assert 'data-testid="empty-proposal"' in page.content.decode()
    assert "Propose pairs" in page.content.decode()


def test_propose_queues_a_run_and_the_progress_partial_polls_then_refreshes(world, proposal):
    client = _admin(world)
    response = client.post(reverse("pairing:run_start", kwargs={"cohort_id": world.cohort.pk}))
    assert response.status_code == 302
    run = MatchRun.objects.get()
    assert run.status == MatchRun.Status.QUEUED and run.started_by == world.admin

    progress_url = reverse("pairing:run_progress", kwargs={"cohort_id": world.cohort.pk})
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.RUNNING, progress=0.42)
    polling = client.get(progress_url, HTTP_HX_REQUEST="true")
    html = polling.content.decode()
    assert 'hx-trigger="every 1s"' in html and 'aria-valuenow="42"' in html
    assert "HX-Refresh" not in polling.headers
    page = client.get(reverse("pairing:cohort_pairs", kwargs={"cohort_id": world.cohort.pk}))
    assert 'data-testid="run-progress"' in page.content.decode()
    assert "disabled" in page.content.decode()  # no second run while one is going

    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.SUCCEEDED, progress=1.0)
    done = client.get(progress_url, HTTP_HX_REQUEST="true")
    assert done.headers["HX-Refresh"] == "true"


def test_lock_toggle_with_htmx_returns_the_updated_row(world, proposal):
    url = reverse("pairing:pair_lock", kwargs={"pair_id": proposal.pk})
    response = _admin(world).post(url, {"locked": "on"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'data-testid="unlock-pair"' in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.locked
    _admin(world).post(url, {})
    proposal.refresh_from_db()
    assert not proposal.locked


def test_exclude_asks_for_confirmation_then_drops_the_pair(world, proposal):
    client = _admin(world)
    url = reverse("pairing:pair_exclude", kwargs={"pair_id": proposal.pk})
    assert "Exclude this pair?" in client.get(url).content.decode()
    assert Pair.objects.filter(pk=proposal.pk).exists()
    assert client.post(url).status_code == 302
    assert not Pair.objects.filter(pk=proposal.pk).exists()
    assert PairingExclusion.objects.count() == 1


def test_swap_page_previews_the_change_then_swaps_on_confirmation(world, proposal):
    c = ParticipantFactory(cohort=world.cohort, user=UserFactory(email="new-c@world.example"))
    d = ParticipantFactory(cohort=world.cohort, user=UserFactory(email="new-d@world.example"))
    other = make_pair(c, d, status=Pair.Status.PROPOSED, published_at=None)
    a, b = (m.participant for m in proposal.members.order_by("position"))
    client = _admin(world)
    url = reverse("pairing:pairs_swap", kwargs={"cohort_id": world.cohort.pk})

    preview = client.get(url, {"person_a": b.pk, "person_b": c.pk}).content.decode()
    assert 'data-testid="swap-preview"' in preview and 'data-testid="swap-delta"' in preview
    assert set(proposal.members.values_list("participant", flat=True)) == {a.pk, b.pk}

    response = client.post(url, {"person_a": b.pk, "person_b": c.pk})
    assert response.status_code == 302
    assert set(proposal.members.values_list("participant", flat=True)) == {a.pk, c.pk}
    assert set(other.members.values_list("participant", flat=True)) == {b.pk, d.pk}


def test_swap_within_one_pair_is_refused_next_to_the_form(world, proposal):
    a, b = (m.participant for m in proposal.members.all())
    url = reverse("pairing:pairs_swap", kwargs={"cohort_id": world.cohort.pk})
    page = _admin(world).get(url, {"person_a": a.pk, "person_b": b.pk}).content.decode()
    assert "two different pairs" in page


def test_publish_confirmation_then_publish(world, proposal):
    world.programme.status = "matching"
    world.programme.save()
    client = _admin(world)
    url = reverse("pairing:pairs_publish", kwargs={"cohort_id": world.cohort.pk})
    Pair.objects.filter(pk=proposal.pk).update(percent=80)
    assert "Publish 1 pair?" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Pair.Status.PUBLISHED and proposal.first_mentor is not None


def test_member_ends_their_pair_with_a_reason_and_confirmation(world):
    client = world.client_for("member")
    url = reverse("pairing:end_request", kwargs={"pair_id": world.pair.pk})
    form = client.get(url).content.decode()
    assert "Why should the pair end?" in form
    missing = client.post(url, {"reason": "We never met once."})
    assert "Tick the box to confirm" in missing.content.decode()
    world.pair.refresh_from_db()
    assert world.pair.status == Pair.Status.ACTIVE

    done = client.post(url, {"reason": "We never met once.", "confirm": "on"})
    assert done.status_code == 302
    world.pair.refresh_from_db()
    assert world.pair.status == Pair.Status.ENDED_EARLY
    assert world.pair.end_requested_by == world.member
    assert Participant.objects.get(pk=world.partner.pk).status == Participant.Status.ENROLLED
    again = client.get(url).content.decode()
    assert "nothing to end" in again


def test_a_run_that_never_finished_does_not_block_the_admin(world, proposal):
    run = MatchRun.objects.create(cohort=world.cohort, status=MatchRun.Status.QUEUED)
    MatchRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - dt.timedelta(hours=3))
    page = _admin(world).get(reverse("pairing:cohort_pairs", kwargs={"cohort_id": world.cohort.pk}))
    html = page.content.decode()
    assert "This run never finished" in html
    assert 'data-testid="run-progress"' not in html  # no endless polling
    assert "Publish 1 pair" in html
