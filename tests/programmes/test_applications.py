"""Self-nomination: a published sign-up link, one application per person, the admins' queue,
approval into a cohort (then charter and profile as any invitee), decline with a message,
the decision emailed; and "why do you want to join" read by the programme's admins only."""

import pytest
from celery import current_app
from django.core import mail
from django.test import Client
from django.urls import reverse

from mentoring.errors import RuleViolation
from programmes.models import Application, AuditEvent, NominationLink, Participant, Programme, Skill
from programmes.services.applications import (
    application_approve,
    application_decision_email,
    application_decline,
    application_submit,
    nomination_link_enable,
)
from tests.factories import CohortFactory, ParticipantFactory, UserFactory, make_pair

pytestmark = pytest.mark.django_db

WHY = "I want a partner from finance who can teach me budgeting, zebra-kiwi-7."


def url(name: str, *args, **kwargs) -> str:
    return reverse(f"programmes:{name}", args=args, kwargs=kwargs or None)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def eager_tasks():
    """Tasks enqueued after commit run in this process, so their emails can be read."""
    conf = current_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager = conf.task_eager_propagates = True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


@pytest.fixture
def link(setup) -> NominationLink:
    return nomination_link_enable(programme=setup.programme, cohort=setup.cohort, by=setup.admin)


@pytest.fixture
def colleague():
    return UserFactory(email="gabi@acme.example", first_name="Gabriela", last_name="Rossi")


def _form(setup, **changes) -> dict:
    python = Skill.objects.get(programme=setup.programme, name="Python")
    budgeting = Skill.objects.get(programme=setup.programme, name="Budgeting")
    return {
        "first_name": "Gabriela",
        "last_name": "Rossi",
        "department": "Marketing",
        "job_title": "Brand Manager",
        "location": "Milan",
        "time_zone": "Europe/Rome",
        "seniority": "",
        "skills_offered": [python.pk],
        "skills_wanted": [budgeting.pk],
        "motivation": WHY,
    } | changes


def _submit(setup, link, user) -> Application:
    return application_submit(
        link=link,
        user=user,
        first_name=user.first_name,
        last_name=user.last_name,
        department="Marketing",
        job_title="Brand Manager",
        location="Milan",
        time_zone="Europe/Rome",
        seniority=None,
        skills_offered=list(Skill.objects.filter(programme=setup.programme, name="Python")),
        skills_wanted=[],
        motivation=WHY,
    )


# --- the link ---------------------------------------------------------------------------------
def test_the_programme_page_publishes_a_link_with_a_copy_button(client, setup):
    client.force_login(setup.admin)
    response = client.post(url("nomination_link_enable", slug="acme"), {"cohort": ""}, follow=True)
    assert "The sign-up link is on" in response.content.decode()
    link = NominationLink.objects.get(programme=setup.programme)
    assert link.cohort is None and len(link.token) >= 32  # 24 random bytes: not guessable
    html = response.content.decode()
    full = "http://testserver" + url("apply", token=link.token)
    assert f'value="{full}"' in html
    assert f'data-copy-target="#nomination-url-{link.pk}"' in html
    assert "published a sign-up link for the programme" in html  # Recent changes


def test_switching_off_kills_the_link_and_on_again_makes_a_new_one(client, setup, link):
    client.force_login(setup.admin)
    old = url("apply", token=link.token)
    client.post(url("nomination_link_disable", link_id=link.pk))
    assert client.get(old).status_code == 404
    assert "This sign-up link does not work" in client.get(old).content.decode()
    again = nomination_link_enable(programme=setup.programme, cohort=setup.cohort, by=setup.admin)
    assert again.token != link.token
    assert AuditEvent.objects.filter(action="nomination_link.disabled").count() == 1


# --- applying -----------------------------------------------------------------------------------
def test_an_anonymous_visitor_is_asked_to_sign_in_or_sign_up_and_comes_back(client, link):
    page = url("apply", token=link.token)
    html = client.get(page).content.decode()
    assert "Acme reciprocal mentoring" in html
    assert f"/accounts/signup/?next={page}" in html
    assert f"/accounts/login/?next={page}" in html


def test_a_colleague_applies_once_and_is_told_so_afterwards(setup, link, colleague):
    client = client_of(colleague)
    page = url("apply", token=link.token)
    html = client.get(page).content.decode()
    assert "Why do you want to join?" in html
    assert "Only this programme's admins read this." in html  # the promise, on the form
    assert "data-skills-autocomplete" in html  # the vocabulary, with the autocomplete
    response = client.post(page, _form(setup), follow=True)
    assert "Your application to Acme reciprocal mentoring is sent." in response.content.decode()
    application = Application.objects.get(user=colleague)
    assert (application.status, application.cohort) == ("new", setup.cohort)
    assert [s.name for s in application.skills_offered.all()] == ["Python"]
    # The home page says where it stands.
    assert "Waiting for the programme admins" in response.content.decode()
    # A second visit says so instead of a second form.
    again = client.get(page).content.decode()
    assert "You have already applied" in again and "Send my application" not in again


def test_why_is_required_and_limited(setup, link, colleague):
    client = client_of(colleague)
    page = url("apply", token=link.token)
    response = client.post(page, _form(setup, motivation=""))
    assert response.context["form"].errors["motivation"] == [
        "Say in a few sentences why you want to join."
    ]
    response = client.post(page, _form(setup, motivation="x" * 1501))
    assert "at most 1500 characters" in str(response.context["form"].errors["motivation"])
    assert not Application.objects.exists()


def test_after_a_decision_applying_again_says_so(setup, link, colleague):
    application = _submit(setup, link, colleague)
    application_decline(application=application, by=setup.admin, message="", base_url="")
    with pytest.raises(RuleViolation, match="declined the application"):
        _submit(setup, link, colleague)
    html = client_of(colleague).get(url("apply", token=link.token)).content.decode()
    assert "One application per person per programme" in html


def test_someone_already_in_the_programme_cannot_apply(setup, link):
    member = ParticipantFactory(cohort=setup.cohort)
    with pytest.raises(RuleViolation, match="already part of this programme"):
        _submit(setup, link, member.user)


# --- deciding ----------------------------------------------------------------------------------
def test_the_queue_counts_and_lists_oldest_first_with_pagination(client, setup, link):
    for i in range(23):
        _submit(setup, link, UserFactory(email=f"applicant{i}@acme.example"))
    client.force_login(setup.admin)
    response = client.get(url("application_queue", slug="acme"))
    page = response.context["page"]
    assert response.context["counts"] == {"new": 23, "approved": 0, "declined": 0}
    assert len(page.object_list) == 20 and page.paginator.num_pages == 2
    emails = [a.user.email for a in page.object_list]
    assert emails[0] == "applicant0@acme.example" and emails[-1] == "applicant19@acme.example"
    assert "Page 1 of 2" in response.content.decode()
    second = client.get(url("application_queue", slug="acme"), {"status": "new", "page": 2})
    assert len(second.context["page"].object_list) == 3


def test_the_queue_has_a_constant_query_count(client, setup, link, django_assert_max_num_queries):
    client.force_login(setup.admin)
    counts = []
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for start in (0, 5):
        for i in range(start, start + 5 + start):
            _submit(setup, link, UserFactory(email=f"q{i}@acme.example"))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("application_queue", slug="acme")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_approving_enrols_them_as_an_invitee_who_signs_the_charter(
    client, setup, link, colleague, eager_tasks, django_capture_on_commit_callbacks
):
    application = _submit(setup, link, colleague)
    autumn = CohortFactory(programme=setup.programme, name="Autumn 2026")
    client.force_login(setup.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("application_approve", application_id=application.pk),
            {"cohort": autumn.pk},
            follow=True,
        )
    assert "Gabriela Rossi joins Autumn 2026." in response.content.decode()
    participant = Participant.objects.get(user=colleague)
    assert participant.cohort == autumn
    assert (
        participant.status == Participant.Status.INVITED and participant.charter_accepted_at is None
    )
    assert (participant.department, participant.time_zone) == ("Marketing", "Europe/Rome")
    assert [s.name for s in participant.skills_offered.all()] == ["Python"]
    application.refresh_from_db()
    assert (application.status, application.participant) == ("approved", participant)
    # One email: the decision, with the link to the charter (no separate invitation email).
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["gabi@acme.example"]
    assert "accepted" in message.body
    assert url("charter", participant_id=participant.pk) in message.body
    assert WHY not in message.body
    # They go on as every invitee: the charter is theirs.
    applicant = client_of(colleague)
    assert applicant.get(url("charter", participant_id=participant.pk)).status_code == 200
    home = applicant.get("/").content.decode()
    assert "Accepted" in home and "into Autumn 2026" in home
    assert (
        "approved the application of Gabriela Rossi (gabi@acme.example)"
        in client.get(url("programme_detail", slug="acme")).content.decode()
    )


def test_declining_emails_the_message_and_the_home_page_shows_it(
    client, setup, link, colleague, eager_tasks, django_capture_on_commit_callbacks
):
    application = _submit(setup, link, colleague)
    client.force_login(setup.admin)
    assert client.get(url("application_decline", application_id=application.pk)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("application_decline", application_id=application.pk),
            {"message": "The autumn intake opens in September: apply then!"},
        )
    application.refresh_from_db()
    assert application.status == "declined" and application.decided_by == setup.admin
    assert len(mail.outbox) == 1
    assert "The autumn intake opens in September: apply then!" in mail.outbox[0].body
    home = client_of(colleague).get("/").content.decode()
    assert "Not accepted this time" in home and "The autumn intake opens" in home


def test_the_decision_email_is_sent_once(setup, link, colleague):
    application = _submit(setup, link, colleague)
    application_decline(application=application, by=setup.admin, message="", base_url="")
    assert application_decision_email(application_id=application.pk, base_url="") == 1
    assert application_decision_email(application_id=application.pk, base_url="") == 0
    assert len(mail.outbox) == 1


def test_a_decided_application_cannot_be_decided_again(setup, link, colleague):
    application = _submit(setup, link, colleague)
    application_decline(application=application, by=setup.admin, message="", base_url="")
    with pytest.raises(RuleViolation, match="already declined"):
        application_approve(
            application=application, cohort=setup.cohort, by=setup.admin, base_url=""
        )


def test_approval_waits_for_enrolment_to_open(setup, link, colleague):
    application = _submit(setup, link, colleague)
    Programme.objects.filter(pk=setup.programme.pk).update(status=Programme.Status.DRAFT)
    application.refresh_from_db()
    with pytest.raises(RuleViolation, match="open enrolment first"):
        application_approve(
            application=application, cohort=setup.cohort, by=setup.admin, base_url=""
        )
    assert not Participant.objects.filter(user=colleague).exists()


# --- the promise: "Only this programme's admins read this." ----------------------------------------
def test_why_is_read_by_the_programmes_admins_only(setup, link, colleague):
    """The admins' queue shows it; the partner, HR, another programme's admin and the Django
    admin's pages never do (nor the applicant's own pages, after sending it)."""
    application = _submit(setup, link, colleague)
    queue = url("application_queue", slug="acme")
    assert WHY in client_of(setup.admin).get(queue).content.decode()

    participant = application_approve(
        application=application, cohort=setup.cohort, by=setup.admin, base_url=""
    )
    partner = ParticipantFactory(cohort=setup.cohort)
    pair = make_pair(participant, partner)
    hr = UserFactory(email="hr@acme.example")
    setup.programme.roles.create(user=hr, role="hr")
    other_admin = UserFactory(email="other-admin@acme.example")
    other = CohortFactory().programme
    other.roles.create(user=other_admin, role="admin")
    root = UserFactory(email="root@acme.example", is_staff=True, is_superuser=True)

    pages = {
        partner.user: [
            reverse("feedback:pair_detail", kwargs={"pair_id": pair.pk}),
            "/",
            url("my_programme"),
        ],
        hr: [queue, url("programme_detail", slug="acme"), "/"],
        other_admin: [queue, url("application_queue", slug=other.slug), "/"],
        colleague: ["/", url("my_programme"), url("apply", token=link.token)],
        root: [
            reverse("admin:programmes_participant_change", args=[participant.pk]),
            reverse("admin:programmes_participant_changelist"),
        ],
    }
    for user, urls in pages.items():
        client = client_of(user)
        for page in urls:
            response = client.get(page)
            assert WHY not in response.content.decode(), f"{user.email} reads it at {page}"
    assert client_of(hr).get(queue).status_code == 404
    assert client_of(other_admin).get(queue).status_code == 404
    # And the audit trail, which all admins read, never carries it.
    assert WHY not in str(list(AuditEvent.objects.values_list("detail", flat=True)))
