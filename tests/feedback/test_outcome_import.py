"""Outcome events from CSV: the participant import's rules (preview, atomic apply, bad rows)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from feedback.imports import OutcomeImportBlocked
from feedback.imports.events import events_apply, events_preview
from feedback.models import OutcomeEvent, OutcomeImport
from programmes.models import AuditEvent
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

HEADER = "email,kind,occurred_on,pay_change_pct\n"


def csv_of(*lines: str) -> str:
    return HEADER + "".join(line + "\n" for line in lines)


def past(days: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days)).isoformat()


@pytest.fixture
def people(world):
    """The world's member and partner (cohort started 30 days ago, by the factory)."""
    return world.member, world.partner


def test_good_rows_bad_rows_and_warnings(world, people):
    member, partner = people
    text = csv_of(
        f"{member.email},promotion,{past(5)},",  # ready
        f"{partner.email.upper()},Pay Change,{past(3)},4.5%",  # ready (case, alias, %)
        f"{partner.email},role_change,{past(2)},3",  # warning: percentage ignored
        f"{member.email},left,{past(400)},",  # warning: before the cohort started
        "stranger@elsewhere.example,promotion,2026-01-01,",  # error: not in the programme
        f"{member.email},knighthood,{past(1)},",  # error: unknown kind
        f"{member.email},promotion,31/12/2025,",  # error: unreadable date
        f"{member.email},promotion,{(timezone.localdate() + dt.timedelta(days=3)).isoformat()},",
        f"{partner.email},pay_change,{past(9)},",  # error: no percentage
        f"{member.email},promotion,{past(5)},",  # error: same event as line 2
        ",promotion,2026-01-01,",  # error: no email
    )
    preview = events_preview(programme=world.programme, text=text)
    assert preview.counts() == {
        "rows": 11,
        "ready": 2,
        "warnings": 2,
        "to_fix": 7,
        "importable": 4,
    }
    by_line = {row.line: row for row in preview.rows}
    assert [p.code for p in by_line[4].problems] == ["pay_change_ignored"]
    assert [p.code for p in by_line[5].problems] == ["before_start"]
    assert [p.code for p in by_line[6].errors] == ["not_in_programme"]
    assert [p.code for p in by_line[7].errors] == ["unknown_kind"]
    assert [p.code for p in by_line[8].errors] == ["bad_date"]
    assert [p.code for p in by_line[9].errors] == ["future_date"]
    assert [p.code for p in by_line[10].errors] == ["bad_pay_change"]
    assert "line 2" in by_line[11].errors[0].message
    assert [p.code for p in by_line[12].errors] == ["missing_email"]
    assert by_line[3].values["pay_change_pct"] == Decimal("4.5")


def test_rows_to_fix_block_the_whole_file_unless_skipped(world, people):
    member, _ = people
    text = csv_of(f"{member.email},promotion,{past(5)},", "nobody@x.example,promotion,2026-01-01,")
    with pytest.raises(OutcomeImportBlocked):
        events_apply(programme=world.programme, text=text, by=world.admin)
    assert not OutcomeEvent.objects.exists() and not OutcomeImport.objects.exists()
    result = events_apply(programme=world.programme, text=text, by=world.hr, skip_errors=True)
    assert (result.written, len(result.skipped)) == (1, 1)
    event = OutcomeEvent.objects.get()
    assert (event.participant, event.kind, event.created_by) == (member, "promotion", world.hr)
    assert event.source_import.rows == 1 and event.source_import.skipped == 1
    assert AuditEvent.objects.filter(action="outcomes.events_imported").exists()


def test_apply_is_atomic(world, people, monkeypatch):
    member, partner = people
    text = csv_of(f"{member.email},promotion,{past(5)},", f"{partner.email},left,{past(1)},")

    def boom(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr("feedback.imports.events.audit_record", boom)
    with pytest.raises(RuntimeError):
        events_apply(programme=world.programme, text=text, by=world.admin)
    assert not OutcomeEvent.objects.exists() and not OutcomeImport.objects.exists()


def test_a_changed_check_is_refused_and_the_same_file_twice_records_once(world, people):
    member, _ = people
    text = csv_of(f"{member.email},promotion,{past(5)},")
    with pytest.raises(OutcomeImportBlocked) as refused:
        events_apply(programme=world.programme, text=text, by=world.admin, expected_rows=3)
    assert refused.value.changed
    events_apply(programme=world.programme, text=text, by=world.admin)
    again = events_apply(programme=world.programme, text=text, by=world.admin)
    assert (again.written, again.unchanged) == (0, 1)
    assert OutcomeEvent.objects.count() == 1
    preview = events_preview(programme=world.programme, text=text)
    assert [p.code for p in preview.rows[0].warnings] == ["already_recorded"]


def test_someone_in_two_cohorts_gets_the_event_in_both(world, people):
    member, _ = people
    from tests.factories import CohortFactory

    later = CohortFactory(
        programme=world.programme, starts_on=timezone.localdate() - dt.timedelta(days=10)
    )
    again = ParticipantFactory(cohort=later, user=member.user, email=member.email)
    events_apply(
        programme=world.programme,
        text=csv_of(f"{member.email},promotion,{past(2)},"),
        by=world.admin,
    )
    assert set(OutcomeEvent.objects.values_list("participant_id", flat=True)) == {
        member.pk,
        again.pk,
    }


def test_another_programmes_participant_is_a_bad_row(world):
    outsider = ParticipantFactory(cohort=world.other_programme.cohorts.get())
    preview = events_preview(
        programme=world.programme, text=csv_of(f"{outsider.email},promotion,{past(2)},")
    )
    assert [p.code for p in preview.rows[0].errors] == ["not_in_programme"]


# --- the pages -----------------------------------------------------------------------------
def _upload(client, slug, text, name="outcomes.csv"):
    url = reverse("feedback:outcome_import_upload", kwargs={"slug": slug, "kind": "events"})
    response = client.post(url, {"file": SimpleUploadedFile(name, text.encode(), "text/csv")})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


@pytest.mark.parametrize("actor", ["admin", "hr"])
def test_upload_preview_skip_and_download_the_rows_to_fix(world, people, actor):
    member, partner = people
    client = world.client_for(actor)
    text = csv_of(
        f"{member.email},promotion,{past(5)},",
        f"{partner.email},pay_change,{past(3)},2",
        "nobody@x.example,promotion,2026-01-01,",
    )
    preview_url = _upload(client, world.programme.slug, text)
    page = client.get(preview_url).content.decode()
    assert "<title>Check the import · Outcome events · World programme" in page
    assert "Import the 2 good rows and skip the 1 with errors" in page
    assert "Not a participant of this programme" in page  # the reason, next to its row
    skipped_before = client.get(preview_url + "rows-to-fix.csv")
    assert skipped_before.status_code == 200
    assert "nobody@x.example" in skipped_before.content.decode()
    # Apply without choosing to skip: refused, nothing written.
    refused = client.post(preview_url, {"expected": "2"})
    assert refused.status_code == 200
    assert "Nothing was imported" in refused.content.decode()
    assert not OutcomeEvent.objects.exists()
    applied = client.post(preview_url, {"expected": "2", "skip_errors": "on"}, follow=True)
    html = applied.content.decode()
    assert "2 events imported" in html and "1 row with errors was skipped" in html
    assert OutcomeEvent.objects.count() == 2
    link = re.search(r'href="([^"]+rows-to-fix\.csv)"', html).group(1)
    body = client.get(link).content.decode()
    assert body.startswith("\ufeffemail,kind,occurred_on,pay_change_pct,problems")
    assert "nobody@x.example" in body and member.email not in body


def test_an_unreadable_file_is_refused_at_upload(world):
    client = world.client_for("admin")
    url = reverse(
        "feedback:outcome_import_upload", kwargs={"slug": world.programme.slug, "kind": "events"}
    )
    response = client.post(
        url, {"file": SimpleUploadedFile("x.csv", "email\n\xe9".encode("latin-1"), "text/csv")}
    )
    assert response.status_code == 200
    assert "not UTF-8" in response.content.decode()


def test_a_file_without_the_email_column_is_sent_back(world):
    client = world.client_for("admin")
    preview_url = _upload(client, world.programme.slug, "name,kind\nx,promotion\n")
    response = client.get(preview_url, follow=True)
    assert "include “email”" in response.content.decode()


def test_the_template_is_a_valid_upload(world):
    client = world.client_for("hr")
    url = reverse(
        "feedback:outcome_import_template",
        kwargs={"slug": world.programme.slug, "kind": "events"},
    )
    body = client.get(url).content.decode()
    assert body.startswith("\ufeffemail,kind,occurred_on,pay_change_pct")
