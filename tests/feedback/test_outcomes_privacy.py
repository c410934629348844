"""The survey's promise: "Only you ever read this answer: not your partner, not the
programme admins, not HR." And outcome events reach no page about a person.

Every GET page of the site that the world's ids can fill (and every CSV they link to) is
loaded as each actor but the author: the free-text answer is on none of them, nor in the
Django admin. The author reads it on their own survey form only.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from feedback.forms.outcomes import PRIVATE_TEXT_HELP
from feedback.models import OutcomeEvent, Survey, SurveyResponse
from tests.permissions import url_names

pytestmark = pytest.mark.django_db

SECRET = "PRIVATE-SURVEY-FREE-TEXT-5d2a"
NAMESPACES = ("programmes", "pairing", "feedback", "insights")
READERS = ("partner", "other_pair_member", "other_programme_admin", "admin", "hr", "superuser")


@pytest.fixture
def answered(world):
    now = timezone.now()
    survey = Survey.objects.create(
        programme=world.programme,
        wave="baseline",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=7),
    )
    for participant in (world.member, world.partner):
        SurveyResponse.objects.create(
            survey=survey,
            participant=participant,
            engagement=4,
            satisfaction=5,
            confidence=3,
            valued=2,
            intent_to_stay=4,
            private_text=SECRET if participant == world.member else "",
        )
    OutcomeEvent.objects.create(
        participant=world.member,
        kind="pay_change",
        occurred_on=world.cohort.starts_on + dt.timedelta(days=3),
        pay_change_pct=Decimal("7.77"),
    )
    return world


def _kwargs_for(w, names):
    values = {
        "slug": w.programme.slug,
        "cohort_id": w.cohort.pk,
        "pair_id": w.pair.pk,
        "participant_id": w.member.pk,
        "wave": "baseline",
        "kind": "events",
    }
    if not set(names) <= set(values):
        return None
    return {name: values[name] for name in names}


def _pages(w):
    """(url name, path) of every GET page whose arguments the world fills."""
    pages = []
    for full_name in sorted(n for ns in NAMESPACES for n in url_names(ns)):
        try:
            names = _argument_names(full_name)
        except LookupError:
            continue
        kwargs = _kwargs_for(w, names)
        if kwargs is None:
            continue
        try:
            pages.append((full_name, reverse(full_name, kwargs=kwargs)))
        except NoReverseMatch:
            continue
    return pages


def _argument_names(full_name):
    namespace, name = full_name.split(":")

    def walk(patterns, ns):
        for p in patterns:
            if isinstance(p, URLResolver):
                found = walk(p.url_patterns, p.namespace or ns)
                if found is not None:
                    return found
            elif isinstance(p, URLPattern) and p.name == name and ns == namespace:
                return list(p.pattern.converters)
        return None

    found = walk(get_resolver().url_patterns, None)
    if found is None:
        raise LookupError(full_name)
    return found


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _client(w, actor):
    client = Client(raise_request_exception=False)
    user = w.partner.user if actor == "partner" else w.user_for(actor)
    client.force_login(user)
    return client


def test_the_free_text_answer_and_pay_change_reach_no_page_or_export(answered):
    w = answered
    pages = _pages(w)
    assert any(name == "feedback:outcomes_home" for name, _ in pages)
    assert any(name == "feedback:survey_answer" for name, _ in pages)
    loaded = 0
    for actor in READERS:
        client = _client(w, actor)
        seen = set()
        queue = [path for _, path in pages]
        while queue:
            path = queue.pop()
            if path in seen:
                continue
            seen.add(path)
            response = client.get(path)
            if response.status_code != 200:
                continue
            loaded += 1
            body = _body(response)
            assert SECRET not in body, f"the free-text answer is shown to {actor} at {path}"
            assert "7.77" not in body, f"a person's pay change is shown to {actor} at {path}"
            # Follow the CSV exports a page links to (dashboard charts, cohort export...).
            queue += [
                link for link in re.findall(r'href="(/[^"]+\.csv[^"]*)"', body) if link not in seen
            ]
        for admin_page in (
            reverse("admin:feedback_surveyresponse_changelist"),
            reverse(
                "admin:feedback_surveyresponse_change",
                args=[SurveyResponse.objects.get(participant=w.member).pk],
            ),
        ):
            assert SECRET not in _body(client.get(admin_page))
    assert loaded > 20


def test_the_author_reads_it_back_on_their_own_form_only(answered):
    w = answered
    client = Client()
    client.force_login(w.member.user)
    own = reverse(
        "feedback:survey_answer", kwargs={"participant_id": w.member.pk, "wave": "baseline"}
    )
    html = client.get(own).content.decode()
    assert SECRET in html
    assert PRIVATE_TEXT_HELP in html  # the promise, on the form
    for path in (
        reverse("programmes:my_programme"),
        reverse("feedback:pair_detail", args=[w.pair.pk]),
    ):
        assert SECRET not in client.get(path).content.decode()
