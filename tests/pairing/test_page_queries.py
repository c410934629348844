"""The participant's busiest pages stay cheap: a query budget per page, so a second read of
the pair's seats, or the navbar loading every permission, does not creep back (``make proof``).

Each budget counts everything the page does for a signed-in member: the session and the
user (2), the access check (the pair and its seats, 2), the navbar (3) and the bell (1),
then what the page itself reads.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pairing.models import MentoringSession, SessionRole
from pairing.selectors.sides import pair_sides
from pairing.services.sessions import session_log, session_schedule
from programmes.navigation import navigation_for
from tests.factories import CohortFactory, ParticipantFactory, ProgrammeFactory, make_pair

pytestmark = pytest.mark.django_db


def _pair(held: int = 3):
    cohort = CohortFactory(programme=ProgrammeFactory())
    a, b = ParticipantFactory(cohort=cohort), ParticipantFactory(cohort=cohort)
    pair = make_pair(a, b)
    now = timezone.now()
    session = None
    for i in range(held):
        start = now - dt.timedelta(days=60 - 7 * i)
        session = session_schedule(
            pair=pair, by=a, scheduled_start=start, now=start - dt.timedelta(days=1)
        )
        session_log(
            session=session,
            by=a,
            status=MentoringSession.Status.HELD,
            actual_minutes=60,
            roles={a.pk: SessionRole.MENTOR, b.pk: SessionRole.MENTEE},
        )
    session_schedule(pair=pair, by=a, scheduled_start=now + dt.timedelta(days=5))
    client = Client()
    client.force_login(a.user)
    client.get("/")  # warm-up: the session cookie, the CSRF cookie
    return pair, a, session, client


@pytest.mark.parametrize(
    ("name", "budget"),
    [
        ("pairing:session_schedule", 8),  # + nothing: the slot people are the access seats
        ("pairing:session_log_past", 9),  # + the held count (whose turn it is)
        ("feedback:pair_detail", 19),
    ],
)
def test_the_pair_pages_stay_within_their_query_budget(name, budget, django_assert_max_num_queries):
    pair, _, _, client = _pair()
    url = reverse(name, args=[pair.pk])
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200


def test_the_reflection_form_stays_within_its_query_budget(django_assert_max_num_queries):
    _, _, session, client = _pair()
    url = reverse("feedback:reflection", args=[session.pk])
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200


def test_the_access_check_seats_serve_the_pages_sides(django_assert_num_queries):
    pair, a, _, _ = _pair(held=0)
    from pairing.permissions import pair_get_for_member

    checked, me = pair_get_for_member(user=a.user, pair_id=pair.pk)
    with django_assert_num_queries(0):
        sides = pair_sides(pair=checked)
        with_accounts = pair_sides(pair=checked, users=True)
    assert [p.pk for p in sides] == [p.pk for p in pair_sides(pair=pair)]
    assert [p.pk for p in with_accounts] == [p.pk for p in sides]
    assert me in sides
    with django_assert_num_queries(2):  # skills: only their own two queries
        with_skills = pair_sides(pair=checked, skills=True)
    assert [p.pk for p in with_skills] == [p.pk for p in sides]


def test_the_navbar_is_three_short_queries(django_assert_num_queries):
    _, a, _, _ = _pair(held=0)
    with django_assert_num_queries(3):  # roles, participation, the create permission
        nav = navigation_for(a.user)
    assert nav.is_participant
    assert not nav.is_programme_admin
    assert not nav.is_hr_viewer


def test_the_navbar_reads_the_create_permission_from_groups_too():
    _, a, _, _ = _pair(held=0)
    group = Group.objects.create(name="Programme creators")
    group.permissions.add(Permission.objects.get(codename="add_programme"))
    assert not navigation_for(a.user).is_programme_admin
    a.user.groups.add(group)
    assert navigation_for(a.user).is_programme_admin
    a.user.is_active = False  # as ModelBackend: an inactive user holds no permission
    assert not navigation_for(a.user).is_programme_admin
