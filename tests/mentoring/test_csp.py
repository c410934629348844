"""The Content-Security-Policy header, and the templates and scripts that must live with it.

The browser side (the policy really refuses inline code, no page breaks it) is in
tests/browser/test_csp.py and in every browser test through tests/conftest.py.
"""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.services.metrics import metrics_compute
from mentoring.templatetags.bars import bar_width
from pairing.models import MentoringSession, SessionRole
from pairing.services.sessions import session_log, session_schedule

ROOT = Path(__file__).resolve().parents[2]
# E-mail bodies are not served as pages, so no policy applies to them.
PAGE_TEMPLATES = sorted(
    path for path in (ROOT / "templates").rglob("*.html") if "emails" not in path.parts
)
OUR_SCRIPTS = sorted((ROOT / "static" / "js").glob("*.js"))


def policy_of(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def nonce_of(policy: dict[str, list[str]]) -> str:
    (nonce,) = [v for v in policy["script-src"] if v.startswith("'nonce-")]
    return nonce.removeprefix("'nonce-").removesuffix("'")


def script_tags(html: str) -> list[str]:
    return re.findall(r"<script\b[^>]*>", html)


@pytest.mark.django_db
def test_a_page_sends_a_strict_policy_with_a_nonce_on_its_scripts(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    policy = policy_of(response)

    assert policy["script-src"][0] == "'self'"
    nonce = nonce_of(policy)
    assert len(nonce) >= 16
    for loose in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:"):
        assert loose not in policy["script-src"]
        assert loose not in policy["style-src"]
    assert [v for v in policy["style-src"] if v != "'report-sample'"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]

    # Each executable script is a file from this site and carries this response's nonce.
    tags = [t for t in script_tags(response.content.decode()) if "application/json" not in t]
    assert tags, "the page has scripts"
    for tag in tags:
        assert 'src="/static/' in tag, tag
        assert f'nonce="{nonce}"' in tag, tag


@pytest.mark.django_db
def test_each_response_gets_a_new_nonce(client):
    first = nonce_of(policy_of(client.get(reverse("account_login"))))
    second = nonce_of(policy_of(client.get(reverse("account_login"))))
    assert first != second


@pytest.mark.django_db
def test_the_pair_page_with_its_chart_has_no_inline_script(world):
    """The pair page draws its balance chart from json_script data and static files only."""
    member, partner = world.member, world.partner
    session = session_schedule(
        pair=world.pair,
        by=member,
        scheduled_start=timezone.now() - dt.timedelta(days=1),
        now=timezone.now() - dt.timedelta(days=2),  # scheduled the day before
    )
    session_log(
        session=session,
        by=member,
        status=MentoringSession.Status.HELD,
        actual_minutes=60,
        roles={member.pk: SessionRole.MENTOR, partner.pk: SessionRole.MENTEE},
        topics=["technical"],
    )
    metrics_compute(pair_ids=[world.pair.pk])
    response = world.client_for("member").get(reverse("feedback:pair_detail", args=[world.pair.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="pair-balance-hours"' in html  # the charts are there
    nonce = nonce_of(policy_of(response))
    for tag in script_tags(html):
        if 'type="application/json"' in tag:
            continue  # json_script data: never executed
        assert "src=" in tag and f'nonce="{nonce}"' in tag, tag
    assert 'src="/static/js/pair-balance.js"' in html
    assert " style=" not in html


# --- nothing the policy would refuse, in any page template -----------------------------------
FORBIDDEN_IN_TEMPLATES = {
    "style attribute": re.compile(r"\sstyle\s*="),
    "<style> block": re.compile(r"<style\b"),
    "inline event handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "htmx hx-on (needs eval)": re.compile(r"\b(data-)?hx-on"),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>"),
}


@pytest.mark.parametrize("path", PAGE_TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_template_has_nothing_the_policy_refuses(path):
    source = path.read_text(encoding="utf-8")
    found = [
        f"{what}: {match.group(0)!r} at line {source.count(chr(10), 0, match.start()) + 1}"
        for what, pattern in FORBIDDEN_IN_TEMPLATES.items()
        for match in pattern.finditer(source)
    ]
    assert not found, found


@pytest.mark.parametrize("path", OUR_SCRIPTS, ids=lambda p: p.name)
def test_our_scripts_set_no_style_attribute(path):
    """el.style.x = ... (the CSSOM) is allowed; a style attribute written as markup is not."""
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"setAttribute\(\s*[\"']style|style=|cssText|<style", source)


# --- bar widths as classes --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("percent", "css_class"),
    [
        (0, "bar-w-0"),
        (2, "bar-w-0"),
        (3, "bar-w-5"),
        (72, "bar-w-70"),
        (73, "bar-w-75"),
        (100, "bar-w-100"),
        (140, "bar-w-100"),  # clamped
        (-5, "bar-w-0"),
        (Decimal("33.3"), "bar-w-35"),
        ("45", "bar-w-45"),
        (None, "bar-w-0"),
        ("", "bar-w-0"),
        (float("nan"), "bar-w-0"),
    ],
)
def test_bar_width(percent, css_class):
    assert bar_width(percent) == css_class


def test_every_bar_width_class_is_defined_in_the_stylesheet():
    css = (ROOT / "static" / "css" / "app.css").read_text(encoding="utf-8")
    for step in range(0, 101, 5):
        assert re.search(rf"\.bar-w-{step} \{{ width: {step}%; \}}", css), step
