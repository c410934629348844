"""Every form of the site and both CSV imports, fed hostile input (hypothesis).

The forms are found, not listed: every page that the member or the programme admin can
open and that holds a POST form to itself is a target. Each is posted a handful of
random values per field (control characters, NUL, huge strings, markup, numbers out of
range, broken dates): never a 500, and a refused form (the page again, or 4xx) stores
nothing. The CSV imports get random files built on their own template's columns.
"""

import io

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scripts.proof.browser import FormParser

from .urls import app_routes

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=5,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
UNCOUNTED = {"sessions.session", "mentoring.user", "programmes.auditevent"}
# Pages whose POST is an action on the whole programme, slow or irreversible to repeat
# with random data; their forms are plain confirmations without free input.
SKIP = {"pairing:run_start", "pairing:pairs_publish", "programmes:programme_close"}

nasty_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=3000),
    st.sampled_from(
        [
            "",
            "\x00",
            "a\x00b",
            "<script>alert(1)</script>",
            "'; DROP TABLE programmes_programme; --",
            "9" * 40,
            "-1",
            "0",
            "1e309",
            "2026-02-30",
            "2026-13-01T25:61",
            "\ufeff=cmd|' /C calc'!A0",
            "../../etc/passwd",
            "%00",
            "\u202etxt.exe",
        ]
    ),
)


def _row_counts() -> dict[str, int]:
    return {
        m._meta.label_lower: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in {"mentoring", "programmes", "pairing", "feedback", "insights"}
        and m._meta.managed
        and m._meta.label_lower not in UNCOUNTED
    }


def _form_targets(client: Client, values: dict) -> list[tuple[str, list[str]]]:
    targets = []
    for route in app_routes():
        if route.name in SKIP:
            continue
        url = route.url(values)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = FormParser()
        parser.feed(response.content.decode())
        for form in parser.forms:
            if form["method"] == "post" and form["action"] in ("", url):
                names = sorted({n for n, _ in form["fields"]} | set(form["radios"]))
                names = [n for n in names if n != "csrfmiddlewaretoken"]
                if names:
                    targets.append((url, names))
                break
    return targets


def _fuzz(client: Client, url: str, names: list[str], problems: list[str]) -> None:
    @settings(FUZZ, max_examples=4)
    @given(st.fixed_dictionaries({name: nasty_text for name in names}))
    def post(values):
        before = _row_counts()
        response = client.post(url, values)
        if response.status_code >= 500:
            problems.append(f"POST {url} {values!r}: {response.status_code}")
        elif response.status_code != 302 and _row_counts() != before:
            problems.append(f"POST {url} refused ({response.status_code}) but stored rows")

    post()


@pytest.mark.parametrize("actor", ["member", "admin"])
def test_every_form_survives_hostile_input(hostile_world, actor):
    world = hostile_world.world
    client = Client(raise_request_exception=False)
    client.force_login(world.member.user if actor == "member" else world.admin)
    targets = _form_targets(client, hostile_world.own_values())
    assert len(targets) >= (8 if actor == "member" else 6), targets
    problems: list[str] = []
    for url, names in targets:
        _fuzz(client, url, names, problems)
    assert not problems, "\n".join(problems[:20])


def _template(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode("utf-8-sig").splitlines()[0].split(",")


cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "\x00", '"', '""', "a,b", "\r\n", "=HYPERLINK(1)", "x" * 5000]),
)


def _csv(columns: list[str], rows: list[list[str]], bom: bool) -> bytes:
    out = io.StringIO()
    out.write(",".join(columns) + "\n")
    for row in rows:
        out.write(",".join('"' + c.replace('"', '""') + '"' for c in row) + "\n")
    data = out.getvalue().encode("utf-8", "surrogatepass")
    return (b"\xef\xbb\xbf" if bom else b"") + data


def _import_round(client, upload_url, columns, rows, bom, problems, label):
    before = _row_counts()
    payload = io.BytesIO(_csv(columns, rows, bom))
    payload.name = "hostile.csv"
    response = client.post(upload_url, {"file": payload})
    if response.status_code >= 500:
        problems.append(f"{label} upload: {response.status_code}")
        return
    if response.status_code != 302:
        if _row_counts() != before:
            problems.append(f"{label}: a refused upload stored rows")
        return
    preview = response["Location"]
    if client.get(preview).status_code >= 500:
        problems.append(f"{label} preview: 500")
    applied = client.post(preview, {"skip_errors": "on", "expected": "0"})
    if applied.status_code >= 500:
        problems.append(f"{label} apply: {applied.status_code}")


def _rows(columns: list[str]):
    return st.lists(st.lists(cells, min_size=len(columns), max_size=len(columns)), max_size=6)


def test_the_participant_import_survives_hostile_files(hostile_world):
    client = Client(raise_request_exception=False)
    client.force_login(hostile_world.world.admin)
    cohort = hostile_world.world.cohort.pk
    columns = _template(client, reverse("programmes:import_template", args=[cohort]))
    upload = reverse("programmes:import_upload", args=[cohort])
    problems: list[str] = []

    @FUZZ
    @given(rows=_rows(columns), bom=st.booleans(), drop=st.integers(0, len(columns)))
    def run(rows, bom, drop):
        cols = columns[: len(columns) - drop] if drop else columns
        _import_round(
            client, upload, cols, [r[: len(cols)] for r in rows], bom, problems, "participants"
        )

    run()
    assert not problems, "\n".join(problems[:20])


def test_the_outcome_imports_survive_hostile_files(hostile_world):
    from feedback.imports import SPECS

    client = Client(raise_request_exception=False)
    client.force_login(hostile_world.world.admin)
    slug = hostile_world.programme.slug
    problems: list[str] = []
    for kind in SPECS:
        columns = _template(client, reverse("feedback:outcome_import_template", args=[slug, kind]))
        upload = reverse("feedback:outcome_import_upload", args=[slug, kind])

        _outcome_fuzz(client, kind, columns, upload, problems)
    assert not problems, "\n".join(problems[:20])


def _outcome_fuzz(client, kind: str, columns: list[str], upload: str, problems: list[str]):
    @FUZZ
    @given(rows=_rows(columns), bom=st.booleans())
    def run(rows, bom):
        _import_round(client, upload, columns, rows, bom, problems, f"outcomes {kind}")

    run()
