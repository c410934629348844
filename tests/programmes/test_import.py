"""CSV import: every kind of problem is reported on its row; errors keep their row out.

The partial import (skip the rows to fix), the CSV of skipped rows and "update existing
people" are in ``test_import_partial.py``.
"""

import csv
import io
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from mentoring.errors import RuleViolation
from programmes.models import AuditEvent, Invitation, Participant, Programme, Skill
from programmes.services import imports
from programmes.services.imports import (
    ImportBlocked,
    import_apply,
    import_decode,
    import_preview,
)
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "participants_with_problems.csv"
HEADER = ",".join(imports.COLUMNS)
GOOD_EMAILS = {
    "amira.haddad@acme.example",
    "leo.martin@acme.example",
    "sara.ng@acme.example",
    "zoe.park@acme.example",
    "formula@acme.example",
}


def fixture_text() -> str:
    return FIXTURE.read_text(encoding="utf-8")


def good_rows_only() -> str:
    """The fixture with its problem rows removed (the admin fixed the file)."""
    lines = fixture_text().splitlines()
    return "\n".join(lines[:6]) + "\n"


@pytest.fixture
def enrolled(setup):
    return ParticipantFactory(cohort=setup.cohort, email="enrolled@acme.example")


def _problems(preview, line: int) -> dict[str, list]:
    row = next(r for r in preview.rows if r.line == line)
    found: dict[str, list] = {}
    for problem in row.problems:
        found.setdefault(problem.code, []).append(problem)
    return found


def test_preview_reports_every_problem_on_its_row(setup, enrolled):
    preview = import_preview(cohort=setup.cohort, text=fixture_text())
    assert len(preview.rows) == 13
    clean = [r.email for r in preview.rows if not r.problems]
    assert set(clean) == GOOD_EMAILS  # Sara's manager is a later row: no problem

    assert set(_problems(preview, 7)) == {imports.MISSING_EMAIL}
    assert set(_problems(preview, 8)) == {imports.INVALID_EMAIL}
    duplicate = _problems(preview, 9)[imports.DUPLICATE_ROW][0]
    assert "row 3" in duplicate.message  # case-insensitive match with Leo's first row
    assert "Already in this cohort" in _problems(preview, 10)[imports.ALREADY_ENROLLED][0].message
    assert set(_problems(preview, 11)) == {imports.UNKNOWN_TIME_ZONE}
    assert set(_problems(preview, 12)) == {imports.SENIORITY_RANGE}
    unknown = _problems(preview, 13)[imports.UNKNOWN_SKILL][0]
    assert "“Pyhton”" in unknown.message and "“Kubernetes”" in unknown.message
    assert not unknown.blocking  # a warning: the row is imported, the skill left out or added
    assert "Left out of this person's skills" in unknown.message
    assert preview.unknown_skills == ["Pyhton", "Kubernetes"]
    warning = _problems(preview, 14)[imports.MANAGER_NOT_FOUND][0]
    assert not warning.blocking

    counts = preview.counts()
    assert counts["rows"] == 13
    assert (counts["ready"], counts["warnings"], counts["to_fix"]) == (5, 2, 6)
    assert counts["importable"] == counts["new"] == 7
    assert not preview.can_apply()  # errors remain and the admin did not choose to skip them
    assert preview.can_apply(skip_errors=True)


def test_row_values_are_normalised(setup):
    preview = import_preview(cohort=setup.cohort, text=good_rows_only())
    sara = next(r for r in preview.rows if r.email == "sara.ng@acme.example")
    assert sara.time_zone == "Asia/Singapore"  # matched case-insensitively
    assert sara.manager_email == "zoe.park@acme.example"
    leo = next(r for r in preview.rows if r.email == "leo.martin@acme.example")
    assert leo.skills_offered == ["Python", "Data analysis"]  # spaces around ';' ignored
    assert leo.seniority == 3


def test_a_person_in_another_cohort_of_the_programme_is_refused(setup):
    from tests.factories import CohortFactory

    other = CohortFactory(programme=setup.programme, name="Autumn 2026")
    ParticipantFactory(cohort=other, email="amira.haddad@acme.example")
    preview = import_preview(cohort=setup.cohort, text=good_rows_only())
    problem = _problems(preview, 2)[imports.ALREADY_ENROLLED][0]
    assert "Autumn 2026" in problem.message


def test_apply_refuses_while_problems_remain_and_writes_nothing(setup, enrolled):
    with pytest.raises(ImportBlocked):
        import_apply(
            cohort=setup.cohort,
            text=fixture_text(),
            add_unknown_skills=True,
            by=setup.admin,
            base_url="http://testserver",
        )
    assert Participant.objects.filter(cohort=setup.cohort).count() == 1
    assert not Skill.objects.filter(name__in=["Pyhton", "Kubernetes"]).exists()
    assert not Invitation.objects.exists()


def test_unknown_skills_are_left_out_unless_added_to_the_vocabulary(setup):
    text = HEADER + "\nkim@acme.example,Kim,Lee,,,,,,,Kubernetes;python,Negotiation\n"
    result = import_apply(
        cohort=setup.cohort,
        text=text,
        add_unknown_skills=False,
        by=setup.admin,
        base_url="http://testserver",
    )
    assert result.created == 1 and result.skills_added == []
    kim = Participant.objects.get(email="kim@acme.example")
    assert [s.name for s in kim.skills_offered.all()] == ["Python"]  # Kubernetes left out
    assert not Skill.objects.filter(name="Kubernetes").exists()

    text = HEADER + "\nkit@acme.example,Kit,Lee,,,,,,,Kubernetes;python,Negotiation\n"
    result = import_apply(
        cohort=setup.cohort,
        text=text,
        add_unknown_skills=True,
        by=setup.admin,
        base_url="http://testserver",
    )
    assert result.skills_added == ["Kubernetes"]
    kit = Participant.objects.get(email="kit@acme.example")
    assert sorted(s.name for s in kit.skills_offered.all()) == ["Kubernetes", "Python"]
    assert [s.name for s in kit.skills_wanted.all()] == ["Negotiation"]


def test_apply_creates_invited_participants_with_managers_and_skills(
    setup, inline_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = import_apply(
            cohort=setup.cohort,
            text=good_rows_only(),
            add_unknown_skills=False,
            by=setup.admin,
            base_url="http://testserver",
            file_name="spring.csv",
        )
    assert result.created == 5
    people = {p.email: p for p in Participant.objects.filter(cohort=setup.cohort)}
    assert set(people) == GOOD_EMAILS
    assert all(p.status == Participant.Status.INVITED and p.user is None for p in people.values())
    # Reporting lines inside the file, whether the manager comes before or after.
    assert people["leo.martin@acme.example"].manager == people["amira.haddad@acme.example"]
    assert people["sara.ng@acme.example"].manager == people["zoe.park@acme.example"]
    assert people["zoe.park@acme.example"].manager is None
    assert [s.name for s in people["zoe.park@acme.example"].skills_wanted.all()] == ["Python"]
    # Formula-looking cells are stored as typed.
    assert people["formula@acme.example"].job_title.startswith("=HYPERLINK(")
    # One invitation each, emailed after commit in one batch task.
    assert Invitation.objects.filter(cohort=setup.cohort, sent_at__isnull=False).count() == 5
    assert inline_tasks.names() == ["programmes.tasks.invitations_send_batch_task"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(GOOD_EMAILS)
    event = AuditEvent.objects.get(action="import.applied")
    assert event.detail["rows"] == 5 and event.detail["file"] == "spring.csv"


def test_a_later_import_links_reports_to_their_newly_arrived_manager(setup):
    first = HEADER + "\nleo@acme.example,Leo,Martin,,,,,boss@acme.example,,,\n"
    import_apply(
        cohort=setup.cohort, text=first, add_unknown_skills=False, by=setup.admin, base_url=""
    )
    assert Participant.objects.get(email="leo@acme.example").manager is None
    second = HEADER + "\nboss@acme.example,Bo,Ss,,,,,,,,\n"
    import_apply(
        cohort=setup.cohort, text=second, add_unknown_skills=False, by=setup.admin, base_url=""
    )
    leo = Participant.objects.get(email="leo@acme.example")
    assert leo.manager.email == "boss@acme.example"


def test_a_draft_programme_keeps_invitations_until_enrolment_opens(
    setup, inline_tasks, django_capture_on_commit_callbacks
):
    Programme.objects.filter(pk=setup.programme.pk).update(status=Programme.Status.DRAFT)
    setup.cohort.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        result = import_apply(
            cohort=setup.cohort,
            text=good_rows_only(),
            add_unknown_skills=False,
            by=setup.admin,
            base_url="http://testserver",
        )
    assert not result.invitations_queued
    assert inline_tasks.calls == []
    assert mail.outbox == []


def test_a_ten_thousand_row_import_is_one_transaction_and_fifty_email_batches(
    setup, django_capture_on_commit_callbacks
):
    from programmes.management.commands.bench_import import generate_csv

    text = generate_csv(rows=10_000, skills=[s.name for s in setup.programme.skills.all()])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = import_apply(
            cohort=setup.cohort,
            text=text,
            add_unknown_skills=False,
            by=setup.admin,
            base_url="http://testserver",
        )
    assert result.created == 10_000
    assert Participant.objects.filter(cohort=setup.cohort).count() == 10_000
    assert Invitation.objects.filter(cohort=setup.cohort).count() == 10_000
    assert Participant.objects.filter(cohort=setup.cohort, manager__isnull=False).count() > 9_000
    assert len(callbacks) == 50  # one batch task per 200 invitations, published after commit


# --- the file itself ------------------------------------------------------------------------
def test_utf8_with_and_without_bom_is_accepted():
    text = "email,first_name\nzoë@acme.example,Zoë\n"
    assert import_decode(text.encode("utf-8")) == text
    assert import_decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("email,first_name\na@acme.example,Zoë\n".encode("cp1252"), "not UTF-8"),
        ("email\na@acme.example\n".encode("utf-16"), "UTF-16"),
        (b"email\n" + b"a" * (5 * 1024 * 1024), "limit is 5 MB"),
    ],
    ids=["windows-1252", "utf-16", "too-big"],
)
def test_other_encodings_and_big_files_are_refused_clearly(data, message):
    with pytest.raises(RuleViolation, match=message):
        import_decode(data)


def test_a_header_without_email_or_with_semicolons_is_refused(setup):
    with pytest.raises(RuleViolation, match="include “email”"):
        import_preview(cohort=setup.cohort, text="name,department\nA,B\n")
    with pytest.raises(RuleViolation, match="semicolons"):
        import_preview(cohort=setup.cohort, text="email;first_name\na@acme.example;A\n")


# --- the pages ------------------------------------------------------------------------------
def _upload(client, cohort, text: str | bytes, name: str = "people.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(reverse("programmes:import_upload", args=[cohort.pk]), {"file": upload})


def test_upload_preview_fix_and_apply_in_the_browser_flow(
    setup, enrolled, client, inline_tasks, django_capture_on_commit_callbacks
):
    client.force_login(setup.admin)
    response = _upload(client, setup.cohort, fixture_text())
    assert response.status_code == 302
    preview_url = response["Location"]
    page = client.get(preview_url)
    assert page.status_code == 200
    text = page.text
    assert "Email is missing." in text
    assert "is not a valid email address" in text
    assert "Same email as row 3" in text
    assert "Already in this cohort" in text
    assert "Unknown time zone “Mars/Olympus_Mons”" in text
    assert "Seniority must be a whole number from 1" in text
    assert "Add these 2 unknown skills to the vocabulary" in text
    assert "is not in this cohort; the reporting line is kept" in text
    assert "Import the 7 good rows and skip the 6 with errors" in text
    # Applying the whole file (not choosing to skip) is refused and writes nothing.
    response = client.post(preview_url, {"add_unknown_skills": "on", "expected": "7"})
    assert response.status_code == 200
    assert "Nothing was imported: some rows still have errors" in response.text
    assert Participant.objects.filter(cohort=setup.cohort).count() == 1

    response = _upload(client, setup.cohort, good_rows_only(), name="fixed.csv")
    fixed_url = response["Location"]
    assert "All 5 rows are ready" in client.get(fixed_url).text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(fixed_url)
    assert response.status_code == 302
    assert Participant.objects.filter(cohort=setup.cohort).count() == 6
    followed = client.get(response["Location"])
    assert "5 participants were added to Spring 2026" in followed.text
    assert len(mail.outbox) == 5
    # The stored upload is gone once applied.
    assert client.get(fixed_url).status_code == 404


def test_upload_of_a_non_utf8_file_shows_the_reason_next_to_the_field(setup, client):
    client.force_login(setup.admin)
    response = _upload(client, setup.cohort, "email\nzoë@acme.example\n".encode("cp1252"))
    assert response.status_code == 200
    assert "not UTF-8" in response.text


def test_export_escapes_formula_cells(setup, client):
    ParticipantFactory(
        cohort=setup.cohort,
        email="formula@acme.example",
        job_title='=HYPERLINK("http://evil.example")',
        department="+Finance",
        first_name="@Fred",
        last_name="-Formula",
    )
    client.force_login(setup.admin)
    response = client.get(reverse("programmes:cohort_export", args=[setup.cohort.pk]))
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows[0]["job_title"] == '\'=HYPERLINK("http://evil.example")'
    assert rows[0]["department"] == "'+Finance"
    assert rows[0]["first_name"] == "'@Fred"
    assert rows[0]["last_name"] == "'-Formula"


def test_template_download_is_a_valid_import_file(setup, client):
    client.force_login(setup.admin)
    response = client.get(reverse("programmes:import_template", args=[setup.cohort.pk]))
    text = import_decode(response.content)
    preview = import_preview(cohort=setup.cohort, text=text)
    assert [r.email for r in preview.rows] == ["amira.haddad@example.com", "leo.martin@example.com"]


def test_reporting_chains_and_cycles_in_one_file_are_linked(setup):
    text = "\n".join(
        [
            HEADER,
            # A deep chain listed from the bottom up, and a two-person cycle.
            "d@acme.example,D,,,,,,c@acme.example,,,",
            "c@acme.example,C,,,,,,b@acme.example,,,",
            "b@acme.example,B,,,,,,a@acme.example,,,",
            "a@acme.example,A,,,,,,,,,",
            "x@acme.example,X,,,,,,y@acme.example,,,",
            "y@acme.example,Y,,,,,,x@acme.example,,,",
        ]
    )
    import_apply(
        cohort=setup.cohort, text=text, add_unknown_skills=False, by=setup.admin, base_url=""
    )
    managers = dict(
        Participant.objects.filter(cohort=setup.cohort).values_list("email", "manager__email")
    )
    assert managers == {
        "a@acme.example": None,
        "b@acme.example": "a@acme.example",
        "c@acme.example": "b@acme.example",
        "d@acme.example": "c@acme.example",
        "x@acme.example": "y@acme.example",
        "y@acme.example": "x@acme.example",
    }
