"""The Django admin is a support tool, not a back door onto what participants wrote.

A superuser walks every registered ModelAdmin: no private note, reflection or ask text,
token or demographic value is shown (changelist, change form), editable (form field), or
filterable (``?field__startswith=`` must be refused, else the row count reads the hidden
value letter by letter). The admin signs people in through allauth only, and nobody's
account or participation can be re-pointed from it.
"""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.models import (
    Ask,
    BenefitItem,
    Goal,
    GoalComment,
    PairMetric,
    PairRetrospective,
    Reflection,
    SideMetric,
    Survey,
    SurveyResponse,
)
from mentoring.models import PendingTask, User
from pairing.models import (
    CalendarFeed,
    MentoringSession,
    PairingExclusion,
    PrivateNote,
    SessionLogRevision,
    SessionParticipation,
)
from pairing.services.sessions import calendar_feed_create
from programmes.models import Invitation, Participant
from tests.tokens import invitation_token_issue

pytestmark = pytest.mark.django_db

# The private fields, declared once: model label → fields whose values never reach the admin.
PRIVATE_FIELDS: dict[str, tuple[str, ...]] = {
    "mentoring.User": ("password",),
    "mfa.Authenticator": ("data",),
    "programmes.Participant": (
        "gender",
        "gender_self_description",
        "birth_year",
        "withdrawn_reason",
        "goals",
    ),
    "programmes.Invitation": ("token_hash",),
    "pairing.Pair": ("end_reason",),
    "pairing.MentoringSession": ("shared_notes", "cancel_reason"),
    "pairing.PairingExclusion": ("reason",),
    "pairing.PrivateNote": ("text",),
    "pairing.SessionLogRevision": ("snapshot",),
    "pairing.CalendarFeed": ("token_hash",),
    "feedback.Reflection": (
        "learned",
        "challenged",
        "listened",
        "power_shared",
        "learned_text",
        "change_text",
    ),
    "feedback.Goal": ("description",),
    "feedback.GoalComment": ("text",),
    "feedback.Ask": ("detail", "answer"),
    "feedback.BenefitItem": ("description", "dispute_reason"),
    "feedback.PairRetrospective": ("text",),
    "feedback.SurveyResponse": (
        "engagement",
        "satisfaction",
        "confidence",
        "valued",
        "intent_to_stay",
        "private_text",
    ),
    "feedback.SideMetric": (
        "learned_mean",
        "challenged_mean",
        "listened_mean",
        "power_shared_mean",
        "benefit_score",
        "outcomes",
    ),
}
# Numbers (ratings, means) cannot carry a planted marker: the walk checks instead that the
# admin renders no row or column for them (``field-<name>``, ``column-<name>``).
BIRTH_YEAR = 1913


def _marker(label: str, field: str) -> str:
    return f"PRIVATE-{label.replace('.', '-')}-{field}"


def private(label: str, field: str):
    """The distinctive value stored in ``label.field`` for the walk."""
    return _marker(label, field)


@pytest.fixture
def filled(world):
    """Every private field of the world holds a distinctive value; every model has a row."""
    w = world
    member, partner, pair = w.member, w.partner, w.pair
    Participant.objects.filter(pk=member.pk).update(
        demographics_consent=True,
        # A code from a short list; the free words are the self-description.
        gender=Participant.Gender.SELF_DESCRIBE,
        gender_self_description=private("programmes.Participant", "gender_self_description"),
        birth_year=BIRTH_YEAR,
        withdrawn_reason=private("programmes.Participant", "withdrawn_reason"),
        goals=private("programmes.Participant", "goals"),
    )
    type(pair).objects.filter(pk=pair.pk).update(end_reason=private("pairing.Pair", "end_reason"))
    session = MentoringSession.objects.create(
        pair=pair,
        scheduled_start=timezone.now() - dt.timedelta(days=1),
        status=MentoringSession.Status.HELD,
        actual_minutes=60,
        shared_notes=private("pairing.MentoringSession", "shared_notes"),
        cancel_reason=private("pairing.MentoringSession", "cancel_reason"),
        logged_at=timezone.now(),
        logged_by=member,
    )
    SessionParticipation.objects.create(session=session, participant=member, role="mentor")
    PrivateNote.objects.create(
        session=session, author=member, text=private("pairing.PrivateNote", "text")
    )
    SessionLogRevision.objects.create(
        session=session,
        edited_by=member,
        snapshot={"shared_notes": private("pairing.SessionLogRevision", "snapshot")},
    )
    PairingExclusion.objects.create(
        participant=member,
        excluded=w.other_member,
        reason=private("pairing.PairingExclusion", "reason"),
    )
    Reflection.objects.create(
        session=session,
        author=member,
        learned=4,
        challenged=3,
        listened=5,
        power_shared=4,
        learned_text=private("feedback.Reflection", "learned_text"),
        change_text=private("feedback.Reflection", "change_text"),
    )
    goal = Goal.objects.create(
        pair=pair,
        owner=member,
        title="Speak up",
        description=private("feedback.Goal", "description"),
    )
    GoalComment.objects.create(
        goal=goal, author=partner, text=private("feedback.GoalComment", "text")
    )
    ask = Ask.objects.create(
        pair=pair,
        asked_by=member,
        kind=Ask.Kind.INTRODUCE,
        detail=private("feedback.Ask", "detail"),
        answer=private("feedback.Ask", "answer"),
        status=Ask.Status.FULFILLED,
    )
    BenefitItem.objects.create(
        pair=pair,
        giver=partner,
        receiver=member,
        kind=BenefitItem.Kind.ASK_FULFILLED,
        description=private("feedback.BenefitItem", "description"),
        dispute_reason=private("feedback.BenefitItem", "dispute_reason"),
        status=BenefitItem.Status.DISPUTED,
        occurred_on=timezone.localdate(),
        ask=ask,
        recorded_by=partner,
    )
    PairRetrospective.objects.create(
        pair=pair, author=member, text=private("feedback.PairRetrospective", "text")
    )
    now = timezone.now()
    SideMetric.objects.create(
        pair=pair,
        participant=member,
        outcomes={private("feedback.SideMetric", "outcomes"): 1},
        computed_at=now,
    )
    PairMetric.objects.create(pair=pair, computed_at=now)
    survey = Survey.objects.create(
        programme=w.programme,
        wave=Survey.Wave.BASELINE,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=7),
    )
    SurveyResponse.objects.create(
        survey=survey,
        participant=member,
        engagement=4,
        satisfaction=4,
        confidence=4,
        valued=4,
        intent_to_stay=4,
        private_text=private("feedback.SurveyResponse", "private_text"),
    )
    invited = Participant.objects.create(
        cohort=w.cohort, email="invitee@world.example", status=Participant.Status.INVITED
    )
    invitation = Invitation.objects.create(
        participant=invited, email=invited.email, cohort=w.cohort
    )
    link_token = invitation_token_issue(invitation)
    feed = calendar_feed_create(user=member.user)
    Authenticator.objects.create(
        user=w.admin,
        type=Authenticator.Type.TOTP,
        data={"secret": private("mfa.Authenticator", "data")},
    )
    EmailAddress.objects.create(user=member.user, email=member.user.email, verified=True)
    PendingTask.objects.create(task_name="pairing.tasks.pair_ended_notify_task", args=[pair.pk])
    w.secrets = {
        **{
            (label, field): _marker(label, field)
            for label, fields in PRIVATE_FIELDS.items()
            for field in fields
        },
        ("programmes.Participant", "birth_year"): str(BIRTH_YEAR),
        ("programmes.Participant", "gender"): Participant.Gender.SELF_DESCRIBE.value,
        ("programmes.Invitation", "token_hash"): Invitation.objects.get(
            pk=invitation.pk
        ).token_hash,
        ("programmes.Invitation", "token"): link_token,
        ("pairing.CalendarFeed", "token_hash"): feed.feed.token_hash,
        ("pairing.CalendarFeed", "token"): feed.token,
        ("mentoring.User", "password"): User.objects.get(pk=member.user.pk).password,
    }
    return w


def _superuser_client(world) -> Client:
    client = Client()
    client.force_login(world.superuser)
    return client


def _admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _private_paths(model) -> list[str]:
    """Query-string paths to private values: the model's own, and one relation away."""
    paths = list(PRIVATE_FIELDS.get(model._meta.label, ()))
    for field in model._meta.get_fields():
        if field.is_relation and field.related_model is not None:
            for private_field in PRIVATE_FIELDS.get(field.related_model._meta.label, ()):
                paths.append(f"{field.name}__{private_field}")
    return paths


def _form_fields(response) -> set[str]:
    """Every field name of the change form, its inlines included."""
    names = set(response.context["adminform"].form.fields)
    for inline in response.context["inline_admin_formsets"]:
        for form in inline.formset.forms:
            names |= {f"inline:{inline.opts.model._meta.label}:{name}" for name in form.fields}
    return names


def test_every_admin_keeps_private_values_out_of_sight_edit_and_filter(filled):
    client = _superuser_client(filled)
    secrets = filled.secrets
    walked = 0
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        private_fields = set(PRIVATE_FIELDS.get(label, ()))
        changelist = _admin_url(model, "changelist")
        response = client.get(changelist)
        assert response.status_code == 200, changelist
        html = response.content.decode()
        pages = {changelist: html}
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            change = _admin_url(model, "change", obj.pk)
            response = client.get(change)
            assert response.status_code == 200, change
            pages[change] = response.content.decode()
            editable = _form_fields(response)
            assert not editable & private_fields, f"{label}: editable {editable & private_fields}"
            for name in editable:
                if name.startswith("inline:"):
                    _, inline_label, field = name.split(":")
                    assert field not in PRIVATE_FIELDS.get(inline_label, ()), name
        shown = {f for f in model_admin.get_list_display(None) if isinstance(f, str)}
        assert not shown & private_fields, f"{label} lists {shown & private_fields}"
        searched = {s.lstrip("^=@").split("__")[0] for s in model_admin.search_fields}
        assert not searched & private_fields, f"{label} searches {searched & private_fields}"
        for url, body in pages.items():
            for (owner, field), value in secrets.items():
                assert str(value) not in body, f"{owner}.{field} shown at {url}"
            for field in private_fields:
                for css in (f"field-{field}", f"column-{field}"):
                    assert f'{css}"' not in body and f"{css} " not in body, (
                        f"{label}.{field} has a row or column at {url}"
                    )
        for path in _private_paths(model):
            response = client.get(changelist, {f"{path}__startswith": "P"})
            refused = response.status_code == 400 or (
                response.status_code == 302 and "e=1" in response["Location"]
            )
            assert refused, f"{label}: ?{path}__startswith= answered {response.status_code}"
        walked += 1
    assert walked >= 20  # every app's admins, third-party ones included


def test_the_filters_offered_still_filter(filled):
    client = _superuser_client(filled)
    url = _admin_url(Participant, "changelist")
    status = Participant.objects.get(pk=filled.member.pk).status
    by_status = client.get(url, {"status__exact": status})
    assert by_status.status_code == 200
    assert filled.member.email in by_status.content.decode()
    by_programme = client.get(url, {"cohort__programme__id__exact": filled.other_programme.pk})
    assert by_programme.status_code == 200
    assert filled.member.email not in by_programme.content.decode()


def test_a_participant_cannot_be_attached_to_another_account(filled):
    """Pointing a participant at one's own account would open their private notes."""
    client = _superuser_client(filled)
    member = filled.member
    url = _admin_url(Participant, "change", member.pk)
    form = client.get(url).context["adminform"].form
    assert {"user", "email", "cohort"}.isdisjoint(form.fields)
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        {
            "user": filled.superuser.pk,
            "email": filled.superuser.email,
            "skills_offered": [],
            "skills_wanted": [],
        }
    )
    client.post(url, {k: v for k, v in data.items() if v is not None})
    member.refresh_from_db()
    assert member.user == filled.member.user and member.email != filled.superuser.email
    # Nor can a pair's membership be changed: its inline is read-only.
    pair_page = client.get(_admin_url(type(filled.pair), "change", filled.pair.pk))
    (members_inline,) = pair_page.context["inline_admin_formsets"]
    assert not members_inline.has_add_permission and not members_inline.has_change_permission
    assert not members_inline.has_delete_permission


def test_accounts_cannot_be_taken_over_from_the_admin(filled):
    client = _superuser_client(filled)
    user = filled.member.user
    response = client.get(_admin_url(User, "change", user.pk))
    assert {"email", "password"}.isdisjoint(response.context["adminform"].form.fields)
    assert client.get(reverse("admin:auth_user_password_change", args=[user.pk])).status_code == 403
    for model in (EmailAddress, Authenticator, Invitation, CalendarFeed):
        assert client.get(_admin_url(model, "add")).status_code == 403, model


def test_pending_tasks_are_view_only(filled):
    """A pending task runs any task with any arguments: it is never added or edited here."""
    client = _superuser_client(filled)
    task = PendingTask.objects.get()
    change = _admin_url(PendingTask, "change", task.pk)
    response = client.get(change)
    assert response.status_code == 200
    assert not response.context["adminform"].form.fields  # every field read-only
    client.post(change, {"task_name": "mentoring.tasks.anything", "args": "[1]", "kwargs": "{}"})
    task.refresh_from_db()
    assert task.task_name == "pairing.tasks.pair_ended_notify_task" and task.args == [
        filled.pair.pk
    ]
    assert client.get(_admin_url(PendingTask, "add")).status_code == 403
    assert (
        client.post(_admin_url(PendingTask, "delete", task.pk), {"post": "yes"}).status_code == 302
    )
    assert not PendingTask.objects.exists()


# --- signing in ---------------------------------------------------------------------------
def test_the_admin_signs_in_through_allauth_only(filled):
    client = Client()
    response = client.get("/django-admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert "next=%2Fdjango-admin%2F" in response.redirect_chain[-1][0]
    # Django's own sign-in form (no rate limit, no TOTP) does not sign anybody in.
    posted = client.post(
        "/django-admin/login/", {"username": filled.superuser.email, "password": "pw-Secret-123"}
    )
    assert posted.status_code == 302 and posted["Location"].startswith(reverse("account_login"))
    assert client.get("/django-admin/").status_code == 302
    # Signed in without is_staff: refused, not sent round a sign-in loop.
    client.force_login(filled.member.user)
    assert client.get("/django-admin/login/").status_code == 403
