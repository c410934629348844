"""How a delivery becomes an email: headers (Message-ID, RFC 8058 one-click unsubscribe),
the footer of a mail that can be switched off, the attachments."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from mentoring.links import site_base_url

from .models import Delivery
from .registry import Kind, RenderedMessage
from .tokens import unsubscribe_token


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    path = reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(user_id)})
    return f"{site_base_url()}{path}?kind={kind}"


def preferences_url() -> str:
    return f"{site_base_url()}{reverse('notifications:preferences')}"


def footer_text(*, kind: Kind, preferences: str) -> str:
    return (
        f"You receive this because {kind.label.lower()} are on for you. "
        f"To stop them, or choose others: {preferences}"
    )


def _html_with_footer(html: str, *, kind: Kind, url: str) -> str:
    from django.utils.html import format_html

    footer = format_html(
        '<p style="color: #5c6370; font-size: .85rem;">You receive this because {} are on '
        'for you. <a href="{}">Stop them, or choose others</a>.</p>',
        kind.label.lower(),
        url,
    )
    if "</body>" in html:
        return html.replace("</body>", f"{footer}</body>", 1)
    return html + footer


def _message_id(delivery: Delivery) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">").strip() or "localhost"
    return f"<delivery-{delivery.pk}@{domain}>"


def email_for(delivery: Delivery, kind: Kind, message: RenderedMessage) -> EmailMultiAlternatives:
    headers = {"Message-ID": _message_id(delivery)}
    if kind.can_unsubscribe and delivery.recipient_id:
        url = unsubscribe_url(user_id=delivery.recipient_id, kind=kind.code)
        headers["List-Unsubscribe"] = f"<{url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    text, html = message.text, message.html
    if kind.can_unsubscribe and delivery.recipient_id:
        # Every mail that can be switched off says how, in both bodies (RFC 8058 clients
        # also offer the one-click header).
        text = f"{text.rstrip()}\n\n{footer_text(kind=kind, preferences=preferences_url())}\n"
        if html:
            html = _html_with_footer(html, kind=kind, url=preferences_url())
    mail = EmailMultiAlternatives(
        subject=" ".join(message.subject.split()),
        body=text,
        to=[delivery.email],
        headers=headers,
    )
    if html:
        mail.attach_alternative(html, "text/html")
    for filename, content, mimetype in message.attachments:
        mail.attach(filename, content, mimetype)
    return mail
