"""The draft of an admin's nudge to a pair: neutral words about the flag, nothing more.

The draft names the pair's members and, for a flag, what it is about in plain words. It
never quotes a figure, a rating or anything either member wrote: the admin may edit it,
but the platform never puts private data into it.
"""

from dataclasses import dataclass

from mentoring.models import User
from pairing.models import Pair
from programmes.models import Participant

#: What the draft says about each flag (``feedback.selectors.metrics.FLAGS``).
FLAG_SENTENCES = {
    "stalled": "It has been a while since your last session, so I wanted to check in and "
    "see whether a next meeting is in the diary.",
    "lopsided": "I wanted to check in and make sure you are both getting as much out of "
    "the pairing as you hoped.",
    "one_way": "Reciprocal mentoring works best when you take turns as mentor and mentee, "
    "so I wanted to check in on how you share the two roles.",
    "unconfirmed": "A few items in your ledger are waiting to be confirmed: when you next "
    "meet, it is worth a quick look together.",
}
GENERAL_SENTENCE = "I wanted to check in and see how your mentoring pair is going."


@dataclass(frozen=True)
class NudgeDraft:
    subject: str
    body: str


def nudge_draft(
    *, pair: Pair, members: list[Participant], by: User, flag: str | None = None
) -> NudgeDraft:
    """The pre-filled subject and body for ``flag`` (None, or an unknown key: a general
    check-in). ``members``: the pair's members, side A first."""
    programme = pair.cohort.programme
    names = [m.first_name or m.display_name for m in members]
    greeting = (
        " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]
    )
    signature = by.display_name
    body = (
        f"Hello {greeting},\n\n"
        f"{FLAG_SENTENCES.get(flag or '', GENERAL_SENTENCE)}\n\n"
        "If anything gets in the way, or if I can help, do let me know.\n\n"
        f"Best wishes,\n{signature}\n{programme.name}"
    )
    return NudgeDraft(subject=f"Checking in on your mentoring pair in {programme.name}", body=body)
