"""An admin's nudge: their own (edited) message to a pair's members, sent as deliveries.

Each member gets one ``admin_nudge`` delivery (``mentoring.notifications``): sent at once,
kept for the members' notification bell, with the admin as ``created_by``. The compose
form carries a signed *submission token* issued when the admin opened it; the token is
part of each delivery's key, so submitting the same form twice (a double click, the
back button, two tabs racing) sends nothing the second time.
"""

import secrets
from dataclasses import dataclass

from django.core import signing

from feedback.reminders_nudge import CODE as NUDGE_KIND
from mentoring.errors import RuleViolation
from mentoring.models import User
from mentoring.notifications.registry import RenderedMessage
from mentoring.notifications.services import SendError, delivery_send_now
from pairing.models import Pair
from pairing.selectors.sides import seats
from programmes.permissions import user_is_programme_admin
from programmes.services.audit import audit_record

NUDGE_SUBJECT_MAX_LENGTH = 150
NUDGE_BODY_MAX_LENGTH = 4000
#: A compose form older than this asks the admin to start again (its token has expired).
NUDGE_TOKEN_MAX_AGE = 24 * 3600  # seconds
_SALT = "feedback.nudge"


def nudge_token_issue(*, pair: Pair, by: User) -> str:
    """A new submission token for ``by`` writing to ``pair`` (one per opened form)."""
    return signing.dumps({"pair": pair.pk, "by": by.pk, "n": secrets.token_hex(8)}, salt=_SALT)


def _submission_of(token: str, *, pair: Pair, by: User) -> str:
    try:
        data = signing.loads(token, salt=_SALT, max_age=NUDGE_TOKEN_MAX_AGE)
    except signing.BadSignature:
        data = None
    if not isinstance(data, dict) or data.get("pair") != pair.pk or data.get("by") != by.pk:
        raise RuleViolation(
            "This form has expired or belongs to another pair: open “Send a nudge” again."
        )
    return str(data["n"])


@dataclass(frozen=True)
class NudgeResult:
    sent: int  # mails that went out now
    queued: int  # waiting for the mail server (sent by the worker once it answers)
    already: int  # this submission had reached them before: nothing sent again

    @property
    def repeated(self) -> bool:
        return self.already > 0 and not self.sent and not self.queued


def pair_nudge_send(
    *, pair: Pair, by: User, subject: str, body: str, token: str, link: str
) -> NudgeResult:
    """Send ``by``'s nudge (``subject``, plain-text ``body``) to each member of ``pair``.

    ``link``: the absolute address of the pair page, added under the text. Once per
    (pair, admin, submission ``token``). Audited as ``feedback.pair_nudged`` (who, when,
    how many: not the text) when anything went out or was queued.
    """
    subject = " ".join(subject.split())
    body = body.strip()
    errors: dict[str, str] = {}
    if not subject:
        errors["subject"] = "Write a subject."
    elif len(subject) > NUDGE_SUBJECT_MAX_LENGTH:
        errors["subject"] = f"Keep the subject under {NUDGE_SUBJECT_MAX_LENGTH} characters."
    if not body:
        errors["body"] = "Write the message."
    elif len(body) > NUDGE_BODY_MAX_LENGTH:
        errors["body"] = f"Keep the message under {NUDGE_BODY_MAX_LENGTH} characters."
    if errors:
        raise RuleViolation(errors)
    submission = _submission_of(token, pair=pair, by=by)
    programme = pair.cohort.programme
    if not user_is_programme_admin(user=by, programme=programme):
        raise RuleViolation("Only an admin of the pair's programme can write to it.")
    if pair.status not in Pair.LIVE_STATUSES:
        raise RuleViolation("This pair has ended: there is nobody to nudge any more.")
    message = RenderedMessage(
        subject=subject, text=f"{body}\n\nYour pair page: {link}\n", html=None, link=link
    )
    sent = queued = already = 0
    for seat in seats(pairs=[pair.pk], users=True):
        member = seat.participant
        try:
            delivery = delivery_send_now(
                recipient=member.user,
                email="" if member.user_id else member.email,
                kind=NUDGE_KIND,
                object_key=f"nudge:{pair.pk}:{by.pk}:{submission}",
                programme_id=programme.pk,
                context={"pair_id": pair.pk},
                created_by=by,
                message=message,
            )
        except SendError:
            queued += 1  # the row is pending: the worker's next send sends it
            continue
        if delivery is None:
            already += 1
        else:
            sent += 1
    if sent or queued:
        audit_record(
            programme=programme,
            actor=by,
            action="feedback.pair_nudged",
            pair_id=pair.pk,
            recipients=sent + queued,
        )
    return NudgeResult(sent=sent, queued=queued, already=already)
