"""The CSV import counts warnings as warnings, imports the good rows and skips the bad ones
(atomically), hands back the skipped rows as a CSV to fix, and can update people already in
the cohort when the admin ticks "update existing people"."""

import csv
import io

import pytest
from django.urls import reverse

from programmes.models import AuditEvent, Invitation, Participant, Skill
from programmes.services import imports
from programmes.services.imports import ImportBlocked, import_apply, import_preview
from programmes.services.imports.columns import COLUMNS
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)
# Five rows: four good (one with an unknown skill, one with a manager outside the cohort),
# one bad (an invalid email), and a formula-looking job title in the bad row.
FIVE_ROWS = "\n".join(
    [
        HEADER,
        "amira@acme.example,Amira,Haddad,Finance,London,Head of FP&A,8,,Europe/London,Budgeting,",
        "leo@acme.example,Leo,Martin,Engineering,Lisbon,Engineer,3,amira@acme.example,Europe/Lisbon,Python,",
        "kim@acme.example,Kim,Lee,Engineering,London,SRE,5,,Europe/London,Kubernetes;Python,",
        "lou@acme.example,Lou,Lost,Sales,Paris,Seller,4,nobody@acme.example,Europe/Paris,,",
        'not-an-email,Bad,Row,Finance,London,"=HYPERLINK(""http://evil.example"")",3,,Europe/London,,',
    ]
)


def _apply(setup, text, **options):
    defaults = {"add_unknown_skills": False, "by": setup.admin, "base_url": "http://testserver"}
    return import_apply(cohort=setup.cohort, text=text, **(defaults | options))


def _upload(client, cohort, text: str, *, update: bool = False):
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = "people.csv"
    data = {"file": upload} | ({"update": "on"} if update else {})
    response = client.post(reverse("programmes:import_upload", args=[cohort.pk]), data)
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


# --- counting -------------------------------------------------------------------------------
def test_warnings_count_as_ready_with_warnings_not_as_rows_to_fix(setup):
    counts = import_preview(cohort=setup.cohort, text=FIVE_ROWS).counts()
    assert (counts["ready"], counts["warnings"], counts["to_fix"]) == (2, 2, 1)
    assert counts["importable"] == 4


def test_the_preview_page_shows_the_three_counts_and_offers_the_partial_import(setup, client):
    client.force_login(setup.admin)
    page = client.get(_upload(client, setup.cohort, FIVE_ROWS))
    html = page.content.decode()
    for testid, value in (("ready-count", 2), ("warnings-count", 2), ("to-fix-count", 1)):
        assert f'data-testid="{testid}">{value}<' in html
    assert "Import the 4 good rows and skip the 1 with errors" in html
    assert "Download the 1 row to fix (CSV)" in html
    # What happens to each warning is said on its row.
    assert "Left out of this person&#x27;s skills" in html
    assert "the reporting line is kept and linked if they join" in html


def test_a_clean_file_offers_just_import_n_people(setup, client):
    client.force_login(setup.admin)
    good = "\n".join(FIVE_ROWS.splitlines()[:5])
    html = client.get(_upload(client, setup.cohort, good)).content.decode()
    assert "Import 4 people" in html
    assert "skip the" not in html


# --- the partial import -----------------------------------------------------------------------
def test_without_choosing_to_skip_nothing_is_imported(setup):
    with pytest.raises(ImportBlocked):
        _apply(setup, FIVE_ROWS)
    assert not Participant.objects.filter(cohort=setup.cohort).exists()


def test_skipping_imports_every_good_row_and_only_those(setup):
    result = _apply(setup, FIVE_ROWS, skip_errors=True, expected_rows=4)
    assert result.created == 4
    assert [row.cells["email"] for row in result.skipped] == ["not-an-email"]
    emails = set(Participant.objects.filter(cohort=setup.cohort).values_list("email", flat=True))
    assert emails == {
        "amira@acme.example",
        "leo@acme.example",
        "kim@acme.example",
        "lou@acme.example",
    }
    assert Invitation.objects.filter(cohort=setup.cohort).count() == 4
    kim = Participant.objects.get(email="kim@acme.example")
    assert [s.name for s in kim.skills_offered.all()] == ["Python"]  # Kubernetes left out
    event = AuditEvent.objects.get(action="import.applied")
    assert (event.detail["rows"], event.detail["skipped"]) == (4, 1)


def test_the_applied_part_is_atomic(setup, monkeypatch):
    """A failure while writing the good rows leaves none of them behind."""
    from programmes.services.imports import apply as apply_module

    def broken(**kwargs):
        raise RuntimeError("the mail queue is on fire")

    monkeypatch.setattr(apply_module, "invitations_enqueue", broken)
    with pytest.raises(RuntimeError):
        _apply(setup, FIVE_ROWS, skip_errors=True)
    assert not Participant.objects.filter(cohort=setup.cohort).exists()
    assert not Invitation.objects.exists()


def test_apply_refuses_when_the_good_rows_are_not_those_the_admin_saw(setup):
    # Someone enrols Amira between the preview and the click: 3 good rows now, not 4.
    ParticipantFactory(cohort=setup.cohort, email="amira@acme.example")
    with pytest.raises(ImportBlocked) as refused:
        _apply(setup, FIVE_ROWS, skip_errors=True, expected_rows=4)
    assert refused.value.changed
    assert Participant.objects.filter(cohort=setup.cohort).count() == 1


def test_the_page_imports_the_good_rows_then_offers_the_skipped_ones_as_csv(setup, client):
    client.force_login(setup.admin)
    preview_url = _upload(client, setup.cohort, FIVE_ROWS)
    response = client.post(preview_url, {"skip_errors": "on", "expected": "4"}, follow=True)
    html = response.content.decode()
    assert "4 participants were added to Spring 2026." in html
    assert "1 row with errors was skipped" in html
    skipped_url = preview_url + "rows-to-fix.csv"
    assert f'href="{skipped_url}"' in html
    download = client.get(skipped_url)
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    assert "people-rows-to-fix.csv" in download["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert [row["email"] for row in rows] == ["not-an-email"]
    assert "not a valid email address" in rows[0]["problems"]
    # Formula-injection safe, as the cohort export.
    assert rows[0]["job_title"].startswith("'=HYPERLINK(")
    # The preview itself is gone (applied); the skipped rows stay downloadable.
    assert client.get(preview_url).status_code == 404


def test_the_rows_to_fix_download_is_a_file_that_uploads_again(setup, client):
    client.force_login(setup.admin)
    preview_url = _upload(client, setup.cohort, FIVE_ROWS)
    body = client.get(preview_url + "rows-to-fix.csv").content.decode("utf-8-sig")
    fixed = body.replace("not-an-email", "bad.row@acme.example")
    html = client.get(_upload(client, setup.cohort, fixed)).content.decode()
    assert "Import 1 person" in html
    assert "Columns ignored (not part of the import): <code>problems</code>" in html


# --- update existing people ---------------------------------------------------------------------
@pytest.fixture
def leo(setup):
    python = Skill.objects.get(programme=setup.programme, name="Python")
    person = ParticipantFactory(
        cohort=setup.cohort,
        email="leo@acme.example",
        first_name="Leo",
        last_name="Martin",
        department="Engineering",
        job_title="Engineer",
        seniority=3,
        time_zone="Europe/Lisbon",
    )
    person.skills_offered.set([python])
    return person


UPDATE_FILE = "\n".join(
    [
        HEADER,
        # Leo: new department, job title and level; empty location and time zone keep theirs;
        # skills in the file are ignored (his own answers).
        "leo@acme.example,Leo,Martin,Product,,Product Manager,5,,,Negotiation,Budgeting",
        "new@acme.example,New,Person,Sales,Paris,Seller,4,,Europe/Paris,,",
    ]
)


def test_without_the_tick_a_known_email_is_refused_as_today(setup, leo):
    preview = import_preview(cohort=setup.cohort, text=UPDATE_FILE)
    row = preview.rows[0]
    assert [p.code for p in row.errors] == [imports.ALREADY_ENROLLED]
    assert preview.already_in_cohort == 1


def test_with_the_tick_the_preview_says_what_will_change(setup, leo):
    preview = import_preview(cohort=setup.cohort, text=UPDATE_FILE, update_existing=True)
    row = preview.rows[0]
    assert row.is_update and not row.problems
    assert [(c.column, c.before, c.after) for c in row.changes] == [
        ("department", "Engineering", "Product"),
        ("job_title", "Engineer", "Product Manager"),
        ("seniority", "3", "5"),
    ]
    counts = preview.counts()
    assert (counts["new"], counts["updates"], counts["unchanged"]) == (1, 1, 0)


def test_updating_changes_only_the_admin_owned_fields(setup, leo):
    result = _apply(setup, UPDATE_FILE, update_existing=True)
    assert (result.created, result.updated) == (1, 1)
    leo.refresh_from_db()
    assert (leo.department, leo.job_title, leo.seniority) == ("Product", "Product Manager", 5)
    assert (leo.location, leo.time_zone) == ("London", "Europe/Lisbon")  # empty cells keep
    assert [s.name for s in leo.skills_offered.all()] == ["Python"]
    assert not leo.skills_wanted.exists()
    assert Invitation.objects.filter(participant=leo).count() == 0  # no new invitation
    event = AuditEvent.objects.get(action="import.applied")
    assert event.detail["updated"] == 1
    assert event.detail["updated_fields"] == ["department", "job title", "level"]


def test_an_update_relinks_the_manager_inside_the_cohort(setup, leo):
    boss = ParticipantFactory(cohort=setup.cohort, email="boss@acme.example")
    text = HEADER + "\nleo@acme.example,,,,,,,boss@acme.example,,,\n"
    _apply(setup, text, update_existing=True)
    leo.refresh_from_db()
    assert (leo.manager_email, leo.manager) == ("boss@acme.example", boss)


def test_the_preview_page_lists_will_update_per_row(setup, leo, client):
    client.force_login(setup.admin)
    html = client.get(_upload(client, setup.cohort, UPDATE_FILE, update=True)).content.decode()
    assert "Will update:" in html
    assert "department (Engineering → Product)" in html
    assert 'data-testid="update-summary"' in html
    assert "Import 2 people" in html
    # The same file without the tick: Leo is refused, and the page says how to update him.
    html = client.get(_upload(client, setup.cohort, UPDATE_FILE)).content.decode()
    assert "Already in this cohort" in html
    assert "Tick the box to update their details from this file instead." in html


def test_someone_in_another_cohort_stays_refused_even_with_the_tick(setup):
    from tests.factories import CohortFactory

    other = CohortFactory(programme=setup.programme, name="Autumn 2026")
    ParticipantFactory(cohort=other, email="leo@acme.example")
    preview = import_preview(cohort=setup.cohort, text=UPDATE_FILE, update_existing=True)
    assert [p.code for p in preview.rows[0].errors] == [imports.ALREADY_ENROLLED]


def test_the_preview_query_count_does_not_grow_with_the_cohort(
    setup, client, django_assert_max_num_queries
):
    from programmes.management.commands.bench_import import generate_csv

    skills = [s.name for s in setup.programme.skills.all()]
    _apply(setup, generate_csv(rows=300, skills=skills))
    client.force_login(setup.admin)
    url = _upload(client, setup.cohort, generate_csv(rows=300, skills=skills), update=True)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert "300 people updated" not in response.content.decode()  # nothing changed
    assert response.context["counts"]["unchanged"] == 300
