"""An email shown on a page before it is sent: its HTML without styles, scripts or links,
its text escaped (the site's strict CSP refuses inline styles; the text is never HTML)."""

from django.core.mail import EmailMultiAlternatives
from django.utils.safestring import SafeData, mark_safe

from mentoring.mail_preview import email_preview, html_preview


def test_the_html_keeps_its_text_and_structure_but_no_attribute_script_or_link():
    html = (
        "<!DOCTYPE html><html><head><title>T</title><style>p{color:red}</style></head>"
        '<body style="font-family: x"><h2 style="font-size: 1rem">The charter</h2>'
        '<p onclick="steal()">Hello <strong>Ana</strong> &amp; Ben,<br>'
        '<a href="javascript:alert(1)" style="background: red">Join</a></p>'
        "<script>alert(1)</script><div>&lt;script&gt;not code&lt;/script&gt;</div></body></html>"
    )
    preview = html_preview(html)
    assert preview == (
        '<p class="fw-semibold mb-1">The charter</p><p>Hello <strong>Ana</strong> &amp; Ben,<br>'
        '<span class="mail-preview-link">Join</span></p>'
        "<div>&lt;script&gt;not code&lt;/script&gt;</div>"
    )
    assert isinstance(preview, SafeData)


def test_the_text_version_is_plain_text_for_the_page_to_escape():
    message = EmailMultiAlternatives(
        subject=mark_safe("Join <b>us</b>"), body=mark_safe('Hi "<script>x</script>"'), to=["a@b.c"]
    )
    message.attach_alternative("<p>Hi</p>", "text/html")
    preview = email_preview(message)
    assert preview.text == 'Hi "<script>x</script>"'
    assert not isinstance(preview.text, SafeData)  # {{ preview.text }} escapes it
    assert not isinstance(preview.subject, SafeData)
    assert preview.html == "<p>Hi</p>" and preview.to == ["a@b.c"]


def test_a_text_only_email_has_no_html_preview():
    assert email_preview(EmailMultiAlternatives(subject="s", body="b", to=["a@b.c"])).html is None
