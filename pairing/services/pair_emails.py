"""The emails pairing sends when pairs are published or end early.

``pairing.tasks`` calls these after commit (services enqueue the task by name). Each mail
goes out once per recipient (``mentoring.delivery.deliver_once``), so a task delivered
twice, or retried after the mail server refused one message, mails nobody twice.
"""

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from mentoring.delivery import deliver_once
from mentoring.models import User
from pairing.models import Pair
from programmes.models import ProgrammeRole

#: Links in mail sent without a request to take the host from (scripts, the shell).
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def _site_url(base_url: str, path: str) -> str:
    return (base_url or DEFAULT_BASE_URL).rstrip("/") + path


def _send(template: str, context: dict, to: list[str]) -> None:
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    body = render_to_string(f"emails/{template}.txt", context)
    EmailMessage(subject=subject, body=body, to=to).send()


def pair_published_email(*, pair_id: int, base_url: str = "") -> int:
    """Email each member of a published pair about their partner(s). Returns mails sent.

    Once per member (``deliver_once``, keyed by pair and member): when the mail server
    refuses the second member's message, the retry mails that member only.
    """
    pair = (
        Pair.objects.filter(pk=pair_id, status__in=Pair.LIVE_STATUSES)
        .select_related("cohort__programme", "first_mentor")
        .first()
    )
    if pair is None:
        return 0
    members = [m.participant for m in pair.members.select_related("participant")]
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
        sent += deliver_once(
            f"mail:pair-published:{pair.pk}:participant:{me.pk}",
            lambda context=context, to=me.email: _send("pair_published", context, [to]),
        )
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
    members = [m.participant for m in pair.members.select_related("participant")]
    context = {"pair": pair, "programme": programme, "requester": requester}
    sent = 0
    # Once per recipient (deliver_once), so a retry after a refused message mails only
    # those who did not get theirs.
    for partner in members:
        if requester is not None and partner.pk == requester.pk:
            continue
        sent += deliver_once(
            f"mail:pair-ended:{pair.pk}:participant:{partner.pk}",
            lambda partner=partner: _send(
                "pair_ended_partner",
                {**context, "me": partner, "url": _site_url(base_url, "/")},
                [partner.email],
            ),
        )
    admins = list(
        User.objects.filter(
            programme_roles__programme=programme, programme_roles__role=ProgrammeRole.Role.ADMIN
        ).values_list("pk", "email")
    )
    url = _site_url(base_url, reverse("pairing:cohort_pairs", kwargs={"cohort_id": pair.cohort_id}))
    for admin_id, email in admins:
        sent += deliver_once(
            f"mail:pair-ended:{pair.pk}:user:{admin_id}",
            lambda email=email: _send(
                "pair_ended_admin", {**context, "members": members, "url": url}, [email]
            ),
        )
    return sent
