"""The emails pairing sends when pairs are published or end early.

``pairing.tasks`` calls these after commit (services enqueue the task by name). Each mail
is a row of the delivery table, unique per recipient, kind and pair
(``mentoring.notifications.services.delivery_send_now``), so a task delivered twice, or
retried after the mail server refused one message, mails nobody twice. They cannot be
unsubscribed from: they carry the pair's own state (who your partner is, that it ended).
"""

from django.template.loader import render_to_string
from django.urls import reverse

from mentoring.models import User
from mentoring.notifications.registry import RenderedMessage
from mentoring.notifications.services import delivery_send_now
from pairing.models import Pair
from programmes.models import ProgrammeRole

#: Links in mail sent without a request to take the host from (scripts, the shell).
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def _site_url(base_url: str, path: str) -> str:
    return (base_url or DEFAULT_BASE_URL).rstrip("/") + path


def _send(
    template: str, context: dict, *, pair: Pair, user: User | None, email: str, link: str
) -> int:
    """Send ``template`` to ``user`` (or to ``email`` without an account) once; 1 if now."""
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    body = render_to_string(f"emails/{template}.txt", context)
    delivery = delivery_send_now(
        recipient=user,
        email=email,
        kind=template,
        object_key=f"pair:{pair.pk}",
        programme_id=pair.cohort.programme_id,
        message=RenderedMessage(subject=subject, text=body, html=None, link=link),
    )
    return 0 if delivery is None else 1


def pair_published_email(*, pair_id: int, base_url: str = "") -> int:
    """Email each member of a published pair about their partner(s). Returns mails sent.

    Once per member (a delivery keyed by member, kind and pair): when the mail server
    refuses the second member's message, the retry mails that member only.
    """
    pair = (
        Pair.objects.filter(pk=pair_id, status__in=Pair.LIVE_STATUSES)
        .select_related("cohort__programme", "first_mentor")
        .first()
    )
    if pair is None:
        return 0
    members = [m.participant for m in pair.members.select_related("participant__user")]
    url = _site_url(base_url, pair.get_absolute_url())
    sent = 0
    for me in members:
        context = {
            "pair": pair,
            "programme": pair.cohort.programme,
            "me": me,
            "partners": [p for p in members if p.pk != me.pk],
            "first_mentor": pair.first_mentor,
            "url": url,
        }
        sent += _send("pair_published", context, pair=pair, user=me.user, email=me.email, link=url)
    return sent


def pair_ended_email(*, pair_id: int, base_url: str = "") -> int:
    """Email the partner(s) (without the reason, which may be personal) and the programme
    admins (with it) that a pair ended early. Returns mails sent."""
    pair = (
        Pair.objects.filter(pk=pair_id, status=Pair.Status.ENDED_EARLY)
        .select_related("cohort__programme", "end_requested_by")
        .first()
    )
    if pair is None:
        return 0
    programme = pair.cohort.programme
    requester = pair.end_requested_by
    members = [m.participant for m in pair.members.select_related("participant__user")]
    context = {"pair": pair, "programme": programme, "requester": requester}
    sent = 0
    # Once per recipient (the delivery's unique key), so a retry after a refused message
    # mails only those who did not get theirs.
    home = _site_url(base_url, "/")
    for partner in members:
        if requester is not None and partner.pk == requester.pk:
            continue
        sent += _send(
            "pair_ended_partner",
            {**context, "me": partner, "url": home},
            pair=pair,
            user=partner.user,
            email=partner.email,
            link=home,
        )
    admins = User.objects.filter(
        programme_roles__programme=programme, programme_roles__role=ProgrammeRole.Role.ADMIN
    ).distinct()
    url = _site_url(base_url, reverse("pairing:cohort_pairs", kwargs={"cohort_id": pair.cohort_id}))
    for admin in admins:
        sent += _send(
            "pair_ended_admin",
            {**context, "members": members, "url": url},
            pair=pair,
            user=admin,
            email=admin.email,
            link=url,
        )
    return sent
