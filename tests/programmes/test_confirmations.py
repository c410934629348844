"""Confirmations the right way round: what is sent or lost is shown first, on a page that
needs no script, and irreversible actions are secondary buttons.

Open enrolment previews the invitations (count per cohort, the email itself) and sends only
on confirmation; closing needs the programme's name typed; removing a role and merging
skills have their own confirmation pages; publishing while enrolling offers the start.
"""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.errors import RuleViolation
from pairing.models import Pair
from pairing.services.matching import match_run_start
from pairing.services.pairs import pairs_publish
from programmes.models import Cohort, Participant, Programme, ProgrammeRole, Skill
from programmes.services.imports import import_apply
from programmes.services.participants import participant_invite
from programmes.services.programmes import programme_transition_options
from tests.factories import (
    CohortFactory,
    ParticipantFactory,
    ProgrammeRoleFactory,
    SkillFactory,
    UserFactory,
    make_pair,
)

pytestmark = pytest.mark.django_db
Status = Programme.Status


def url(name: str, *args) -> str:
    return reverse(f"programmes:{name}", args=args)


@pytest.fixture
def admin_client(client, setup):
    client.force_login(setup.admin)
    return client


@pytest.fixture
def draft(setup, inline_tasks, django_capture_on_commit_callbacks):
    """The setup programme as a draft with invitations prepared in two cohorts: two in
    Spring, one in Autumn, and one of a person who withdrew (not emailed)."""
    Programme.objects.filter(pk=setup.programme.pk).update(status=Status.DRAFT)
    setup.programme.refresh_from_db()
    autumn = CohortFactory(
        programme=setup.programme,
        name="Autumn 2026",
        starts_on=setup.cohort.starts_on + dt.timedelta(days=90),
    )
    with django_capture_on_commit_callbacks(execute=True):
        for cohort, email, first in (
            (setup.cohort, "zoe@acme.example", "Zoe"),
            (setup.cohort, "leo@acme.example", "Leo"),
            (autumn, "amira@acme.example", "Amira"),
            (autumn, "gone@acme.example", "Gone"),
        ):
            participant_invite(
                cohort=cohort, by=setup.admin, base_url="http://t", email=email, first_name=first
            )
    Participant.objects.filter(email="gone@acme.example").update(
        status=Participant.Status.WITHDRAWN
    )
    assert mail.outbox == []
    return setup.programme


# --- open enrolment ---------------------------------------------------------------------------
def test_the_status_button_does_not_open_enrolment_without_the_preview(
    admin_client, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(url("programme_status", draft.slug), {"target": "enrolling"})
    assert response.status_code == 302
    assert response["Location"] == url("programme_open_enrolment", draft.slug)
    assert callbacks == [] and mail.outbox == []
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_post_without_the_confirmed_count_sends_nothing(
    admin_client, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        page = admin_client.post(url("programme_open_enrolment", draft.slug))
    assert page.status_code == 200
    assert callbacks == [] and mail.outbox == []
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_the_preview_shows_the_count_per_cohort_and_the_email_itself(admin_client, draft):
    page = admin_client.get(url("programme_open_enrolment", draft.slug)).text
    assert "<strong>3</strong> invitations will be emailed as soon as you confirm." in page
    rows = re.findall(
        r'data-testid="cohort-count"><td>(.*?)</td><td class="text-end">(\d+)</td>', page
    )
    assert rows == [("Spring 2026", "2"), ("Autumn 2026", "1")]
    assert "Open enrolment and email 3 invitations" in page
    # The email as the first invitee gets it: subject, plain text and the formatted text.
    assert "As Zoe" in page or "As Leo" in page
    subject = re.search(r'data-testid="mail-subject">(.*?)<', page)[1]
    assert subject == "You are invited to Acme reciprocal mentoring"
    text = re.search(r'data-testid="mail-text">(.*?)</pre>', page, re.S)[1]
    assert "Priya Natarajan invites you to join &quot;Acme reciprocal mentoring&quot;" in text
    assert "(Spring 2026, " in text
    assert "/programmes/invitations/example-link-made-for-each-invitee/" in text
    formatted = re.search(r'data-testid="mail-html">(.*?)</div>\s*<details', page, re.S)[1]
    assert "<strong>Acme reciprocal mentoring</strong>" in formatted
    assert "Join the programme" in formatted
    assert "style=" not in formatted and "<a " not in formatted  # CSP-safe, goes nowhere
    assert mail.outbox == []


def test_confirming_sends_exactly_the_invitations_shown(
    admin_client, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = admin_client.post(
            url("programme_open_enrolment", draft.slug), {"expected_invitations": 3}, follow=True
        )
    assert "The programme is now enrolling. 3 invitations are being emailed." in page.text
    assert sorted(m.to[0] for m in mail.outbox) == [
        "amira@acme.example",
        "leo@acme.example",
        "zoe@acme.example",
    ]
    draft.refresh_from_db()
    assert draft.status == Status.ENROLLING


def test_a_changed_count_sends_nothing_and_shows_the_new_figures(
    admin_client, draft, setup, django_capture_on_commit_callbacks
):
    participant_invite(
        cohort=setup.cohort, by=setup.admin, base_url="http://t", email="n@a.example"
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        page = admin_client.post(
            url("programme_open_enrolment", draft.slug), {"expected_invitations": 3}
        )
    assert "The number of invitations to send changed since you opened this page" in page.text
    assert "(3 then, 4 now)" in page.text
    assert "<strong>4</strong> invitations will be emailed" in page.text
    assert callbacks == [] and mail.outbox == []
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_zero_invitations_says_so_and_still_opens(admin_client, setup):
    Programme.objects.filter(pk=setup.programme.pk).update(status=Status.DRAFT)
    page = admin_client.get(url("programme_open_enrolment", "acme")).text
    assert "No invitation is waiting: <strong>nobody is emailed now</strong>" in page
    assert 'data-testid="mail-preview"' not in page
    done = admin_client.post(
        url("programme_open_enrolment", "acme"), {"expected_invitations": 0}, follow=True
    )
    assert "No invitation was waiting; the ones you add from now on go out at once." in done.text
    assert Programme.objects.get(pk=setup.programme.pk).status == Status.ENROLLING


def test_the_page_says_what_is_missing(admin_client, setup):
    Programme.objects.filter(pk=setup.programme.pk).update(status=Status.DRAFT, charter="")
    page = admin_client.get(url("programme_open_enrolment", "acme")).text
    assert "Write the charter participants accept when they join." in page
    assert re.search(r'data-testid="confirm-open" disabled', page)
    refused = admin_client.post(
        url("programme_open_enrolment", "acme"), {"expected_invitations": 0}, follow=True
    )
    assert "Not yet: Write the charter" in refused.text
    assert Programme.objects.get(pk=setup.programme.pk).status == Status.DRAFT


def test_open_enrolment_is_a_secondary_step_once_open(admin_client, setup):
    page = admin_client.get(url("programme_open_enrolment", "acme")).text
    assert "Enrolment is already open: this programme is enrolling." in page
    assert 'data-testid="confirm-open"' not in page


# --- closing ----------------------------------------------------------------------------------
@pytest.fixture
def running(setup):
    Programme.objects.filter(pk=setup.programme.pk).update(
        status=Status.RUNNING, starts_on=timezone.localdate() - dt.timedelta(days=30)
    )
    setup.programme.refresh_from_db()
    make_pair(ParticipantFactory(cohort=setup.cohort), ParticipantFactory(cohort=setup.cohort))
    return setup.programme


def test_close_is_a_secondary_button_leading_to_its_page(admin_client, running):
    page = admin_client.get(url("programme_detail", "acme")).text
    block = re.search(r'data-testid="transition-closed".*?</form>', page, re.S)[0]
    assert 'method="get"' in block and url("programme_close", "acme") in block
    assert "btn-outline-danger" in block and "btn-brand" not in block
    response = admin_client.post(url("programme_status", "acme"), {"target": "closed"})
    assert response["Location"] == url("programme_close", "acme")
    assert Programme.objects.get(pk=running.pk).status == Status.RUNNING


def test_the_close_page_explains_what_happens(admin_client, running):
    page = admin_client.get(url("programme_close", "acme")).text
    assert "Closing cannot be undone." in page
    assert "2 paired participants are marked completed." in page
    assert "Nobody can be invited or imported any more, and no pairs can be proposed" in page
    assert 'class="btn btn-outline-danger" data-testid="confirm-close"' in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Type the programme&#x27;s name to close it."),
        (
            "Acme mentoring",
            "Type the programme&#x27;s name, “Acme reciprocal mentoring”, to close it.",
        ),
    ],
)
def test_close_without_the_typed_name_is_refused_next_to_the_field(
    admin_client, running, typed, message
):
    page = admin_client.post(url("programme_close", "acme"), {"confirm_name": typed})
    assert page.status_code == 200
    # crispy puts the error right under the field, tied to it by its id.
    error = re.search(r'<[^>]+id="error_1_id_confirm_name"[^>]*>(.*?)</', page.text, re.S)
    assert error and message in error[1]
    assert 'aria-invalid="true"' in page.text or "is-invalid" in page.text
    assert Programme.objects.get(pk=running.pk).status == Status.RUNNING


def test_closing_with_the_name_keeps_every_promise_of_the_page(admin_client, running, setup):
    page = admin_client.post(
        url("programme_close", "acme"),
        {"confirm_name": "  acme  Reciprocal mentoring "},
        follow=True,
    )
    assert "The programme is now closed. 2 paired participants were marked completed." in page.text
    programme = Programme.objects.get(pk=running.pk)
    assert programme.status == Status.CLOSED
    # "paired participants are marked completed"
    assert set(
        Participant.objects.filter(cohort__programme=programme).values_list("status", flat=True)
    ) == {Participant.Status.COMPLETED}
    cohort = Cohort.objects.select_related("programme").get(pk=setup.cohort.pk)
    # "nobody can be invited or imported any more"
    with pytest.raises(RuleViolation, match="closed"):
        participant_invite(
            cohort=cohort, by=setup.admin, base_url="http://t", email="n@acme.example"
        )
    with pytest.raises(RuleViolation, match="closed"):
        import_apply(
            cohort=cohort,
            text="email\nnew@acme.example\n",
            add_unknown_skills=False,
            by=setup.admin,
            base_url="http://t",
        )
    # "no pairs can be proposed or published"
    with pytest.raises(RuleViolation, match="only while the programme is enrolling"):
        match_run_start(cohort=cohort, by=setup.admin)
    with pytest.raises(RuleViolation, match="only while the programme is enrolling"):
        pairs_publish(cohort=cohort, by=setup.admin, notify=False)
    # "there is no way to reopen it"
    assert programme_transition_options(programme=programme) == []
    again = admin_client.get(url("programme_close", "acme")).text
    assert "This programme is closed already." in again


def test_an_enrolling_programme_cannot_be_closed(admin_client, setup):
    page = admin_client.get(url("programme_close", "acme")).text
    assert "cannot be closed: start it first" in page
    admin_client.post(url("programme_close", "acme"), {"confirm_name": "Acme reciprocal mentoring"})
    assert Programme.objects.get(pk=setup.programme.pk).status == Status.ENROLLING


# --- roles and skills -------------------------------------------------------------------------
def test_removing_a_role_goes_through_a_confirmation_page(admin_client, setup):
    helen = UserFactory(first_name="Helen", last_name="Okafor")
    role = ProgrammeRoleFactory(programme=setup.programme, user=helen, role="hr")
    roles = admin_client.get(url("roles", "acme")).text
    form = re.search(rf'<form method="get" action="{url("role_revoke", role.pk)}">', roles)
    assert form, "the Remove button leads to the confirmation page"
    page = admin_client.get(url("role_revoke", role.pk)).text
    assert "Remove Helen Okafor as hr viewer?" in page
    assert "will no longer see this programme" in page
    assert 'class="btn btn-outline-danger" data-testid="confirm-remove-role"' in page
    assert ProgrammeRole.objects.filter(pk=role.pk).exists()
    admin_client.post(url("role_revoke", role.pk))
    assert not ProgrammeRole.objects.filter(pk=role.pk).exists()


def test_merging_skills_asks_on_a_page_first(admin_client, setup):
    python = Skill.objects.get(name="Python")
    py3 = SkillFactory(programme=setup.programme, name="Python 3")
    ParticipantFactory(cohort=setup.cohort).skills_offered.set([py3])
    page = admin_client.post(
        url("skill_merge", "acme"), {"keep": python.pk, "duplicates": [py3.pk]}
    )
    assert "Merge 1 skill into “Python”?" in page.text
    assert "This cannot be undone." in page.text
    assert re.search(
        r'data-testid="merged-skill"><td>Python 3</td><td class="text-end">1', page.text
    )
    assert Skill.objects.filter(pk=py3.pk).exists()  # nothing merged yet
    done = admin_client.post(
        url("skill_merge", "acme"),
        {"keep": python.pk, "duplicates": [py3.pk], "confirmed": "yes"},
        follow=True,
    )
    assert "Merged “Python 3” into “Python”." in done.text
    assert not Skill.objects.filter(pk=py3.pk).exists()


def test_confirm_buttons_of_irreversible_steps_are_secondary(world):
    """Excluding a proposal, ending a pair, withdrawing: outline buttons, each on its page."""
    proposal = make_pair(
        ParticipantFactory(cohort=world.cohort),
        ParticipantFactory(cohort=world.cohort),
        status=Pair.Status.PROPOSED,
    )
    admin = world.client_for("admin")
    exclude = admin.get(reverse("pairing:pair_exclude", args=[proposal.pk])).text
    assert 'class="btn btn-outline-danger" data-testid="confirm-exclude"' in exclude
    member = world.client_for("member")
    end = member.get(reverse("pairing:end_request", args=[world.pair.pk])).text
    assert 'class="btn btn-outline-danger" data-testid="confirm-end"' in end
    newcomer = ParticipantFactory(cohort=world.cohort)
    withdraw = world.client_for("anonymous")
    withdraw.force_login(newcomer.user)
    page = withdraw.get(url("withdraw", newcomer.pk)).text
    assert '<button type="submit" class="btn btn-outline-danger">Withdraw</button>' in page


# --- publishing while enrolling offers the start ----------------------------------------------
@pytest.fixture
def proposal(setup):
    """Two enrolled people of the enrolling programme, proposed as a pair."""
    a, b = ParticipantFactory(cohort=setup.cohort), ParticipantFactory(cohort=setup.cohort)
    return make_pair(a, b, status=Pair.Status.PROPOSED)


def _publish(admin_client, setup, **extra):
    return admin_client.post(
        reverse("pairing:pairs_publish", args=[setup.cohort.pk]),
        {"publish_low_matches": "on", **extra},
        follow=True,
    )


def test_the_publish_page_offers_to_start_the_programme(admin_client, setup, proposal):
    page = admin_client.get(reverse("pairing:pairs_publish", args=[setup.cohort.pk])).text
    box = re.search(r'<input[^>]*name="start_programme"[^>]*>', page)[0]
    assert "checked" in box
    assert "Start the programme as well (it is enrolling now)" in page


def test_publishing_with_the_box_ticked_starts_the_programme(admin_client, setup, proposal):
    page = _publish(admin_client, setup, start_programme="1")
    assert "Published 1 pair." in page.text
    assert "The programme is now running." in page.text
    assert Programme.objects.get(pk=setup.programme.pk).status == Status.RUNNING


def test_publishing_without_it_says_where_to_start(admin_client, setup, proposal):
    page = _publish(admin_client, setup)
    assert Programme.objects.get(pk=setup.programme.pk).status == Status.ENROLLING
    detail = url("programme_detail", "acme")
    assert (
        f'The programme is still enrolling. <a href="{detail}#programme-status">Start the '
        "programme</a> from its page when you are ready." in page.text
    )
    overview = admin_client.get(detail).text
    first = re.search(r'data-testid="transition-(\w+)"', overview)[1]
    assert first == "running"  # the recommended step comes first, as the main button
    block = re.search(r'data-testid="transition-running".*?</form>', overview, re.S)[0]
    assert "btn-brand" in block and "disabled" not in block
    assert "Recommended next step" in overview


def test_a_running_programme_is_not_offered_the_start_again(admin_client, setup, proposal):
    Programme.objects.filter(pk=setup.programme.pk).update(status=Status.RUNNING)
    page = admin_client.get(reverse("pairing:pairs_publish", args=[setup.cohort.pk])).text
    assert 'name="start_programme"' not in page
    done = _publish(admin_client, setup, start_programme="1")
    assert "Published 1 pair." in done.text and "The programme is now running." not in done.text


def test_the_preview_makes_as_many_queries_for_40_invitations_as_for_4(
    admin_client, draft, setup, django_assert_num_queries
):
    with CaptureQueriesContext(connection) as captured:
        admin_client.get(url("programme_open_enrolment", draft.slug))
    for n in range(36):
        participant_invite(
            cohort=setup.cohort, by=setup.admin, base_url="http://t", email=f"p{n}@acme.example"
        )
    with django_assert_num_queries(len(captured)):
        page = admin_client.get(url("programme_open_enrolment", draft.slug))
    assert "<strong>39</strong> invitations will be emailed" in page.text
