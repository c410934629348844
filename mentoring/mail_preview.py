"""An email as a page shows it before it is sent: subject, text, and a safe copy of its HTML.

The HTML version of our emails carries inline ``style=""`` attributes (mail clients ignore
stylesheets), which the site's Content-Security-Policy refuses on a page, and an
``<iframe srcdoc>`` inherits that policy. So the preview is re-built from the HTML: its
text, escaped, inside a short list of structural tags without any attribute. Headings
become bold paragraphs (the page's own heading outline stays intact) and links become
underlined text that goes nowhere (a preview's link is only an example).
"""

from dataclasses import dataclass
from html.parser import HTMLParser

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Tag in the email → (opening, closing) markup on the page. Anything else is dropped and
# only its text kept; the content of SKIPPED tags is dropped too.
_KEPT = {
    "p": ("<p>", "</p>"),
    "br": ("<br>", ""),
    "strong": ("<strong>", "</strong>"),
    "b": ("<strong>", "</strong>"),
    "em": ("<em>", "</em>"),
    "i": ("<em>", "</em>"),
    "ul": ("<ul>", "</ul>"),
    "ol": ("<ol>", "</ol>"),
    "li": ("<li>", "</li>"),
    "div": ("<div>", "</div>"),
    "blockquote": ('<div class="mail-preview-quote">', "</div>"),
    "a": ('<span class="mail-preview-link">', "</span>"),
    **{f"h{n}": ('<p class="fw-semibold mb-1">', "</p>") for n in range(1, 7)},
}
_SKIPPED = {"head", "title", "style", "script"}


class _Rebuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIPPED:
            self._skipping += 1
        elif not self._skipping and tag in _KEPT:
            self.parts.append(_KEPT[tag][0])

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if not self._skipping and tag in _KEPT:
            self.parts.append("".join(_KEPT[tag]))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif not self._skipping and tag in _KEPT:
            self.parts.append(_KEPT[tag][1])

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(escape(data))


def html_preview(html: str) -> SafeString:
    """``html`` reduced to escaped text in attribute-free structural tags (safe to show)."""
    rebuilder = _Rebuilder()
    rebuilder.feed(html)
    rebuilder.close()
    # Safe: every piece is either one of _KEPT's fixed strings or escaped text.
    return mark_safe("".join(rebuilder.parts).strip())  # noqa: S308


@dataclass(frozen=True)
class EmailPreview:
    subject: str
    to: list[str]
    text: str
    html: SafeString | None


def email_preview(message: EmailMessage) -> EmailPreview:
    """What ``message`` says, for a page: its subject, recipients, text and HTML versions."""
    html = None
    if isinstance(message, EmailMultiAlternatives):
        for content, mimetype in message.alternatives:
            if mimetype == "text/html":
                html = html_preview(str(content))
                break
    # Plain ``str`` on purpose: a body rendered with render_to_string is a SafeString, and
    # the text version is written with autoescape off, so a page must escape it.
    return EmailPreview(
        subject=_plain(message.subject), to=list(message.to), text=_plain(message.body), html=html
    )


def _plain(text: str) -> str:
    return "".join([text])  # a plain str, never SafeString (str() would keep the mark)
