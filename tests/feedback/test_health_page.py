"""The pair-health pages: what an admin sees, filters, sorting, query counts, no private text."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from feedback.selectors.balance import pair_balance
from feedback.services.metrics import metrics_compute
from pairing.models import PrivateNote, SessionRole
from programmes.models import ProgrammeRole
from tests.factories import (
    CohortFactory,
    ProgrammeFactory,
    ProgrammeRoleFactory,
    UserFactory,
)
from tests.feedback.conftest import SECRET_TEXT

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(db):
    admin = UserFactory(email="health-admin@example.com")
    programme = ProgrammeFactory(slug="health", name="Health programme", created_by=admin)
    ProgrammeRoleFactory(programme=programme, user=admin, role=ProgrammeRole.Role.ADMIN)
    return programme


@pytest.fixture
def admin_client(client, programme):
    client.force_login(programme.created_by)
    return client


def url(programme, **query) -> str:
    base = reverse("feedback:pair_health", kwargs={"slug": programme.slug})
    if query:
        from urllib.parse import urlencode

        base += "?" + urlencode(query)
    return base


def lopsided_pair(build, programme, cohort=None):
    pair = build.programme_pair(programme=programme, cohort=cohort)
    a, b = build.sides(pair)
    build.alternating(pair, 4)
    for _ in range(5):
        build.item(pair, b, a)
    return pair


def even_pair(build, programme, cohort=None, sessions=4):
    pair = build.programme_pair(programme=programme, cohort=cohort)
    a, b = build.sides(pair)
    build.alternating(pair, sessions, start=timezone.now() - dt.timedelta(days=sessions * 7))
    build.item(pair, a, b)
    build.item(pair, b, a)
    return pair


def rows_in(response) -> list[int]:
    return [row.pair.pk for row in response.context["rows"]]


def make_pairs(build, programme, n: int) -> None:
    cohort = CohortFactory(programme=programme)
    for i in range(n):
        if i % 3 == 0:
            lopsided_pair(build, programme, cohort)
        else:
            even_pair(build, programme, cohort)


def test_the_list_runs_a_constant_number_of_queries(
    build, programme, admin_client, django_assert_max_num_queries
):
    counts = []
    for more in (3, 27):  # 3 pairs, then 30
        make_pairs(build, programme, more)
        metrics_compute()
        # session, user, navigation, programme, summary, cohorts in the filter, count,
        # page, members, side metrics, running snoozes, the bell's unread count: the same
        # for 3 pairs and for 30.
        with django_assert_max_num_queries(14) as captured:
            response = admin_client.get(url(programme))
        assert response.status_code == 200
        counts.append((len(response.context["rows"]), len(captured)))
    assert [rows for rows, _ in counts] == [3, 30]
    assert counts[0][1] == counts[1][1]


def test_the_lopsided_pair_is_flagged_and_listed_first(build, programme, admin_client):
    even = even_pair(build, programme)
    lopsided = lopsided_pair(build, programme)
    metrics_compute()
    response = admin_client.get(url(programme))
    assert rows_in(response) == [lopsided.pk, even.pk]  # lowest reciprocity first
    html = response.content.decode()
    assert 'data-flag="lopsided"' in html
    assert "Metrics as of" in html
    row = response.context["rows"][0]
    assert [key for key, *_ in row.flags] == ["lopsided"]
    assert row.expected_sessions >= 0


def test_filters_by_flag_cohort_and_status(build, programme, admin_client):
    cohort_a = CohortFactory(programme=programme, name="Spring")
    cohort_b = CohortFactory(programme=programme, name="Autumn")
    lopsided = lopsided_pair(build, programme, cohort_a)
    even = even_pair(build, programme, cohort_b)
    completed = even_pair(build, programme, cohort_b)
    completed.status = "completed"
    completed.save(update_fields=["status"])
    metrics_compute()

    assert rows_in(admin_client.get(url(programme, flag="lopsided"))) == [lopsided.pk]
    assert rows_in(admin_client.get(url(programme, flag="any"))) == [lopsided.pk]
    assert set(rows_in(admin_client.get(url(programme, cohort=cohort_b.pk)))) == {
        even.pk,
        completed.pk,
    }
    assert rows_in(admin_client.get(url(programme, status="completed"))) == [completed.pk]
    response = admin_client.get(url(programme, flag="stalled"))
    assert rows_in(response) == []
    assert "No pairs match these filters" in response.content.decode()


def test_an_unknown_filter_value_is_shown_as_an_error_and_ignored(build, programme, admin_client):
    other_cohort = CohortFactory()  # another programme's cohort
    pair = even_pair(build, programme)
    metrics_compute()
    response = admin_client.get(url(programme, cohort=other_cohort.pk))
    assert rows_in(response) == [pair.pk]
    assert response.context["form"].errors["cohort"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("reciprocity", ["lopsided", "even", "fresh"]),
        ("-reciprocity", ["even", "lopsided", "fresh"]),
        ("sessions", ["fresh", "even", "lopsided"]),
        ("-sessions", ["lopsided", "even", "fresh"]),
        ("last_session", ["fresh", "lopsided", "even"]),
        ("-last_session", ["even", "lopsided", "fresh"]),
    ],
)
def test_sorting(build, programme, admin_client, sort, expected):
    pairs = {
        "lopsided": lopsided_pair(build, programme),  # 4 sessions, 14 days apart, long ago
        "even": even_pair(build, programme, sessions=2),  # 2 recent sessions
        "fresh": build.programme_pair(programme=programme),  # no session: no index yet
    }
    metrics_compute()
    by_pk = {pair.pk: name for name, pair in pairs.items()}
    assert [by_pk[pk] for pk in rows_in(admin_client.get(url(programme, sort=sort)))] == expected


def test_pages_of_fifty(build, programme, admin_client):
    make_pairs(build, programme, 52)
    metrics_compute()
    first = admin_client.get(url(programme, flag="", sort="sessions"))
    assert len(first.context["rows"]) == 50
    assert "Page 1 of 2" in first.content.decode()
    second = admin_client.get(url(programme, sort="sessions", page=2))
    assert len(second.context["rows"]) == 2


def test_empty_state(programme, admin_client):
    response = admin_client.get(url(programme))
    html = response.content.decode()
    assert "No published pairs yet" in html
    assert "Metrics have not been computed yet" in html


def test_no_note_reflection_or_item_text_ever_appears(build, programme, admin_client):
    pair = lopsided_pair(build, programme)
    a, b = build.sides(pair)
    session = pair.sessions.first()
    build.reflect(session, a)
    build.goal(pair, a, 30)
    PrivateNote.objects.create(session=session, author=a, text=f"note {SECRET_TEXT}")
    metrics_compute()
    for page in (
        url(programme),
        reverse("feedback:pair_health_detail", kwargs={"pair_id": pair.pk}),
    ):
        response = admin_client.get(page)
        assert response.status_code == 200
        assert SECRET_TEXT not in response.content.decode()


def test_the_detail_page_shows_per_side_figures_and_flags(build, programme, admin_client):
    pair = lopsided_pair(build, programme)
    a, b = build.sides(pair)
    metrics_compute()
    response = admin_client.get(reverse("feedback:pair_health_detail", kwargs={"pair_id": pair.pk}))
    html = response.content.decode()
    assert a.display_name in html and b.display_name in html
    assert 'data-flag="lopsided"' in html
    assert "Introduction 5" in html  # side A's confirmed items by kind
    assert response.context["metric"].sessions_held == 4


def test_the_detail_page_before_any_computation(build, programme, admin_client):
    pair = build.programme_pair(programme=programme)
    response = admin_client.get(reverse("feedback:pair_health_detail", kwargs={"pair_id": pair.pk}))
    assert response.status_code == 200
    assert "No figures yet" in response.content.decode()


def test_recompute_now_queues_one_job_and_shows_its_progress_until_it_is_done(
    programme, admin_client, django_capture_on_commit_callbacks
):
    target = reverse("feedback:pair_health_recompute", kwargs={"slug": programme.slug})
    with django_capture_on_commit_callbacks() as callbacks:
        first = admin_client.post(target, follow=True)
    html = first.content.decode()
    assert "the progress is below, and the figures refresh when it is done" in html
    assert "Recompute queued — waiting for the background worker" in html
    assert "Reload the page" in html  # without JavaScript, a link does it
    assert len(callbacks) == 1  # one task handed to the outbox after commit
    with django_capture_on_commit_callbacks() as callbacks:
        second = admin_client.post(target, follow=True)
    assert "A recompute is already on its way: its progress is below." in second.content.decode()
    assert callbacks == []


def test_the_recompute_task_covers_only_the_programme(build, programme):
    from feedback.models import PairMetric
    from feedback.tasks import metrics_refresh_all_task

    mine = even_pair(build, programme)
    elsewhere = even_pair(build, ProgrammeFactory())
    assert metrics_refresh_all_task(programme.pk) == 1
    assert set(PairMetric.objects.values_list("pair_id", flat=True)) == {mine.pk}
    assert elsewhere.pk != mine.pk


def test_home_card_fragment_lists_programmes_with_flag_counts(
    build, programme, admin_client, django_assert_max_num_queries
):
    lopsided_pair(build, programme)
    even_pair(build, programme)
    metrics_compute()
    with django_assert_max_num_queries(3):  # session, user, one aggregate
        response = admin_client.get(reverse("feedback:attention"))
    html = response.content.decode()
    assert "Health programme" in html
    assert "1 needs attention" in html


def test_home_page_shows_the_card_to_admins_only(programme, admin_client, client, make_user):
    assert "Pairs needing attention" in admin_client.get("/").content.decode()
    client.force_login(make_user())
    assert "Pairs needing attention" not in client.get("/").content.decode()


def test_programme_summary_fragment(build, programme, admin_client):
    lopsided_pair(build, programme)
    metrics_compute()
    response = admin_client.get(
        reverse("feedback:programme_health_summary", kwargs={"slug": programme.slug})
    )
    assert "1 flagged pair" in response.content.decode()
    links = render_to_string("feedback/_programme_links.html", {"programme": programme})
    assert reverse("feedback:pair_health", kwargs={"slug": programme.slug}) in links


# --- the participant's own balance ---------------------------------------------------------------
def test_pair_balance_sentence_and_chart_data(build, programme):
    pair = build.programme_pair(programme=programme)
    a, b = build.sides(pair)
    for mentor, mentee in [(a, b), (b, a), (a, b), (b, a), (a, b)]:
        build.session(pair, {mentor: SessionRole.MENTOR, mentee: SessionRole.MENTEE})
    build.item(pair, b, a)
    for _ in range(4):
        build.item(pair, a, b)
    metrics_compute()
    balance = pair_balance(pair=pair, viewer=a)
    assert balance["sentence"] == (
        "You have mentored 3 of 5 sessions; you received 1 confirmed item, your partner 4."
    )
    assert balance["labels"][0] == "You"
    assert balance["items_received"] == [1, 4]
    html = render_to_string("feedback/_pair_balance.html", {"balance": balance})
    assert "You have mentored 3 of 5 sessions" in html
    assert 'id="pair-balance-hours"' in html and 'id="pair-balance-items"' in html


def test_pair_balance_before_the_first_session(build, programme):
    pair = build.programme_pair(programme=programme)
    a, _ = build.sides(pair)
    assert pair_balance(pair=pair, viewer=a) is None  # not computed yet
    metrics_compute()
    assert pair_balance(pair=pair, viewer=a) is None  # computed, no held session
    html = render_to_string("feedback/_pair_balance.html", {"balance": None})
    assert "Your balance appears after your first logged session." in html
