"""Long forms open with an error summary after a bad submit (templates/_form_errors.html):
every problem listed, each field's problem a link to that field's id, announced
(role="alert") and focusable (tabindex=-1; static/js/error-summary.js focuses it)."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from programmes.models import Programme
from programmes.services.applications import nomination_link_enable

pytestmark = pytest.mark.django_db


class _Summary(HTMLParser):
    """The error summary's attributes, links (href, text) and every id on the page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.summary: dict[str, str] | None = None
        self.links: list[tuple[str, str]] = []
        self.items: list[str] = []
        self.scripts: list[str] = []
        self._depth = 0  # >0 while inside the summary
        self._link: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        if self._depth:
            self._depth += tag != "br"
            if tag == "li":
                self._text = []
            if tag == "a":
                self._link = attrs.get("href", "")
        elif attrs.get("data-testid") == "error-summary":
            self.summary = attrs
            self._depth = 1

    def handle_endtag(self, tag):
        if not self._depth:
            return
        if tag == "li":
            self.items.append(" ".join("".join(self._text).split()))
        if tag == "a" and self._link is not None:
            self.links.append((self._link, " ".join("".join(self._text).split())))
            self._link = None
        self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self._text.append(data)


def summary_of(response) -> _Summary:
    assert response.status_code == 200, response.status_code
    parsed = _Summary()
    parsed.feed(response.content.decode())
    assert parsed.summary is not None, "no error summary on the page"
    assert parsed.summary["role"] == "alert"
    assert parsed.summary["tabindex"] == "-1"
    assert any(src.endswith("js/error-summary.js") for src in parsed.scripts)
    for href, _ in parsed.links:
        assert href.startswith("#") and href[1:] in parsed.ids, f"{href} points at no field"
    return parsed


def no_summary(response) -> bool:
    parsed = _Summary()
    parsed.feed(response.content.decode())
    return parsed.summary is None


def test_the_cohort_form_lists_each_problem_as_a_link_to_its_field(world):
    client = world.client_for("admin")
    url = reverse("programmes:cohort_create", args=[world.programme.slug])
    assert no_summary(client.get(url))
    summary = summary_of(client.post(url, {"name": "", "starts_on": "", "ends_on": ""}))
    hrefs = [href for href, _ in summary.links]
    assert hrefs[:3] == ["#id_name", "#id_starts_on", "#id_ends_on"]
    assert summary.links[0][1] == "Name: This field is required."


def test_the_programme_form_summary_links_to_the_fields(world):
    client = world.client_for("admin")
    url = reverse("programmes:programme_edit", args=[world.programme.slug])
    summary = summary_of(client.post(url, {"name": "", "slug": world.programme.slug}))
    hrefs = [href for href, _ in summary.links]
    assert "#id_name" in hrefs
    assert any(text.startswith("Name:") for _, text in summary.links)


def test_the_import_form_summary_links_to_the_file_field(world):
    client = world.client_for("admin")
    url = reverse("programmes:import_upload", args=[world.cohort.pk])
    empty = SimpleUploadedFile("people.csv", b"", content_type="text/csv")
    summary = summary_of(client.post(url, {"file": empty}))
    assert [href for href, _ in summary.links] == ["#id_file"]


def test_the_apply_form_summary_links_to_each_missing_answer(world, make_user):
    Programme.objects.filter(pk=world.programme.pk).update(status=Programme.Status.ENROLLING)
    world.programme.refresh_from_db()
    link = nomination_link_enable(programme=world.programme, cohort=None, by=world.admin)
    colleague = make_user(email="colleague@world.example", first_name="Gabriela")
    from django.test import Client

    client = Client()
    client.force_login(colleague)
    url = reverse("programmes:apply", args=[link.token])
    assert no_summary(client.get(url))
    summary = summary_of(client.post(url, {"first_name": "Gabriela"}))
    hrefs = [href for href, _ in summary.links]
    assert "#id_motivation" in hrefs and "#id_department" in hrefs
    assert "#id_first_name" not in hrefs  # answered: no problem listed
    assert any(text.startswith("Why do you want to join?: ") for _, text in summary.links)


def test_the_schedule_form_summary_names_the_past_time(world):
    client = world.client_for("member")
    url = reverse("pairing:session_schedule", args=[world.pair.pk])
    yesterday = (timezone.now() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    summary = summary_of(
        client.post(url, {"scheduled_start": yesterday, "planned_minutes": "45", "place": ""})
    )
    assert summary.links[0][0] == "#id_scheduled_start"
    assert "passed" in summary.links[0][1]


def test_the_participant_profile_summary_links_to_the_consent_box(world):
    client = world.client_for("member")
    url = reverse("programmes:profile", args=[world.member.pk])
    assert no_summary(client.get(url))
    summary = summary_of(client.post(url, {"time_zone": "UTC", "birth_year": "1990"}))
    assert "#id_demographics_consent" in [href for href, _ in summary.links]
