"""A programme admin corrects, moves, withdraws and re-invites one participant from the cohort
table; every change is audited and shown; the participant's own answers are never theirs."""

import pytest
from django.core import mail
from django.urls import reverse

from mentoring.errors import RuleViolation
from pairing.models import MatchRun, Pair
from programmes.models import AuditEvent, Invitation, Participant, Programme, Skill
from programmes.selectors import recent_changes
from programmes.services.participant_corrections import participant_move
from programmes.services.participants import participant_invite, participant_withdraw
from tests.factories import CohortFactory, ParticipantFactory, UserFactory, make_pair

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"programmes:{name}", args=args)


@pytest.fixture
def admin_client(client, setup):
    client.force_login(setup.admin)
    return client


@pytest.fixture
def autumn(setup):
    return CohortFactory(programme=setup.programme, name="Autumn 2026")


@pytest.fixture
def invitee(setup):
    """Invited, not accepted yet, with a manager in the cohort."""
    boss = ParticipantFactory(cohort=setup.cohort, email="boss@acme.example", first_name="Bo")
    return participant_invite(
        cohort=setup.cohort,
        by=setup.admin,
        base_url="http://testserver",
        email="ivy@acme.example",
        first_name="Ivy",
        last_name="Invitee",
        department="Sales",
        manager_email=boss.email,
    )


@pytest.fixture
def enrolled(setup):
    python = Skill.objects.get(programme=setup.programme, name="Python")
    person = ParticipantFactory(
        cohort=setup.cohort,
        user=UserFactory(email="ana@acme.example", first_name="Ana", last_name="Silva"),
        department="Engineering",
        goals="Speak at the all-hands.",
    )
    person.skills_offered.set([python])
    return person


def _details(person: Participant, **changes) -> dict:
    data = {
        name: getattr(person, name) if getattr(person, name) is not None else ""
        for name in (
            "first_name",
            "last_name",
            "email",
            "department",
            "location",
            "job_title",
            "seniority",
            "manager_email",
            "time_zone",
        )
    }
    return data | changes


# --- the cohort table leads to each person --------------------------------------------------
def test_every_row_of_the_cohort_table_has_a_manage_link(admin_client, setup, enrolled):
    html = admin_client.get(url("cohort_detail", setup.cohort.pk)).content.decode()
    assert f'href="{url("participant_manage", enrolled.pk)}"' in html
    assert f'aria-label="Manage {enrolled.display_name}: edit, move, withdraw">Manage<' in html
    page = admin_client.get(url("participant_manage", enrolled.pk)).content.decode()
    for heading in ("Profile details you own", "Move to another cohort", "Withdraw from the"):
        assert heading in page


# --- edit ------------------------------------------------------------------------------------
def test_edit_saves_the_admin_owned_fields_and_audits_which(admin_client, setup, enrolled):
    response = admin_client.post(
        url("participant_edit", enrolled.pk),
        _details(enrolled, department="Product", job_title="Product Manager", seniority=7),
        follow=True,
    )
    assert "Saved: department, job title, level." in response.content.decode()
    enrolled.refresh_from_db()
    assert (enrolled.department, enrolled.job_title, enrolled.seniority) == (
        "Product",
        "Product Manager",
        7,
    )
    # The participant's own answers are untouched.
    assert enrolled.goals == "Speak at the all-hands."
    assert [s.name for s in enrolled.skills_offered.all()] == ["Python"]
    event = AuditEvent.objects.get(action="participant.updated")
    assert event.actor == setup.admin
    assert event.detail["fields"] == ["department", "job_title", "seniority"]
    # Shown in "Recent changes" and on the person's page, in words.
    what = recent_changes(programme=setup.programme)[0].what
    assert what == "edited Ana Silva (ana@acme.example) (department, job title, level)"
    assert what in response.content.decode()


def test_the_edit_form_has_no_field_for_the_participants_own_answers(admin_client, enrolled):
    form = admin_client.get(url("participant_manage", enrolled.pk)).context["details_form"]
    assert not {"skills_offered", "skills_wanted", "goals", "gender", "birth_year"} & set(
        form.fields
    )
    assert form.fields["email"].disabled  # accepted: the address they sign in with


def test_an_accepted_participants_email_cannot_be_changed(admin_client, enrolled):
    admin_client.post(
        url("participant_edit", enrolled.pk), _details(enrolled, email="other@acme.example")
    )
    enrolled.refresh_from_db()
    assert enrolled.email == "ana@acme.example"


def test_an_invitees_new_email_gets_a_fresh_invitation(
    admin_client, setup, invitee, inline_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url("participant_edit", invitee.pk), _details(invitee))  # no change
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url("participant_edit", invitee.pk),
            _details(invitee, email="Ivy.New@acme.example"),
            follow=True,
        )
    assert "Saved: email." in response.content.decode()
    invitee.refresh_from_db()
    assert invitee.email == "ivy.new@acme.example"
    assert Invitation.objects.get(participant=invitee).email == "ivy.new@acme.example"
    assert [m.to for m in mail.outbox] == [["ivy.new@acme.example"]]


def test_an_email_someone_else_in_the_programme_has_is_refused_next_to_the_field(
    admin_client, setup, invitee, autumn
):
    ParticipantFactory(cohort=autumn, email="taken@acme.example")
    response = admin_client.post(
        url("participant_edit", invitee.pk), _details(invitee, email="taken@acme.example")
    )
    assert response.status_code == 200
    assert response.context["details_form"].errors["email"] == [
        "Someone in this programme already has this email."
    ]


def test_a_new_manager_email_relinks_the_reporting_line(admin_client, setup, invitee):
    other_boss = ParticipantFactory(cohort=setup.cohort, email="cleo@acme.example")
    admin_client.post(
        url("participant_edit", invitee.pk), _details(invitee, manager_email="cleo@acme.example")
    )
    invitee.refresh_from_db()
    assert invitee.manager == other_boss


# --- move ------------------------------------------------------------------------------------
def test_move_takes_the_invitation_along_and_relinks_managers(admin_client, setup, invitee, autumn):
    report = ParticipantFactory(cohort=setup.cohort, manager=invitee, manager_email=invitee.email)
    autumn_boss = ParticipantFactory(cohort=autumn, email="boss2@acme.example")
    invitee.manager_email = autumn_boss.email
    invitee.save(update_fields=["manager_email"])
    response = admin_client.post(
        url("participant_move", invitee.pk), {"cohort": autumn.pk}, follow=True
    )
    assert "Ivy Invitee is now in Autumn 2026." in response.content.decode()
    invitee.refresh_from_db()
    assert invitee.cohort == autumn
    assert invitee.manager == autumn_boss
    assert Invitation.objects.get(participant=invitee).cohort == autumn
    report.refresh_from_db()
    assert report.manager is None and report.manager_email == invitee.email
    event = AuditEvent.objects.get(action="participant.moved")
    assert (event.detail["previous"], event.detail["cohort"]) == ("Spring 2026", "Autumn 2026")
    assert "moved Ivy Invitee (ivy@acme.example) from “Spring 2026” to “Autumn 2026”" in (
        response.content.decode()
    )


def test_someone_in_a_live_pair_is_not_moved_and_told_why(admin_client, setup, enrolled, autumn):
    partner = ParticipantFactory(cohort=setup.cohort)
    make_pair(enrolled, partner)
    page = admin_client.get(url("participant_manage", enrolled.pk)).content.decode()
    assert "is in a live pair in Spring 2026" in page  # said before anyone tries
    response = admin_client.post(url("participant_move", enrolled.pk), {"cohort": autumn.pk})
    assert "is in a live pair in Spring 2026" in response.content.decode()
    enrolled.refresh_from_db()
    assert enrolled.cohort == setup.cohort


def test_moving_drops_their_unpublished_proposal(setup, enrolled, autumn):
    partner = ParticipantFactory(cohort=setup.cohort)
    proposal = make_pair(enrolled, partner, status=Pair.Status.PROPOSED, published_at=None)
    participant_move(participant=enrolled, to_cohort=autumn, by=setup.admin)
    assert not Pair.objects.filter(pk=proposal.pk).exists()
    partner.refresh_from_db()
    assert partner.status == Participant.Status.ENROLLED  # back in the pool


def test_no_move_while_a_pairing_run_computes_the_old_cohort(setup, enrolled, autumn):
    MatchRun.objects.create(cohort=setup.cohort, status=MatchRun.Status.RUNNING)
    with pytest.raises(RuleViolation, match="A pairing run is in progress for Spring 2026"):
        participant_move(participant=enrolled, to_cohort=autumn, by=setup.admin)
    enrolled.refresh_from_db()
    assert enrolled.cohort == setup.cohort


def test_a_move_stays_inside_the_programme(setup, enrolled):
    elsewhere = CohortFactory(name="Elsewhere")
    with pytest.raises(RuleViolation):
        participant_move(participant=enrolled, to_cohort=elsewhere, by=setup.admin)


# --- withdraw ----------------------------------------------------------------------------------
REASON = "Moved to the Singapore office; will rejoin the next intake there."


def test_an_admin_withdraws_through_the_participants_service(admin_client, setup, enrolled, client):
    response = admin_client.post(
        url("participant_withdraw_admin", enrolled.pk), {"reason": REASON}, follow=True
    )
    assert response.context["withdraw_form"].errors["confirm"]  # confirmation required
    response = admin_client.post(
        url("participant_withdraw_admin", enrolled.pk),
        {"reason": REASON, "confirm": "on"},
        follow=True,
    )
    assert "Ana Silva is withdrawn." in response.content.decode()
    enrolled.refresh_from_db()
    assert enrolled.status == Participant.Status.WITHDRAWN
    assert enrolled.withdrawn_by == setup.admin
    event = AuditEvent.objects.get(action="participant.withdrawn_by_admin")
    assert event.actor == setup.admin and REASON not in str(event.detail)
    # The reason is the admins': on the person's page and in the cohort table...
    assert REASON in response.content.decode()
    table = admin_client.get(url("cohort_detail", setup.cohort.pk)).content.decode()
    assert REASON in table


def test_the_participant_sees_an_admin_withdrew_them_but_never_the_admins_reason(setup, enrolled):
    participant_withdraw(participant=enrolled, reason=REASON, by=setup.admin)
    from django.test import Client

    client = Client()
    client.force_login(enrolled.user)
    html = client.get(url("my_programme")).content.decode()
    assert "A programme admin withdrew you from this programme" in html
    assert REASON not in html
    assert "Singapore" not in html


def test_the_participants_own_withdrawal_still_reads_as_theirs(setup, enrolled):
    participant_withdraw(participant=enrolled, reason="Too busy this quarter.")
    enrolled.refresh_from_db()
    assert enrolled.withdrawn_by == enrolled.user
    assert AuditEvent.objects.filter(action="participant.withdrew", actor=enrolled.user).exists()


def test_a_paired_participant_is_not_withdrawn_by_an_admin(admin_client, setup, enrolled):
    make_pair(enrolled, ParticipantFactory(cohort=setup.cohort))
    with pytest.raises(RuleViolation, match="Ana Silva is in a live pair"):
        participant_withdraw(participant=enrolled, reason=REASON, by=setup.admin)


# --- resend, the participant's pointer, the query count -------------------------------------------
def test_resend_from_the_persons_page_comes_back_to_it(
    admin_client, invitee, inline_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url("participant_resend", invitee.pk), {"back": "participant"}, follow=True
        )
    assert response.redirect_chain[-1][0] == url("participant_manage", invitee.pk)
    assert "A new invitation is on its way to ivy@acme.example." in response.content.decode()
    assert "sent a new invitation to ivy@acme.example" in response.content.decode()


def test_tell_your_programme_admin_names_them_and_what_they_can_correct(setup, enrolled):
    from django.test import Client

    client = Client()
    client.force_login(enrolled.user)
    html = client.get(url("profile", enrolled.pk)).content.decode()
    assert "Something wrong? Tell your programme admin (Priya Natarajan): they can correct" in html
    assert "or move you to another cohort" in html


def test_the_persons_page_has_a_constant_query_count(
    admin_client, setup, invitee, autumn, django_assert_max_num_queries
):
    for _ in range(3):
        admin_client.post(
            url("participant_edit", invitee.pk), _details(invitee, department="x" + _ * "y")
        )
        invitee.refresh_from_db()
    with django_assert_max_num_queries(14):
        assert admin_client.get(url("participant_manage", invitee.pk)).status_code == 200


def test_closed_programmes_refuse_corrections(admin_client, setup, invitee):
    Programme.objects.filter(pk=setup.programme.pk).update(status=Programme.Status.CLOSED)
    response = admin_client.post(
        url("participant_edit", invitee.pk), _details(invitee, department="Finance")
    )
    assert "This programme is closed" in response.content.decode()
    invitee.refresh_from_db()
    assert invitee.department == "Sales"
