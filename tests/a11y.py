"""Accessibility checks for Playwright pages: axe-core (WCAG 2.1 A and AA rules) plus the
structure axe leaves alone or only warns about.

axe-core comes from npm (``package.json``) and is read from ``node_modules``; it is never
served by the site. It is put into the page with ``page.evaluate``, which runs through the
DevTools protocol in the page's own world: the site's Content-Security-Policy (script-src
'self' plus a nonce) governs what the *page* may load and is not switched off for the test,
so a page that breaks the policy still fails the CSP watcher in tests/conftest.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
FAILING_IMPACTS = ("serious", "critical")
PHONE_WIDTH = 390

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    // WCAG 2.5.3 "label in name": axe marks the rule experimental (off unless asked).
    rules: {"label-content-name-mismatch": {enabled: true}},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary || ""})),
  }));
}"""

# What axe does not fail on but a screen-reader user still trips over: the document's
# language and title, one h1, and heading levels that never skip (an h1 then an h4).
STRUCTURE = """() => {
  const problems = [];
  const lang = document.documentElement.getAttribute("lang") || "";
  if (!lang.trim()) problems.push("<html> has no lang attribute");
  if (!document.title.trim()) problems.push("the page has no <title>");
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].filter(visible);
  const h1s = headings.filter((h) => h.tagName === "H1");
  if (h1s.length !== 1) {
    problems.push(`${h1s.length} visible <h1> elements (want exactly one): `
      + h1s.map((h) => JSON.stringify(h.textContent.trim().slice(0, 60))).join(", "));
  }
  let previous = 0;
  for (const h of headings) {
    const level = Number(h.tagName[1]);
    if (level > previous + 1) {
      problems.push(`heading level jumps from h${previous || "(none)"} to h${level}: `
        + JSON.stringify(h.textContent.trim().slice(0, 60)));
    }
    previous = level;
  }
  return problems;
}"""


# The page's width, the window's, and (only when the page is wider) what sticks out.
WIDTHS = """async () => {
  // Let the page react to the new width first: charts resize from a ResizeObserver that
  // redraws on the next animation frame, so three frames cover observer, redraw, layout.
  for (let i = 0; i < 3; i++) await new Promise((done) => requestAnimationFrame(done));
  const width = document.documentElement.scrollWidth;
  if (width <= window.innerWidth) return [width, window.innerWidth, []];
  const wide = [...document.querySelectorAll("body *")].filter((el) => {
    const r = el.getBoundingClientRect();
    return r.right > window.innerWidth + 1 && r.width > 0;
  });
  return [width, window.innerWidth, wide.slice(0, 5).map((el) => el.tagName.toLowerCase()
    + (el.id ? "#" + el.id : "")
    + (el.classList.length ? "." + [...el.classList].join(".") : ""))];
}"""


@cache
def axe_source() -> str:
    if not AXE_JS.exists():
        raise AssertionError(f"{AXE_JS} is missing: run `npm ci` (axe-core is in package.json)")
    return AXE_JS.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def describe(self) -> str:
        where = "\n      ".join(self.targets[:8])
        more = f"\n      … and {len(self.targets) - 8} more" if len(self.targets) > 8 else ""
        return f"[{self.impact}] {self.rule}: {self.help}\n      {where}{more}"


def axe_violations(page) -> list[Violation]:
    """The page's WCAG 2.1 A/AA violations of serious or critical impact."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # "; 0": evaluate the library as a script (not a function) and return nothing big.
        page.evaluate(axe_source() + "\n;0")
    found = page.evaluate(RUN_AXE, list(WCAG_TAGS))
    return [
        Violation(
            rule=v["id"],
            impact=v["impact"] or "",
            help=v["help"],
            targets=tuple(node["target"] for node in v["nodes"]),
        )
        for v in found
        if v["impact"] in FAILING_IMPACTS
    ]


def contrast_ratio(colour: str, background: str) -> float:
    """WCAG contrast ratio of two opaque CSS colours given as ``rgb(r, g, b)``."""

    def luminance(css: str) -> float:
        channels = [float(part) / 255 for part in css[css.index("(") + 1 : -1].split(",")[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(colour), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def structure_problems(page) -> list[str]:
    return page.evaluate(STRUCTURE)


def phone_overflow(page, *, width: int = PHONE_WIDTH) -> str | None:
    """At ``width`` px, does the page scroll sideways? Restores the viewport afterwards."""
    before = page.viewport_size
    page.set_viewport_size({"width": width, "height": before["height"] if before else 844})
    try:
        sizes = page.evaluate(WIDTHS)
    finally:
        if before:
            page.set_viewport_size(before)
    scroll_width, inner_width, wide = sizes
    if scroll_width <= inner_width:
        return None
    return (
        f"scrolls sideways at {width} px (scrollWidth {scroll_width} > {inner_width});"
        f" too wide: {', '.join(wide) or '?'}"
    )


def accessibility_problems(page, *, phone: bool = True) -> list[str]:
    """Everything wrong with the page as it is now, one readable line (or block) each."""
    problems = [v.describe() for v in axe_violations(page)]
    problems += structure_problems(page)
    if phone:
        overflow = phone_overflow(page)
        if overflow:
            problems.append(overflow)
    return problems


def assert_accessible(page, *, phone: bool = True) -> None:
    problems = accessibility_problems(page, phone=phone)
    if problems:
        raise AssertionError(
            f"{len(problems)} accessibility problem(s) on {page.url}:\n  " + "\n  ".join(problems)
        )


# --- crawling: every page a person reaches by following links -------------------------------
LINKS = """() => [...document.querySelectorAll("a[href]")]
  .filter((a) => !a.hasAttribute("download"))
  .map((a) => a.href)"""


@dataclass
class CrawlResult:
    visited: list[str]
    problems: dict[str, list[str]]

    def report(self) -> str:
        lines = []
        for url, problems in self.problems.items():
            lines.append(f"{url}:\n  " + "\n  ".join(problems))
        return "\n".join(lines)


def crawl(
    page, *, base_url: str, start: list[str], pattern_of, limit: int = 60, phone: bool = True
) -> CrawlResult:
    """Visit ``start`` then every same-origin link found, breadth first, one URL per pattern.

    ``pattern_of(path)`` names the page a path shows (its URL pattern), or returns None for
    a link not to follow (sign-out, downloads, pages outside the test). Returns what was
    visited and the accessibility problems of each page that has any.
    """
    from urllib.parse import urldefrag, urljoin, urlsplit

    from playwright.sync_api import Error as PlaywrightError

    origin = urlsplit(base_url).netloc
    # axe-core in every document the page loads from now on (evaluated through DevTools
    # before the page's own scripts, like page.evaluate: the page's CSP is not involved).
    page.add_init_script(script=axe_source())
    queue = [urljoin(base_url, path) for path in start]
    seen_patterns: set[str] = set()
    result = CrawlResult(visited=[], problems={})
    while queue and len(result.visited) < limit:
        url, _ = urldefrag(queue.pop(0))
        parts = urlsplit(url)
        if parts.netloc != origin:
            continue
        pattern = pattern_of(parts.path)
        if pattern is None or pattern in seen_patterns:
            continue
        seen_patterns.add(pattern)
        where = parts.path + (f"?{parts.query}" if parts.query else "")
        try:
            response = page.goto(url, timeout=30_000)
        except PlaywrightError as error:
            result.problems[where] = [f"did not load: {error.message.splitlines()[0]}"]
            continue
        if response is not None and response.status == 405:
            continue  # a link to a form's action (POST only): not a page
        if response is None or response.status >= 400:
            result.problems[where] = [f"answered {response.status if response else 'nothing'}"]
            continue
        landed = urlsplit(page.url)
        if landed.path != parts.path:  # redirected: to a page already checked?
            redirected_to = pattern_of(landed.path)
            if redirected_to in seen_patterns:
                continue
            seen_patterns.add(redirected_to)
            where = landed.path + (f"?{landed.query}" if landed.query else "")
        result.visited.append(where)
        problems = accessibility_problems(page, phone=phone)
        if problems:
            result.problems[where] = problems
        queue.extend(page.evaluate(LINKS))
    return result
