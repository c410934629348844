"""Why two people fit, as facts: who gives what, and the sentences that say it.

The engine records each reason of a pair's score as a :class:`Reason`: its kind and the
facts behind it (participant ids, skill names, department or location names), never a
demographic value. The sentences are made from the facts when a page shows them:

- without names, the sentence the members have always read (their pair page, the "you
  have been paired" email): "One way only: one offers Python, which the other wants";
- with names (``{participant id: name}``), the admin's: "One way only: Amira offers
  Python, which Bruno wants", "Both ways: Amira teaches Negotiation, Bruno teaches Python".

``Pair.reasons`` stores them as JSON (:meth:`Reason.as_json`, :func:`reasons_from_json`). A
plain string (a row written before reasons were facts, or one that could not be read back
into facts) is a reason of kind ``text``, shown as it is whoever reads it.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

SKILLS = "skills"
DEPARTMENTS = "departments"
LOCATIONS = "locations"
TRIO = "trio"
TEXT = "text"

TRIO_SENTENCE = "Trio: the cohort is odd, so one pair has a third member"
NO_SKILL_MATCH = "No skill match in either direction"


def _listed(skills: Iterable[str]) -> str:
    return ", ".join(skills)


@dataclass(frozen=True)
class Reason:
    """One reason of a pair's score.

    ``skills``: ``people`` is ``(a, b)`` with ``a < b`` (participant ids) and ``gives`` is
    ``(what a offers that b wants, what b offers that a wants)``, each sorted; either or
    both may be empty. ``departments``/``locations``: ``values`` holds the two names, sorted.
    ``trio`` has no facts. ``text``: ``text`` is the sentence itself.
    """

    kind: str
    people: tuple[int, ...] = ()
    gives: tuple[tuple[str, ...], ...] = ()
    values: tuple[str, ...] = ()
    text: str = ""

    @classmethod
    def skills(cls, a: int, b: int, a_gives: Iterable[str], b_gives: Iterable[str]) -> "Reason":
        """The skill reason of ``a`` and ``b`` (any order): who offers what the other wants."""
        if a > b:
            a, b, a_gives, b_gives = b, a, b_gives, a_gives
        return cls(SKILLS, people=(a, b), gives=(tuple(sorted(a_gives)), tuple(sorted(b_gives))))

    @classmethod
    def different(cls, kind: str, first: str, second: str) -> "Reason":
        """Different departments or locations (``kind``), the two names in sorted order."""
        low, high = sorted((first, second))
        return cls(kind, values=(low, high))

    def sentence(self, names: Mapping[int, str] | None = None) -> str:
        """The sentence for this reason; with ``names`` of both people, naming them."""
        if self.kind == SKILLS:
            return self._skills_sentence(names)
        if self.kind == DEPARTMENTS:
            return f"Different departments ({self.values[0]}, {self.values[1]})"
        if self.kind == LOCATIONS:
            return f"Different locations ({self.values[0]}, {self.values[1]})"
        if self.kind == TRIO:
            return TRIO_SENTENCE
        return self.text

    def _skills_sentence(self, names: Mapping[int, str] | None) -> str:
        a, b = self.people
        a_gives, b_gives = self.gives
        named = names is not None and a in names and b in names
        if a_gives and b_gives:
            if named:
                return (
                    f"Both ways: {names[a]} teaches {_listed(a_gives)}, "
                    f"{names[b]} teaches {_listed(b_gives)}"
                )
            return f"Both ways: each can teach the other ({_listed(a_gives)} ↔ {_listed(b_gives)})"
        if a_gives or b_gives:
            giver, taker, skills = (a, b, a_gives) if a_gives else (b, a, b_gives)
            if named:
                return f"One way only: {names[giver]} offers {_listed(skills)}, which {names[taker]} wants"
            return f"One way only: one offers {_listed(skills)}, which the other wants"
        if named:
            return f"No skill match between {names[a]} and {names[b]}"
        return NO_SKILL_MATCH

    def as_json(self) -> dict[str, Any]:
        """The reason as stored in ``Pair.reasons``; :func:`reasons_from_json` reads it back."""
        if self.kind == SKILLS:
            return {
                "kind": SKILLS,
                "people": list(self.people),
                "gives": [list(g) for g in self.gives],
            }
        if self.kind in (DEPARTMENTS, LOCATIONS):
            return {"kind": self.kind, "values": list(self.values)}
        if self.kind == TRIO:
            return {"kind": TRIO}
        return {"kind": TEXT, "text": self.text}


def reason_from_json(item: Any) -> Reason:
    """A stored reason back as a :class:`Reason`; a plain string (or anything unreadable)
    becomes a ``text`` reason, shown as it is."""
    if isinstance(item, dict):
        kind = item.get("kind")
        try:
            if kind == SKILLS:
                a, b = (int(p) for p in item["people"])
                a_gives, b_gives = (tuple(str(s) for s in g) for g in item["gives"])
                return Reason(SKILLS, people=(a, b), gives=(a_gives, b_gives))
            if kind in (DEPARTMENTS, LOCATIONS):
                first, second = (str(v) for v in item["values"])
                return Reason(kind, values=(first, second))
            if kind == TRIO:
                return Reason(TRIO)
            if kind == TEXT:
                return Reason(TEXT, text=str(item.get("text", "")))
        except (KeyError, TypeError, ValueError):
            pass
        return Reason(TEXT, text="")
    return Reason(TEXT, text=str(item))


def reasons_from_json(stored: Iterable[Any] | None) -> list[Reason]:
    return [reason_from_json(item) for item in stored or ()]


def reasons_as_json(reasons: Iterable[Reason]) -> list[dict[str, Any]]:
    return [reason.as_json() for reason in reasons]


def reason_texts(
    reasons: Iterable[Reason | Any] | None, names: Mapping[int, str] | None = None
) -> list[str]:
    """The sentences of ``reasons`` (:class:`Reason` objects or their stored JSON), each once,
    in order; empty sentences are left out. ``names`` as in :meth:`Reason.sentence`.

    A trio's three edges may give the same generic sentence twice ("No skill match in either
    direction"): it is shown once, as it always was.
    """
    out: dict[str, None] = {}
    for item in reasons or ():
        reason = item if isinstance(item, Reason) else reason_from_json(item)
        text = reason.sentence(names)
        if text:
            out.setdefault(text, None)
    return list(out)
