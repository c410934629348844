"""Pair reasons become facts (who offers which skill to whom), so admins read names.

Until now ``Pair.reasons`` held sentences ("One way only: one offers Python, which the
other wants"). The engine now stores the facts behind them (``pairing.engine.reasons``):
the pages make the same sentences for the members and sentences that name the people for
the admins ("One way only: Amira offers Python, which Bruno wants"). This migration turns
each stored sentence into its facts where they can be known for certain:

- "Both ways: each can teach the other (X ↔ Y)" of a pair: the engine always wrote the
  skills of the member with the smaller id first;
- "One way only: one offers X, which the other wants": who gives is read from the
  members' skills today; when both or neither direction fits, the sentence stays;
- "No skill match in either direction" of a pair; "Different departments (…)",
  "Different locations (…)" when two members' values give exactly that text; the trio line.

In a trio an edge's sentence does not say which two members it is about: it is matched
against the members' skills, and kept as a sentence unless exactly one edge fits. Whatever
stays a sentence is shown as it is, to everyone, as before. The members' pages read exactly
the sentences they read before either way: the facts give them back word for word.

The sentences are copied here rather than imported from ``pairing.engine`` so that this
migration keeps its meaning when the engine changes. Reverse: facts back to sentences.
"""

import re
from itertools import combinations

from django.db import migrations

BATCH = 500
TRIO = "Trio: the cohort is odd, so one pair has a third member"
NO_MATCH = "No skill match in either direction"
BOTH = re.compile(r"^Both ways: each can teach the other \((.*) ↔ (.*)\)$", re.S)
ONE = re.compile(r"^One way only: one offers (.*), which the other wants$", re.S)
DIFFERENT = re.compile(r"^Different (departments|locations) \((.*)\)$", re.S)


def _skills(names: str) -> list[str]:
    # Joined with ", " again when shown, so even a skill whose name holds ", " reads the same.
    return names.split(", ")


def _gives(giver: int, taker: int, skills: list[str], offers, wants) -> bool:
    return set(skills) <= offers.get(giver, set()) and set(skills) <= wants.get(taker, set())


def _fact(text, people: list[int], offers, wants, places) -> object:
    """The facts of one stored sentence, or the sentence itself when they are not certain."""
    if not isinstance(text, str):
        return text  # already facts
    if text == TRIO:
        return {"kind": "trio"}
    edges = list(combinations(sorted(people), 2))
    if text == NO_MATCH and len(people) == 2:
        return {"kind": "skills", "people": list(edges[0]), "gives": [[], []]}
    if match := BOTH.match(text):
        a_gives, b_gives = _skills(match.group(1)), _skills(match.group(2))
        if len(people) == 2:
            fits = edges
        else:
            fits = [
                (a, b)
                for a, b in edges
                if _gives(a, b, a_gives, offers, wants) and _gives(b, a, b_gives, offers, wants)
            ]
        if len(fits) == 1:
            return {"kind": "skills", "people": list(fits[0]), "gives": [a_gives, b_gives]}
        return text
    if match := ONE.match(text):
        skills = _skills(match.group(1))
        fits = [
            (giver, taker)
            for a, b in edges
            for giver, taker in ((a, b), (b, a))
            if _gives(giver, taker, skills, offers, wants)
        ]
        if len(fits) == 1:
            giver, taker = fits[0]
            a, b = sorted((giver, taker))
            gives = [skills, []] if giver == a else [[], skills]
            return {"kind": "skills", "people": [a, b], "gives": gives}
        return text
    if match := DIFFERENT.match(text):
        kind, inner = match.groups()
        known = sorted({places[kind][p] for p in people if places[kind].get(p)})
        for first, second in combinations(known, 2):
            if f"{first}, {second}" == inner:
                return {"kind": kind, "values": [first, second]}
        return text
    return text


def forwards(apps, schema_editor) -> None:
    Pair = apps.get_model("pairing", "Pair")
    PairMember = apps.get_model("pairing", "PairMember")
    Participant = apps.get_model("programmes", "Participant")
    pair_ids = list(Pair.objects.exclude(reasons=[]).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pair_ids), BATCH):
        batch = pair_ids[start : start + BATCH]
        people: dict[int, list[int]] = {}
        for pair_id, participant_id in PairMember.objects.filter(pair_id__in=batch).values_list(
            "pair_id", "participant_id"
        ):
            people.setdefault(pair_id, []).append(participant_id)
        everyone = {p for group in people.values() for p in group}
        offers: dict[int, set[str]] = {}
        wants: dict[int, set[str]] = {}
        for through, table in (
            (Participant.skills_offered.through, offers),
            (Participant.skills_wanted.through, wants),
        ):
            rows = through.objects.filter(participant_id__in=everyone).values_list(
                "participant_id", "skill__name"
            )
            for participant_id, name in rows:
                table.setdefault(participant_id, set()).add(name)
        places: dict[str, dict[int, str]] = {"departments": {}, "locations": {}}
        for pk, department, location in Participant.objects.filter(pk__in=everyone).values_list(
            "pk", "department", "location"
        ):
            places["departments"][pk] = (department or "").strip() and department
            places["locations"][pk] = (location or "").strip() and location
        changed = []
        for pair in Pair.objects.filter(pk__in=batch).only("pk", "reasons"):
            group = people.get(pair.pk, [])
            reasons = [_fact(r, group, offers, wants, places) for r in pair.reasons or []]
            if reasons != pair.reasons:
                pair.reasons = reasons
                changed.append(pair)
        Pair.objects.bulk_update(changed, ["reasons"], batch_size=BATCH)


def _sentence(item) -> str:
    if not isinstance(item, dict):
        return str(item)
    kind = item.get("kind")
    if kind == "trio":
        return TRIO
    if kind in ("departments", "locations"):
        first, second = item["values"]
        return f"Different {kind} ({first}, {second})"
    if kind == "skills":
        a_gives, b_gives = (", ".join(g) for g in item["gives"])
        if a_gives and b_gives:
            return f"Both ways: each can teach the other ({a_gives} ↔ {b_gives})"
        if a_gives or b_gives:
            return f"One way only: one offers {a_gives or b_gives}, which the other wants"
        return NO_MATCH
    return str(item.get("text", ""))


def backwards(apps, schema_editor) -> None:
    Pair = apps.get_model("pairing", "Pair")
    changed = []
    for pair in Pair.objects.exclude(reasons=[]).only("pk", "reasons").iterator(chunk_size=BATCH):
        sentences = list(dict.fromkeys(s for s in map(_sentence, pair.reasons or []) if s))
        if sentences != pair.reasons:
            pair.reasons = sentences
            changed.append(pair)
    Pair.objects.bulk_update(changed, ["reasons"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("pairing", "0003_calendar_feed_token_hash")]

    operations = [migrations.RunPython(forwards, backwards)]
