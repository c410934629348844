"""The admins' actions on a flagged pair (pair-health page): note, snooze, nudge, end.

Each action is driven through its view as the programme admin, and checked by what people
then see: the page, the attention counts, the mails and deliveries, the audit trail.
"""

import datetime as dt
import re

import pytest
import time_machine
from celery import current_app
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from feedback.models import PairMetric
from feedback.selectors.metrics import pair_health_summary, programmes_needing_attention
from mentoring.notifications.models import Delivery
from pairing.models import AdminNote, FlagSnooze, Pair, PairMember
from programmes.models import AuditEvent, Participant, Programme

pytestmark = pytest.mark.django_db

NOTE = "Spoke to HR-SENTINEL-ADMIN-NOTE about workload"
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def eager_tasks():
    """Tasks enqueued after commit (the end emails) run in this process."""
    conf = current_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager = conf.task_eager_propagates = True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


def flag(pair: Pair, **flags) -> PairMetric:
    metric, _ = PairMetric.objects.update_or_create(
        pair=pair, defaults={"computed_at": timezone.now(), **flags}
    )
    return metric


def detail_url(pair: Pair) -> str:
    return reverse("feedback:pair_health_detail", kwargs={"pair_id": pair.pk})


def action_url(name: str, pair: Pair, **kwargs) -> str:
    return reverse(f"feedback:{name}", kwargs={"pair_id": pair.pk, **kwargs})


def field_error(html: str, field: str) -> str:
    """The error shown under the form field ``field`` (crispy's invalid-feedback)."""
    match = re.search(
        rf'id="error_\d+_id_{field}"[^>]*>\s*<strong>(.*?)</strong>', html, flags=re.S
    )
    return match.group(1) if match else ""


def audit_actions(programme: Programme) -> list[str]:
    return list(
        AuditEvent.objects.filter(programme=programme)
        .order_by("pk")
        .values_list("action", flat=True)
    )


# --- notes ---------------------------------------------------------------------------------
def test_a_note_is_listed_with_its_author_and_time_and_audited(world):
    client = world.client_for("admin")
    response = client.post(action_url("pair_health_note_add", world.pair), {"text": NOTE})
    assert response.status_code == 302
    note = AdminNote.objects.get()
    assert (note.author, note.text, note.pair) == (world.admin, NOTE, world.pair)
    html = client.get(detail_url(world.pair)).content.decode()
    notes = html.split('data-testid="admin-notes"')[1].split("</section>")[0]
    assert NOTE in notes and world.admin.display_name in notes
    event = AuditEvent.objects.get(action="pairing.admin_note_added")
    assert event.actor == world.admin and event.detail == {
        "pair_id": world.pair.pk,
        "note_id": note.pk,
    }
    assert NOTE not in str(event.detail)  # the audit says a note was left, not what it says
    assert "left a note" in html.split('data-testid="pair-history"')[1]


@pytest.mark.parametrize(
    ("text", "error"),
    [("   ", "Write the note first."), ("x" * 2001, "Ensure this value has at most 2000")],
)
def test_an_empty_or_long_note_is_refused_next_to_the_field(world, text, error):
    response = world.client_for("admin").post(
        action_url("pair_health_note_add", world.pair), {"text": text}
    )
    assert response.status_code == 200
    assert error in field_error(response.content.decode(), "text")
    assert not AdminNote.objects.exists()


# --- snoozes -------------------------------------------------------------------------------
def snooze(client, pair, **data):
    payload = {"flag": "stalled", "duration": "7", "reason": "Ana is on leave until March"}
    return client.post(action_url("pair_health_snooze", pair), {**payload, **data})


def test_a_snoozed_flag_stops_counting_until_it_expires(world):
    flag(world.pair, stalled=True)
    flag(world.other_pair, stalled=True, lopsided=True)
    programmes = Programme.objects.filter(pk=world.programme.pk)
    with time_machine.travel(NOW, tick=False):
        assert pair_health_summary(programme=world.programme)["flagged"] == 2
        response = snooze(world.client_for("admin"), world.pair, duration="7")
        assert response.status_code == 302
        summary = pair_health_summary(programme=world.programme)
        assert (summary["flagged"], summary["stalled"], summary["snoozed"]) == (1, 1, 1)
        [programme] = programmes_needing_attention(programmes=programmes)
        assert (programme.flagged, programme.stalled, programme.lopsided) == (1, 1, 1)
        listed = world.client_for("admin").get(
            reverse("feedback:pair_health", kwargs={"slug": world.programme.slug}),
            {"flag": "stalled"},
        )
        assert [row.pair.pk for row in listed.context["rows"]] == [world.other_pair.pk]
        html = world.client_for("admin").get(detail_url(world.pair)).content.decode()
        line = html.split('data-testid="snoozed-stalled"')[1].split("</li>")[0]
        assert "Snoozed until <strong>Mon 9 Mar 2026" in line
        assert world.admin.display_name in line and "Ana is on leave until March" in line
    # A second later than a week: the flag counts again.
    with time_machine.travel(NOW + dt.timedelta(days=7, seconds=1), tick=False):
        assert pair_health_summary(programme=world.programme)["flagged"] == 2
        [programme] = programmes_needing_attention(programmes=programmes)
        assert programme.stalled == 2
    event = AuditEvent.objects.get(action="pairing.flag_snoozed")
    assert event.actor == world.admin and event.detail["flag"] == "stalled"


def test_snoozing_one_flag_leaves_the_pairs_other_flags_counting(world):
    flag(world.pair, stalled=True, lopsided=True)
    snooze(world.client_for("admin"), world.pair, flag="stalled")
    summary = pair_health_summary(programme=world.programme)
    assert (summary["flagged"], summary["stalled"], summary["lopsided"]) == (1, 0, 1)


def test_unsnooze_makes_the_flag_count_again_and_is_audited(world):
    flag(world.pair, stalled=True)
    client = world.client_for("admin")
    snooze(client, world.pair)
    the_snooze = FlagSnooze.objects.get()
    response = client.post(action_url("pair_health_unsnooze", world.pair, snooze_id=the_snooze.pk))
    assert response.status_code == 302
    assert pair_health_summary(programme=world.programme)["stalled"] == 1
    # Twice is harmless: nothing more happens, nothing more is audited.
    client.post(action_url("pair_health_unsnooze", world.pair, snooze_id=the_snooze.pk))
    assert audit_actions(world.programme).count("pairing.flag_unsnoozed") == 1
    the_snooze.refresh_from_db()
    assert the_snooze.lifted_by == world.admin


def test_a_custom_date_snooze_ends_at_the_start_of_that_day(world):
    flag(world.pair, stalled=True)
    with time_machine.travel(NOW, tick=False):
        snooze(world.client_for("admin"), world.pair, duration="custom", until_date="2026-04-01")
    until = FlagSnooze.objects.get().until
    assert timezone.localtime(until).date() == dt.date(2026, 4, 1)
    assert timezone.localtime(until).time() == dt.time(0, 0)


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"duration": "custom", "until_date": ""}, "until_date", "Choose the date the flag"),
        ({"duration": "custom", "until_date": "2026-03-02"}, "until_date", "after today"),
        ({"duration": "custom", "until_date": "2026-01-10"}, "until_date", "after today"),
        ({"duration": "custom", "until_date": "2026-06-30"}, "until_date", "90 days at most"),
        ({"reason": ""}, "reason", "Say why the flag can wait."),
        ({"reason": "x" * 501}, "reason", "at most 500"),
        ({"flag": "lopsided"}, "flag", "Select a valid choice"),  # not raised by this pair
    ],
)
def test_a_wrong_snooze_is_refused_next_to_the_field(world, data, field, error):
    flag(world.pair, stalled=True)
    with time_machine.travel(NOW, tick=False):
        response = snooze(world.client_for("admin"), world.pair, **data)
    assert response.status_code == 200
    assert error in field_error(response.content.decode(), field)
    assert not FlagSnooze.objects.exists()


# --- nudges --------------------------------------------------------------------------------
def compose(client, pair, flag_key="stalled"):
    response = client.get(action_url("pair_health_nudge", pair), {"flag": flag_key})
    assert response.status_code == 200
    return response.context["form"].initial


def test_the_draft_names_the_flag_in_neutral_words_and_no_figures(world):
    metric = flag(world.pair, lopsided=True, reciprocity_index=0.123)
    initial = compose(world.client_for("admin"), world.pair, "lopsided")
    assert initial["subject"] == "Checking in on your mentoring pair in World programme"
    body = initial["body"]
    assert body.startswith(f"Hello {world.member.first_name} and {world.partner.first_name},")
    assert "getting as much out of the pairing" in body
    assert str(metric.reciprocity_index) not in body and "lopsided" not in body.lower()
    assert "0.12" not in body and "rating" not in body.lower()


def test_a_nudge_is_previewed_then_sent_once_to_each_member(world):
    flag(world.pair, stalled=True)
    client = world.client_for("admin")
    initial = compose(client, world.pair)
    edited = {
        "subject": "A quick hello",
        "body": "Hello both,\n\nHow are things going?",
        "token": initial["token"],
    }
    preview = client.post(
        action_url("pair_health_nudge", world.pair), {**edited, "step": "preview"}
    )
    assert preview.status_code == 200 and preview.context["preview"]
    assert "How are things going?" in preview.content.decode()
    assert not mail.outbox  # nothing goes out on preview

    sent = client.post(action_url("pair_health_nudge", world.pair), {**edited, "step": "send"})
    assert sent.status_code == 302
    again = client.post(action_url("pair_health_nudge", world.pair), {**edited, "step": "send"})
    assert again.status_code == 302  # the double submit sends nothing

    members = {world.member.email, world.partner.email}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(members)
    assert all(
        m.subject == "A quick hello" and "How are things going?" in m.body for m in mail.outbox
    )
    assert all(f"/pairing/pairs/{world.pair.pk}/" in m.body for m in mail.outbox)
    deliveries = Delivery.objects.filter(kind="admin_nudge")
    assert {d.recipient_id for d in deliveries} == {world.member.user_id, world.partner.user_id}
    assert all(d.created_by == world.admin and d.status == "sent" for d in deliveries)
    assert audit_actions(world.programme).count("feedback.pair_nudged") == 1
    # A new form (a new submission) is a new nudge.
    again_initial = compose(client, world.pair)
    client.post(
        action_url("pair_health_nudge", world.pair),
        {**edited, "token": again_initial["token"], "step": "send"},
    )
    assert len(mail.outbox) == 4


def test_the_nudge_appears_in_the_members_notifications(world):
    client = world.client_for("admin")
    initial = compose(client, world.pair)
    client.post(
        action_url("pair_health_nudge", world.pair),
        {
            "subject": "A quick hello",
            "body": "How are things?",
            "token": initial["token"],
            "step": "send",
        },
    )
    member = world.client_for("member")
    html = member.get(reverse("notifications:list")).content.decode()
    assert "A quick hello" in html


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"subject": "  "}, "subject", "Write a subject."),
        ({"subject": "s" * 151}, "subject", "at most 150"),
        ({"body": "   "}, "body", "Write the message."),
        ({"body": "b" * 4001}, "body", "at most 4000"),
    ],
)
def test_a_wrong_nudge_is_refused_next_to_the_field(world, data, field, error):
    client = world.client_for("admin")
    initial = compose(client, world.pair)
    payload = {
        "subject": "Hello",
        "body": "How are things?",
        "token": initial["token"],
        "step": "send",
    }
    response = client.post(action_url("pair_health_nudge", world.pair), {**payload, **data})
    assert response.status_code == 200
    assert error in field_error(response.content.decode(), field)
    assert not mail.outbox and not Delivery.objects.filter(kind="admin_nudge").exists()


def test_a_token_from_another_pair_or_admin_is_refused(world):
    client = world.client_for("admin")
    other_token = compose(client, world.other_pair)["token"]
    response = client.post(
        action_url("pair_health_nudge", world.pair),
        {"subject": "Hello", "body": "Hi", "token": other_token, "step": "send"},
    )
    assert (
        response.status_code == 200
        and "has expired or belongs to another pair" in response.content.decode()
    )
    assert not mail.outbox


# --- ending on the members' behalf ----------------------------------------------------------
def test_ending_needs_a_reason_and_the_confirmation(world):
    client = world.client_for("admin")
    response = client.post(action_url("pair_health_end", world.pair), {"reason": "short"})
    html = response.content.decode()
    assert "at least 10 characters" in field_error(html, "reason")
    assert "Tick the box" in field_error(html, "confirm")
    world.pair.refresh_from_db()
    assert world.pair.status in Pair.LIVE_STATUSES


def test_ending_on_behalf_runs_the_members_end_flow(
    world, eager_tasks, django_capture_on_commit_callbacks
):
    reason = "Both asked me privately; PRIVATE-END-REASON-9f"
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client_for("admin").post(
            action_url("pair_health_end", world.pair), {"reason": reason, "confirm": "on"}
        )
    assert response.status_code == 302
    pair = Pair.objects.get(pk=world.pair.pk)
    assert pair.status == Pair.Status.ENDED_EARLY and pair.ended_by_admin == world.admin
    assert pair.end_requested_by is None and pair.end_reason == reason
    # As in the members' own flow: both back in the pool, to be offered a new partner.
    assert not PairMember.objects.filter(pair=pair, current=True).exists()
    statuses = Participant.objects.filter(pk__in=[world.member.pk, world.partner.pk])
    assert set(statuses.values_list("status", flat=True)) == {Participant.Status.ENROLLED}
    for member in (world.member, world.partner):
        [told] = [m for m in mail.outbox if m.to == [member.email]]
        assert "Your programme admin has ended your mentoring pair" in told.body
        assert "offered a new partner" in told.body and "PRIVATE-END-REASON" not in told.body
    [to_admin] = [m for m in mail.outbox if m.to == [world.admin.email]]
    assert reason in to_admin.body and "on the members' behalf" in to_admin.body
    event = AuditEvent.objects.get(action="pairing.pair_ended_early")
    assert event.actor == world.admin and event.detail["on_behalf"] is True
    html = world.client_for("admin").get(detail_url(pair)).content.decode()
    assert "ended the pair on the members&#x27; behalf" in html
    assert f"{world.admin.display_name} (programme admin, for the members)" in html


def test_members_read_ended_by_the_programme_admin_never_the_reason(world, eager_tasks):
    reason = "Both asked me privately; PRIVATE-END-REASON-9f"
    world.client_for("admin").post(
        action_url("pair_health_end", world.pair), {"reason": reason, "confirm": "on"}
    )
    for actor in ("member",):
        client = world.client_for(actor)
        for name in ("feedback:pair_detail", "feedback:pair_complete"):
            html = client.get(reverse(name, kwargs={"pair_id": world.pair.pk})).content.decode()
            assert "Your programme admin ended" in html
            assert "PRIVATE-END-REASON" not in html and "Your partner ended" not in html
    partner = world.partner.user
    from django.test import Client

    c = Client()
    c.force_login(partner)
    html = c.get(
        reverse("feedback:pair_detail", kwargs={"pair_id": world.pair.pk})
    ).content.decode()
    assert "Your programme admin ended" in html and "PRIVATE-END-REASON" not in html


def test_an_ended_pair_cannot_be_ended_or_nudged_again(world):
    client = world.client_for("admin")
    client.post(
        action_url("pair_health_end", world.pair),
        {"reason": "It is not working out.", "confirm": "on"},
    )
    response = client.post(
        action_url("pair_health_end", world.pair),
        {"reason": "It is not working out.", "confirm": "on"},
    )
    assert "there is nothing to end" in response.content.decode()
    assert audit_actions(world.programme).count("pairing.pair_ended_early") == 1
    assert (
        "nobody to nudge"
        in client.get(action_url("pair_health_nudge", world.pair)).content.decode()
    )


def test_the_end_service_takes_exactly_one_ender_and_only_this_programmes_admin(world):
    from mentoring.errors import RuleViolation
    from pairing.services.pairs import pair_request_end

    with pytest.raises(ValueError, match="exactly one"):
        pair_request_end(pair=world.pair, reason="Not working out.")
    with pytest.raises(ValueError, match="exactly one"):
        pair_request_end(
            pair=world.pair, by_participant=world.member, by_admin=world.admin, reason="Both."
        )
    for outsider in (world.other_programme_admin, world.hr):
        with pytest.raises(RuleViolation, match="Only an admin of the pair's programme"):
            pair_request_end(pair=world.pair, by_admin=outsider, reason="Not working out.")
    world.pair.refresh_from_db()
    assert world.pair.status in Pair.LIVE_STATUSES


def test_the_note_and_snooze_services_refuse_other_programmes_admins(world):
    from mentoring.errors import RuleViolation
    from pairing.services.pair_admin import admin_note_add, flag_snooze

    for outsider in (world.other_programme_admin, world.hr, world.member.user):
        with pytest.raises(RuleViolation):
            admin_note_add(pair=world.pair, by=outsider, text="A note")
        with pytest.raises(RuleViolation):
            flag_snooze(
                pair=world.pair,
                by=outsider,
                flag="stalled",
                until=timezone.now() + dt.timedelta(days=3),
                reason="Leave",
            )
    assert not AdminNote.objects.exists() and not FlagSnooze.objects.exists()


def test_snoozing_again_replaces_the_running_snooze(world):
    flag(world.pair, stalled=True)
    client = world.client_for("admin")
    snooze(client, world.pair, duration="7", reason="First")
    snooze(client, world.pair, duration="30", reason="Second")
    running = FlagSnooze.objects.filter(lifted_at__isnull=True)
    assert [s.reason for s in running] == ["Second"]
    assert FlagSnooze.objects.count() == 2


class DownBackend:
    """A mail server that does not answer."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_a_nudge_while_the_mail_server_is_down_is_recorded_and_sent_later(world, settings):
    from mentoring.notifications.services import deliveries_send_due

    client = world.client_for("admin")
    token = compose(client, world.pair)["token"]
    settings.EMAIL_BACKEND = f"{__name__}.DownBackend"
    response = client.post(
        action_url("pair_health_nudge", world.pair),
        {"subject": "Hello", "body": "How are things?", "token": token, "step": "send"},
        follow=True,
    )
    assert "goes out as soon as it does" in response.content.decode()
    assert set(Delivery.objects.filter(kind="admin_nudge").values_list("status", flat=True)) == {
        "pending"
    }
    assert audit_actions(world.programme).count("feedback.pair_nudged") == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliveries_send_due() == 2  # the worker's next round sends them, once
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.member.email, world.partner.email])


@pytest.mark.django_db(transaction=True)
def test_two_submits_of_one_nudge_at_the_same_moment_send_one_mail_each():
    """The worst interleaving: the second submit reads while the first has not committed."""
    from feedback.services.nudges import nudge_token_issue, pair_nudge_send
    from tests.races import hold_then_run
    from tests.world import build_world

    world = build_world()
    token = nudge_token_issue(pair=world.pair, by=world.admin)

    def send():
        return pair_nudge_send(
            pair=world.pair, by=world.admin, subject="Hello", body="How are things?",
            token=token, link="http://testserver/pairing/pairs/1/",
        )  # fmt: skip

    first, second = hold_then_run(send, send)
    assert (first.sent, second.sent, second.already) == (2, 0, 2)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.member.email, world.partner.email])
    assert Delivery.objects.filter(kind="admin_nudge").count() == 2
    assert audit_actions(world.programme).count("feedback.pair_nudged") == 1
