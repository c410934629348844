"""The admin's pages and the participant's journey, through the test client."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from programmes.models import (
    AuditEvent,
    Cohort,
    Invitation,
    Participant,
    Programme,
    ProgrammeRole,
    Skill,
)
from programmes.services.participants import participant_invite
from tests.factories import ParticipantFactory, ProgrammeRoleFactory, SkillFactory, UserFactory
from tests.tokens import emailed_invitation_token, invitation_of_token, invitation_token_issue

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"programmes:{name}", args=args)


@pytest.fixture
def admin_client(client, setup):
    client.force_login(setup.admin)
    return client


# --- programmes -----------------------------------------------------------------------------
def test_create_programme_makes_the_creator_its_admin(admin_client, setup):
    today = timezone.localdate()
    response = admin_client.post(
        url("programme_create"),
        {
            "name": "Reverse mentoring for leaders",
            "slug": "",
            "description": "Juniors mentor the leadership team.",
            "kind": "reverse",
            "alternation": "split",
            "cadence_days": 21,
            "starts_on": today + dt.timedelta(days=30),
            "ends_on": today + dt.timedelta(days=300),
            "charter": "We take turns.",
            "skill_weight": 10,
            "cross_gender_weight": 0,
            "cross_generation_weight": 8,
            "cross_department_weight": 3,
            "cross_location_weight": 0,
            "forbid_same_department": "on",
            "allow_trio": "on",
            "max_utc_offset_difference": 6,
            "benefit_weight_learning": 2,
            "benefit_weight_goals": 2,
            "benefit_weight_ledger": 4,
            "benefit_weight_mentee_time": 1,
            "benefit_weight_outcomes": 3,
            "reciprocity_threshold": "0.6",
        },
    )
    programme = Programme.objects.get(slug="reverse-mentoring-for-leaders")
    assert response.status_code == 302
    assert response["Location"] == url("programme_detail", programme.slug)
    assert programme.status == Programme.Status.DRAFT
    assert programme.forbid_same_department and programme.cross_generation_weight == 8
    assert ProgrammeRole.objects.filter(
        programme=programme, user=setup.admin, role=ProgrammeRole.Role.ADMIN
    ).exists()
    assert AuditEvent.objects.filter(programme=programme, action="programme.created").exists()


def test_programme_form_explains_every_setting_and_reports_errors_in_place(admin_client):
    page = admin_client.get(url("programme_create"))
    for text in (
        "Benefit metrics",
        "Pairing",
        "Reporting lines (a manager and their direct report) are always forbidden",
        "Pairs whose reciprocity index",
        "Bonus for pairing people of different genders",
    ):
        assert text in page.text
    response = admin_client.post(
        url("programme_create"),
        {"name": "X", "starts_on": "2027-05-01", "ends_on": "2027-04-01", "cadence_days": 500},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["ends_on"] == ["The end date must be after the start date."]
    assert "cadence_days" in form.errors
    assert not Programme.objects.filter(name="X").exists()


def test_edit_records_the_changed_fields(admin_client, setup):
    page = admin_client.get(url("programme_edit", "acme"))
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data.update(name="Acme mentoring 2027", cross_gender_weight=7)
    for key in ("forbid_same_department", "allow_trio"):
        if not data.get(key):
            data.pop(key, None)
    response = admin_client.post(url("programme_edit", "acme"), data)
    assert response.status_code == 302, response.context["form"].errors
    event = AuditEvent.objects.get(action="programme.updated")
    assert sorted(event.detail["fields"]) == ["cross_gender_weight", "name"]


def test_programme_list_and_home_card_for_admins(admin_client, setup):
    page = admin_client.get(url("programme_list"))
    assert "Acme reciprocal mentoring" in page.text
    home = admin_client.get("/")
    assert "Programmes you run" in home.text
    assert url("programme_list") in home.text


def test_a_user_granted_the_add_permission_may_create_programmes(client):
    from django.contrib.auth.models import Permission

    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="add_programme"))
    client.force_login(user)
    assert client.get(url("programme_create")).status_code == 200
    assert "No programmes yet" in client.get(url("programme_list")).text


# --- cohorts --------------------------------------------------------------------------------
def test_cohort_create_checks_dates_within_the_programme(admin_client, setup):
    programme = setup.programme
    response = admin_client.post(
        url("cohort_create", "acme"),
        {
            "name": "Autumn",
            "starts_on": programme.starts_on,
            "ends_on": programme.ends_on + dt.timedelta(days=1),
        },
    )
    assert "A cohort runs within the programme" in response.text
    response = admin_client.post(
        url("cohort_create", "acme"),
        {"name": "spring 2026", "starts_on": programme.starts_on, "ends_on": programme.ends_on},
    )
    assert "already has a cohort with this name" in response.text
    response = admin_client.post(
        url("cohort_create", "acme"),
        {"name": "Autumn", "starts_on": programme.starts_on, "ends_on": programme.ends_on},
    )
    cohort = Cohort.objects.get(name="Autumn")
    assert response["Location"] == url("cohort_detail", cohort.pk)


def test_cohort_edit_keeps_its_own_name(admin_client, setup):
    cohort = setup.cohort
    response = admin_client.post(
        url("cohort_edit", cohort.pk),
        {"name": cohort.name, "starts_on": cohort.starts_on, "ends_on": cohort.ends_on},
    )
    assert response.status_code == 302


def _cohort_of(setup, n: int) -> None:
    skills = list(setup.programme.skills.all())
    manager = ParticipantFactory(cohort=setup.cohort, department="Finance")
    for i in range(n - 1):
        p = ParticipantFactory(
            cohort=setup.cohort,
            department=["Finance", "Sales", "Engineering"][i % 3],
            job_title="Analyst" if i % 2 else "Engineer",
            manager=manager,
            status=[Participant.Status.ENROLLED, Participant.Status.INVITED][i % 2],
        )
        p.skills_offered.set(skills[: 1 + i % 3])
        p.skills_wanted.set(skills[3:])
        Invitation.objects.create(participant=p, email=p.email, cohort=setup.cohort)


def test_cohort_page_has_a_constant_query_count(admin_client, setup, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (5, 55):  # 5 participants, then 60
        _cohort_of(setup, n)
        with django_assert_max_num_queries(16), CaptureQueriesContext(connection) as queries:
            page = admin_client.get(url("cohort_detail", setup.cohort.pk))
        assert page.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert len(page.context["page"].object_list) == 50  # first of two pages
    with django_assert_max_num_queries(counts[0] + 1):  # +1: the skill filter's own lookup
        admin_client.get(url("cohort_detail", setup.cohort.pk), {"page": 2, "skill": 1})


def test_programme_pages_have_a_constant_query_count(
    admin_client, setup, django_assert_max_num_queries
):
    from tests.factories import CohortFactory

    for i in range(6):
        cohort = CohortFactory(programme=setup.programme, name=f"Intake {i}")
        ParticipantFactory(cohort=cohort)
    with django_assert_max_num_queries(14):
        admin_client.get(url("programme_detail", "acme"))
    with django_assert_max_num_queries(9):
        admin_client.get(url("programme_list"))
    with django_assert_max_num_queries(10):
        admin_client.get(url("skills", "acme"))


def test_cohort_search_filters_counts_and_pagination(admin_client, setup):
    _cohort_of(setup, 60)
    ParticipantFactory(
        cohort=setup.cohort,
        first_name="Zelda",
        last_name="Quartermaine",
        job_title="Chief Cartographer",
        department="Legal",
    )
    page = admin_client.get(url("cohort_detail", setup.cohort.pk))
    counts = page.context["counts"]
    assert counts["total"] == 61
    assert counts["invited"] == 29 and counts["enrolled"] == 32
    assert page.context["page"].paginator.num_pages == 2
    assert "29 invited" in page.text

    found = admin_client.get(url("cohort_detail", setup.cohort.pk), {"q": "cartographer"})
    assert [p.last_name for p in found.context["page"].object_list] == ["Quartermaine"]
    legal = admin_client.get(url("cohort_detail", setup.cohort.pk), {"department": "Legal"})
    assert legal.context["page"].paginator.count == 1
    invited = admin_client.get(url("cohort_detail", setup.cohort.pk), {"status": "invited"})
    assert invited.context["page"].paginator.count == 29
    python = Skill.objects.get(programme=setup.programme, name="Python")
    by_skill = admin_client.get(url("cohort_detail", setup.cohort.pk), {"skill": python.pk})
    assert all(
        python in p.skills_offered.all() or python in p.skills_wanted.all()
        for p in by_skill.context["page"].object_list
    )
    empty = admin_client.get(url("cohort_detail", setup.cohort.pk), {"q": "nobody-at-all"})
    assert "No participants match these filters" in empty.text


def test_export_follows_the_filters(admin_client, setup):
    _cohort_of(setup, 10)
    response = admin_client.get(url("cohort_export", setup.cohort.pk), {"department": "Sales"})
    body = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert body[0].startswith("email,first_name,last_name,department")
    assert len(body) == 1 + Participant.objects.filter(department="Sales").count()
    assert "gender" not in body[0] and "birth_year" not in body[0]  # never exported


# --- invite one -----------------------------------------------------------------------------
def test_invite_one_person(admin_client, setup, inline_tasks, django_capture_on_commit_callbacks):
    python = Skill.objects.get(name="Python")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url("participant_invite", setup.cohort.pk),
            {
                "email": "New.Person@Acme.example",
                "first_name": "New",
                "last_name": "Person",
                "department": "Sales",
                "seniority": 4,
                "manager_email": "boss@acme.example",
                "time_zone": "Europe/Paris",
                "skills_offered": [python.pk],
            },
            follow=True,
        )
    participant = Participant.objects.get(email="new.person@acme.example")
    assert participant.status == Participant.Status.INVITED and participant.user is None
    assert [s.name for s in participant.skills_offered.all()] == ["Python"]
    assert "New Person is invited. The email is on its way." in response.text
    assert "Manager boss@acme.example is not in this cohort" in response.text  # warning
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@acme.example"]
    assert message.subject == "You are invited to Acme reciprocal mentoring"
    token = emailed_invitation_token(message.body)
    assert f"http://testserver/programmes/invitations/{token}/" in message.body
    assert message.alternatives and token in message.alternatives[0][0]
    assert invitation_of_token(token) == participant.invitation


def test_invite_one_reports_problems_next_to_the_fields(admin_client, setup):
    ParticipantFactory(cohort=setup.cohort, email="taken@acme.example")
    response = admin_client.post(
        url("participant_invite", setup.cohort.pk),
        {"email": "taken@acme.example", "time_zone": "UTC", "seniority": 12},
    )
    form = response.context["form"]
    assert form.errors["email"] == ["Already in this cohort (enrolled)."]
    assert "seniority" in form.errors


def test_resend_gives_a_fresh_link(
    admin_client, setup, inline_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        participant = participant_invite(
            cohort=setup.cohort, by=setup.admin, base_url="http://t", email="late@acme.example"
        )
    invitee = Client()  # not signed in, like someone opening the email
    old = emailed_invitation_token(mail.outbox[0].body)
    assert invitee.get(url("invitation", old)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url("participant_resend", participant.pk))
    assert len(mail.outbox) == 2
    new = emailed_invitation_token(mail.outbox[1].body)
    assert new != old
    # The old link stops working; the new one leads to the same invitation.
    assert invitee.get(url("invitation", old)).status_code == 404
    assert invitation_of_token(new) == participant.invitation
    assert invitee.get(url("invitation", new)).status_code == 200
    assert AuditEvent.objects.filter(action="invitation.resent").exists()


# --- the invitee's journey ------------------------------------------------------------------
@pytest.fixture
def invitation(setup):
    participant = participant_invite(
        cohort=setup.cohort,
        by=setup.admin,
        base_url="http://t",
        email="newcomer@acme.example",
        first_name="Nia",
        last_name="Newcomer",
        department="Finance",
        job_title="Analyst",
    )
    return participant.invitation


@pytest.fixture
def link(invitation) -> str:
    """The token of the invitee's link, as their email would carry it."""
    return invitation_token_issue(invitation)


def test_anonymous_invitee_sees_the_programme_and_prefilled_sign_up(client, invitation, link):
    page = client.get(url("invitation", link))
    assert "Acme reciprocal mentoring" in page.text
    assert "The charter you will be asked to accept" in page.text
    signup = (
        f"/accounts/signup/?email=newcomer%40acme.example&amp;next=/programmes/invitations/{link}/"
    )
    assert signup in page.text
    assert 'name="login" id="invite-login" value="newcomer@acme.example"' in page.text
    # The token waits in the session: once signed in, the home page offers to continue.
    client.force_login(UserFactory(email="newcomer@acme.example"))
    assert "Continue my invitation" in client.get("/").text
    client.logout()
    # allauth pre-fills the sign-up form from ?email=.
    form = client.get("/accounts/signup/?email=newcomer@acme.example").context["form"]
    assert form.initial["email"] == "newcomer@acme.example"


def test_sign_up_from_the_invitation_comes_back_to_it(client, invitation, link):
    response = client.post(
        f"/accounts/signup/?next=/programmes/invitations/{link}/",
        {
            "first_name": "Nia",
            "last_name": "Newcomer",
            "email": "newcomer@acme.example",
            "password1": "Reciprocal-2026!",
            "password2": "Reciprocal-2026!",
            "next": f"/programmes/invitations/{link}/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/programmes/invitations/{link}/"


def test_accept_charter_profile_and_my_programme(client, invitation, setup, link):
    user = UserFactory(email="Newcomer@acme.example".lower(), first_name="Nia")
    client.force_login(user)
    page = client.get(url("invitation", link))
    assert "Join the programme" in page.text
    response = client.post(url("invitation", link))
    participant = Participant.objects.get(pk=invitation.participant_id)
    assert participant.user == user
    assert response["Location"] == url("charter", participant.pk)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert "Continue my invitation" not in client.get("/").text

    # The profile waits for the charter.
    assert client.get(url("profile", participant.pk))["Location"] == url("charter", participant.pk)
    refused = client.post(url("charter", participant.pk), {})
    assert "Tick the box to accept the charter" in refused.text
    response = client.post(url("charter", participant.pk), {"accept": "on"})
    assert response["Location"] == url("profile", participant.pk)

    python, budgeting = Skill.objects.get(name="Python"), Skill.objects.get(name="Budgeting")
    response = client.post(
        url("profile", participant.pk),
        {
            "skills_offered": [python.pk],
            "skills_wanted": [budgeting.pk],
            "goals": "Learn to run a budget.",
            "time_zone": "Europe/Lisbon",
            "demographics_consent": "on",
            "gender": "woman",
            "birth_year": 1994,
        },
        follow=True,
    )
    participant.refresh_from_db()
    assert participant.status == Participant.Status.ENROLLED
    assert participant.charter_accepted_at is not None
    assert (participant.gender, participant.birth_year) == ("woman", 1994)
    assert "You are enrolled. Here is what happens next." in response.text
    assert "When enrolment closes, the programme admins pair everyone" in response.text
    # Second click on the invitation link: straight to "My programme".
    assert client.get(url("invitation", link))["Location"] == url("my_programme")
    assert "My programme" in client.get("/").text


def test_demographics_are_kept_only_with_consent(client, setup):
    participant = ParticipantFactory(
        cohort=setup.cohort, demographics_consent=True, gender="man", birth_year=1980
    )
    client.force_login(participant.user)
    refused = client.post(
        url("profile", participant.pk),
        {"time_zone": "UTC", "gender": "man", "birth_year": 1980},
    )
    assert "Tick this box to let us store your gender and birth year" in refused.text
    client.post(url("profile", participant.pk), {"time_zone": "UTC"})
    participant.refresh_from_db()
    assert not participant.demographics_consent
    assert participant.gender == "" and participant.birth_year is None


def test_expired_and_used_invitations_say_so(client, invitation, setup, link):
    user = UserFactory(email="newcomer@acme.example")
    client.force_login(user)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    page = client.get(url("invitation", link))
    assert "This invitation has expired. Ask the programme admin" in page.text
    assert "Join the programme" not in page.text
    client.post(url("invitation", link))
    assert Participant.objects.get(pk=invitation.participant_id).user is None

    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() + dt.timedelta(days=1), accepted_at=timezone.now()
    )
    page = client.get(url("invitation", link))
    assert "This invitation has already been used." in page.text


def test_an_invitation_accepted_by_a_secondary_verified_address(client, invitation, link):
    from allauth.account.models import EmailAddress

    user = UserFactory(email="nia.private@example.org")
    EmailAddress.objects.create(user=user, email="newcomer@acme.example", verified=True)
    client.force_login(user)
    client.post(url("invitation", link))
    assert Participant.objects.get(pk=invitation.participant_id).user == user


def test_withdraw_needs_a_reason_and_a_confirmation(client, setup):
    participant = ParticipantFactory(cohort=setup.cohort)
    client.force_login(participant.user)
    refused = client.post(url("withdraw", participant.pk), {"reason": ""})
    assert "Tell the admins briefly why you are leaving." in refused.text
    assert "Tick the box to confirm." in refused.text
    response = client.post(
        url("withdraw", participant.pk),
        {"reason": "New role, no time.", "confirm": "on"},
        follow=True,
    )
    participant.refresh_from_db()
    assert participant.status == Participant.Status.WITHDRAWN
    assert participant.withdrawn_reason == "New role, no time."
    assert "You have withdrawn from Acme reciprocal mentoring." in response.text
    assert "Your reason: “New role, no time.”" in response.text
    assert AuditEvent.objects.filter(action="participant.withdrew").exists()


def test_a_paired_participant_ends_the_pair_before_withdrawing(world):
    client = world.client_for("member")
    page = client.get(url("withdraw", world.member.pk))
    assert "first ask to end your pair" in page.text
    client.post(url("withdraw", world.member.pk), {"reason": "Busy", "confirm": "on"})
    world.member.refresh_from_db()
    assert world.member.status == Participant.Status.PAIRED


def test_my_programme_empty_state(client):
    client.force_login(UserFactory())
    assert "You are not part of a mentoring programme yet." in client.get(url("my_programme")).text


# --- roles ----------------------------------------------------------------------------------
def test_add_and_remove_roles(admin_client, setup):
    UserFactory(email="helen@acme.example", first_name="Helen", last_name="Okafor")
    response = admin_client.post(
        url("roles", "acme"), {"email": "Helen@Acme.example", "role": "hr"}, follow=True
    )
    assert "Helen Okafor is now hr viewer." in response.text
    role = ProgrammeRole.objects.get(user__email="helen@acme.example")
    assert role.role == ProgrammeRole.Role.HR and role.granted_by == setup.admin

    # An address with no account is invited by email (tests/programmes/test_staff_invitations.py).
    unknown = admin_client.post(
        url("roles", "acme"), {"email": "ghost@acme.example", "role": "hr"}, follow=True
    )
    assert "Nobody has an account with ghost@acme.example yet" in unknown.text

    admin_client.post(url("role_revoke", role.pk))
    assert not ProgrammeRole.objects.filter(pk=role.pk).exists()
    assert list(
        AuditEvent.objects.filter(action__startswith="role.").values_list("action", flat=True)
    ) == ["role.revoked", "role.granted"]


def test_the_last_admin_cannot_be_removed(admin_client, setup):
    own = ProgrammeRole.objects.get(user=setup.admin, programme=setup.programme)
    response = admin_client.post(url("role_revoke", own.pk), follow=True)
    assert "A programme needs at least one admin" in response.text
    assert ProgrammeRole.objects.filter(pk=own.pk).exists()
    second = ProgrammeRoleFactory(programme=setup.programme, user=UserFactory())
    admin_client.post(url("role_revoke", own.pk))
    assert not ProgrammeRole.objects.filter(pk=own.pk).exists()
    assert ProgrammeRole.objects.filter(pk=second.pk).exists()


# --- skills ---------------------------------------------------------------------------------
def test_add_skill_refuses_duplicates_case_insensitively(admin_client, setup):
    admin_client.post(url("skills", "acme"), {"name": "  Machine   learning "})
    assert Skill.objects.filter(programme=setup.programme, name="Machine learning").exists()
    again = admin_client.post(url("skills", "acme"), {"name": "machine LEARNING"})
    assert "is already in the vocabulary" in again.text


def test_merge_duplicates_moves_every_participant_once(admin_client, setup):
    python = Skill.objects.get(name="Python")
    py3 = SkillFactory(programme=setup.programme, name="Python 3")
    py = SkillFactory(programme=setup.programme, name="py")
    both = ParticipantFactory(cohort=setup.cohort)
    both.skills_offered.set([python, py3])
    only_dup = ParticipantFactory(cohort=setup.cohort)
    only_dup.skills_wanted.set([py])
    # The first POST shows the confirmation page (tests/programmes/test_confirmations.py).
    response = admin_client.post(
        url("skill_merge", "acme"),
        {"keep": python.pk, "duplicates": [py3.pk, py.pk], "confirmed": "yes"},
        follow=True,
    )
    assert "Merged “Python 3”, “py” into “Python”." in response.text
    assert not Skill.objects.filter(pk__in=[py3.pk, py.pk]).exists()
    assert list(both.skills_offered.all()) == [python]
    assert list(only_dup.skills_wanted.all()) == [python]
    event = AuditEvent.objects.get(action="skill.merged")
    assert event.detail == {"skill": "Python", "merged": ["Python 3", "py"]}
    refused = admin_client.post(
        url("skill_merge", "acme"), {"keep": python.pk, "duplicates": [python.pk]}
    )
    assert "Tick at least one skill other than the one you keep." in refused.text


def test_skills_of_another_programme_cannot_be_merged(admin_client, setup):
    foreign = SkillFactory(name="Foreign")
    python = Skill.objects.get(name="Python")
    response = admin_client.post(
        url("skill_merge", "acme"), {"keep": python.pk, "duplicates": [foreign.pk]}
    )
    assert response.status_code == 200
    assert Skill.objects.filter(pk=foreign.pk).exists()


def test_recent_changes_list_on_the_programme_page(admin_client, setup):
    admin_client.post(url("skills", "acme"), {"name": "Kubernetes"})
    page = admin_client.get(url("programme_detail", "acme"))
    assert "added the skill “Kubernetes”" in page.text
    assert "Priya Natarajan" in page.text


def test_nav_links_for_admins_and_participants(client, setup):
    participant = ParticipantFactory(cohort=setup.cohort)
    client.force_login(participant.user)
    home = client.get("/").text
    assert 'href="/programmes/my/"' in home and 'href="/programmes/"' not in home
    client.force_login(setup.admin)
    home = client.get("/").text
    assert 'href="/programmes/"' in home


def test_anonymous_visitors_of_an_expired_or_used_invitation_are_told(client, invitation, link):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    page = client.get(url("invitation", link))
    assert "This invitation has expired." in page.text
    assert "Create account" not in page.text
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    page = client.get(url("invitation", link))
    assert "This invitation has been accepted. Sign in to continue." in page.text
    assert "Create account" not in page.text and "Already have an account?" in page.text


def test_the_django_admin_never_shows_demographics(world):
    client = world.client_for("superuser")
    for model in ("programme", "cohort", "skill", "participant", "invitation", "auditevent"):
        assert client.get(f"/django-admin/programmes/{model}/").status_code == 200, model
    page = client.get(f"/django-admin/programmes/participant/{world.member.pk}/change/")
    assert page.status_code == 200
    assert "birth_year" not in page.text and 'name="gender"' not in page.text
