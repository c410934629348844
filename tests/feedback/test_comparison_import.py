"""The comparison group from CSV: the organisation's figures per department and period."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from feedback.imports import OutcomeImportBlocked
from feedback.imports.comparison import comparison_apply, comparison_preview
from feedback.models import ComparisonCount

pytestmark = pytest.mark.django_db

HEADER = "period_start,period_end,department,headcount,leavers,promotions\n"


def csv_of(*lines: str) -> str:
    return HEADER + "".join(line + "\n" for line in lines)


def test_good_bad_and_warning_rows(world):
    # The world's participants are in Engineering (factory), Finance and Sales.
    text = csv_of(
        "2026-01-01,2026-12-31,Engineering,410,37,41",  # ready
        '2026-01-01,2026-12-31,finance,"1,240",22,18',  # ready (case, thousands)
        "2026-01-01,2026-12-31,Legal,12,1,0",  # warning: nobody of the programme there
        "2026-12-31,2026-01-01,Sales,50,5,5",  # error: ends before it starts
        "2026-01-01,2026-12-31,,50,5,5",  # error: no department
        "2026-01-01,2026-12-31,Sales,0,0,0",  # error: headcount 0
        "2026-01-01,2026-12-31,Sales,20,25,1",  # error: leavers over headcount
        "2026-01-01,2026-12-31,Sales,20,two,1",  # error: not a number
        "2026-01-01,2026-12-31,ENGINEERING,400,30,30",  # error: same as line 2
        "Jan 2026,2026-12-31,Sales,20,2,1",  # error: unreadable date
    )
    preview = comparison_preview(programme=world.programme, text=text)
    assert preview.counts() == {"rows": 10, "ready": 2, "warnings": 1, "to_fix": 7, "importable": 3}
    by_line = {row.line: row for row in preview.rows}
    assert by_line[3].values["headcount"] == 1240
    assert [p.code for p in by_line[4].warnings] == ["unknown_department"]
    assert [p.code for p in by_line[5].errors] == ["period_order"]
    assert [p.code for p in by_line[6].errors] == ["missing_department"]
    assert [p.code for p in by_line[7].errors] == ["bad_count"]
    assert [p.code for p in by_line[8].errors] == ["count_over_headcount"]
    assert [p.code for p in by_line[9].errors] == ["bad_count"]
    assert [p.code for p in by_line[10].errors] == ["duplicate_row"]
    assert [p.code for p in by_line[11].errors] == ["bad_date"]


def test_apply_all_or_nothing_then_replace(world):
    text = csv_of("2026-01-01,2026-12-31,Engineering,410,37,41", "bad,2026-12-31,Sales,1,0,0")
    with pytest.raises(OutcomeImportBlocked):
        comparison_apply(programme=world.programme, text=text, by=world.hr)
    assert not ComparisonCount.objects.exists()
    result = comparison_apply(programme=world.programme, text=text, by=world.hr, skip_errors=True)
    assert (result.written, len(result.skipped)) == (1, 1)
    # The same department and period again: a warning, and the figures are replaced.
    newer = csv_of("2026-01-01,2026-12-31,engineering,420,30,44")
    preview = comparison_preview(programme=world.programme, text=newer)
    assert [p.code for p in preview.rows[0].warnings] == ["replaces"]
    comparison_apply(programme=world.programme, text=newer, by=world.admin)
    row = ComparisonCount.objects.get()
    assert (row.department, row.headcount, row.leavers, row.promotions) == (
        "Engineering",  # the spelling first imported is kept
        420,
        30,
        44,
    )
    assert ComparisonCount.objects.filter(programme=world.other_programme).count() == 0


@pytest.mark.parametrize("actor", ["admin", "hr"])
def test_the_pages_import_and_show_the_figures(world, actor):
    client = world.client_for(actor)
    slug = world.programme.slug
    upload = reverse("feedback:outcome_import_upload", kwargs={"slug": slug, "kind": "comparison"})
    text = csv_of("2026-01-01,2026-12-31,Finance,240,22,18", "x,y,Sales,1,0,0")
    response = client.post(upload, {"file": SimpleUploadedFile("org.csv", text.encode())})
    preview_url = response["Location"]
    page = client.get(preview_url).content.decode()
    assert "Import the 1 good row and skip the 1 with errors" in page
    client.post(preview_url, {"expected": "1", "skip_errors": "on"})
    home = client.get(reverse("feedback:outcomes_home", kwargs={"slug": slug})).content.decode()
    assert "Finance" in home and "240" in home
