"""Pair reasons carry no demographic value; the demographic part of a score is one number.

Until now the engine wrote "Cross-gender pair" and "Generations apart (1968 and 1995)" into
``Pair.reasons``, which the members read on their pair page and in the "you have been
paired" email, although the consent text promises that gender and birth year are never
shown to anyone as an individual. This migration:

1. adds ``Pair.demographic_bonus``;
2. removes those two reasons from every stored pair;
3. sets the bonus from the members' *current* consented values and the weights the pair was
   scored with (its run's snapshot, else the programme's weights), never more than the
   reasons say was counted: someone who withdrew consent since no longer counts;
4. lowers ``score`` and ``percent`` by what step 3 removed (nothing, unless someone
   withdrew consent after being paired).

A trio's reasons listed each text once however many of its three edges earned it; without
the removed count, an edge that no longer qualifies is assumed to have been the only one.

The rule is copied here rather than imported from ``pairing.engine`` so that this migration
keeps its meaning when the engine changes. Reverse: a no-op; the removed texts were the leak
and are not restored.
"""

import math
from itertools import combinations

from django.db import migrations, models

GENERATION_GAP_YEARS = 10
CROSS_GENDER = "Cross-gender pair"
GENERATIONS_PREFIX = "Generations apart ("
WEIGHT_FIELDS = (
    "skill_weight",
    "cross_gender_weight",
    "cross_generation_weight",
    "cross_department_weight",
    "cross_location_weight",
)


def _demographic(reason: object) -> bool:
    return isinstance(reason, str) and (
        reason == CROSS_GENDER or reason.startswith(GENERATIONS_PREFIX)
    )


def _weights(pair) -> dict[str, float]:
    snapshot = pair.match_run.parameters if pair.match_run is not None else {}
    programme = pair.cohort.programme
    return {name: float(snapshot.get(name, getattr(programme, name))) for name in WEIGHT_FIELDS}


def forwards(apps, schema_editor) -> None:
    Pair = apps.get_model("pairing", "Pair")
    PairMember = apps.get_model("pairing", "PairMember")

    # (gender or None, birth year or None) per member, as the engine's candidates see them.
    members: dict[int, list[tuple[str | None, int | None]]] = {}
    rows = PairMember.objects.values_list(
        "pair_id",
        "participant__demographics_consent",
        "participant__gender",
        "participant__birth_year",
    )
    for pair_id, consent, gender, birth_year in rows.iterator(chunk_size=2000):
        known_gender = gender if consent and gender and gender.strip() else None
        members.setdefault(pair_id, []).append((known_gender, birth_year if consent else None))

    changed = []
    pairs = Pair.objects.select_related("cohort__programme", "match_run").order_by("pk")
    for pair in pairs.iterator(chunk_size=500):
        reasons = list(pair.reasons or [])
        weights = _weights(pair)
        people = members.get(pair.pk, [])
        edges = list(combinations(people, 2))
        gender_now = sum(1 for (ga, _), (gb, _) in edges if ga and gb and ga != gb)
        generation_now = sum(
            1
            for (_, ya), (_, yb) in edges
            if ya is not None and yb is not None and abs(ya - yb) >= GENERATION_GAP_YEARS
        )
        gender_then = max(gender_now, 1) if CROSS_GENDER in reasons else 0
        generation_then = (
            max(generation_now, 1)
            if any(isinstance(r, str) and r.startswith(GENERATIONS_PREFIX) for r in reasons)
            else 0
        )
        old_part = (
            weights["cross_gender_weight"] * gender_then
            + weights["cross_generation_weight"] * generation_then
        )
        new_part = weights["cross_gender_weight"] * min(gender_now, gender_then) + weights[
            "cross_generation_weight"
        ] * min(generation_now, generation_then)
        kept = [r for r in reasons if not _demographic(r)]
        if kept == reasons and new_part == pair.demographic_bonus and old_part == new_part:
            continue
        removed = old_part - new_part
        if removed:
            pair.score -= removed
            best = sum(max(0.0, w) for w in weights.values())
            if best > 0 and edges:
                # A trio's percent is the mean of its edges' percents.
                shift = 100 * removed / (best * len(edges))
                # Halves round up, as the engine rounds percents.
                pair.percent = min(100, max(0, math.floor(pair.percent - shift + 0.5)))
        pair.reasons = kept
        pair.demographic_bonus = new_part
        changed.append(pair)
    Pair.objects.bulk_update(
        changed, ["reasons", "demographic_bonus", "score", "percent"], batch_size=500
    )


class Migration(migrations.Migration):
    dependencies = [("pairing", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="pair",
            name="demographic_bonus",
            field=models.FloatField(
                default=0.0,
                help_text="Part of the score earned by the cross-gender and cross-generation "
                "weights, shown to admins only as one number; 0 once a member withdraws "
                "consent.",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
