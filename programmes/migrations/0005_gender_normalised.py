"""Gender from a short list, compared normalised; the person's own words kept beside it.

Gender was free text compared exactly by the pairing engine, so "Female", "female" and
"woman" were three different genders (and earned a cross-gender bonus between them). It
becomes a code from a short list (woman, man, non-binary, self-describe, prefer not to say)
plus ``gender_self_description``, the words of someone who self-describes.

Existing values are mapped: the usual words for a woman, a man or a non-binary person
("Female", "woman", "F", "nonbinary", "enby"…) become that code; "prefer not to say" and its
variants become that code; anything else becomes "self-describe" with the text kept, word for
word, as the self-description. Empty stays empty. Only consented rows hold a value (the
``participant_demographics_need_consent`` constraint), and the mapped rows stay consented.

The consent constraint now covers the self-description too, and a second one keeps words
only with "self-describe". The mapping is copied here, not imported, so this migration keeps
its meaning when the app changes. Reverse: each code becomes its label again ("Woman"…), a
self-description its words.
"""

import re

from django.db import migrations, models

WOMAN, MAN, NON_BINARY = "woman", "man", "non_binary"
SELF_DESCRIBE, PREFER_NOT = "self_describe", "prefer_not"
LABELS = {
    WOMAN: "Woman",
    MAN: "Man",
    NON_BINARY: "Non-binary",
    SELF_DESCRIBE: "Self-describe",
    PREFER_NOT: "Prefer not to say",
}
#: Normalised free text (lower case, single spaces, "-" for any dash, no final full stop)
#: → code. Words someone chose that are not plainly one of these stay theirs (self-describe).
KNOWN = {
    **dict.fromkeys(
        ["woman", "women", "female", "f", "w", "cis woman", "cisgender woman", "cis female"],
        WOMAN,
    ),
    **dict.fromkeys(["man", "men", "male", "m", "cis man", "cisgender man", "cis male"], MAN),
    **dict.fromkeys(
        ["non-binary", "nonbinary", "non binary", "nb", "enby", "non-binary person"],
        NON_BINARY,
    ),
    **dict.fromkeys(
        [
            "prefer not to say",
            "prefer not to answer",
            "prefer not to disclose",
            "rather not say",
            "decline to state",
            "undisclosed",
            "not disclosed",
        ],
        PREFER_NOT,
    ),
}
MAX_WORDS = 60
BATCH = 2000


def normalised(text: str) -> str:
    text = re.sub(r"[\u2010-\u2015\u2212_]", "-", text.strip().lower())
    return re.sub(r"\s+", " ", text).rstrip(".").strip()


def gender_code(text: str) -> tuple[str, str]:
    """``(code, self-description)`` for a free-text gender as it was stored."""
    if not text or not text.strip():
        return "", ""
    code = KNOWN.get(normalised(text))
    if code is not None:
        return code, ""
    return SELF_DESCRIBE, text.strip()[:MAX_WORDS]


def forwards(apps, schema_editor) -> None:
    Participant = apps.get_model("programmes", "Participant")
    changed = []
    rows = Participant.objects.exclude(gender="").only("pk", "gender", "gender_self_description")
    for participant in rows.iterator(chunk_size=BATCH):
        code, words = gender_code(participant.gender)
        if (code, words) != (participant.gender, participant.gender_self_description):
            participant.gender, participant.gender_self_description = code, words
            changed.append(participant)
    Participant.objects.bulk_update(
        changed, ["gender", "gender_self_description"], batch_size=BATCH
    )


def backwards(apps, schema_editor) -> None:
    Participant = apps.get_model("programmes", "Participant")
    changed = []
    rows = Participant.objects.exclude(gender="").only("pk", "gender", "gender_self_description")
    for participant in rows.iterator(chunk_size=BATCH):
        words = participant.gender_self_description
        participant.gender = (
            words
            if participant.gender == SELF_DESCRIBE and words
            else (LABELS.get(participant.gender, participant.gender))
        )
        participant.gender_self_description = ""
        changed.append(participant)
    Participant.objects.bulk_update(
        changed, ["gender", "gender_self_description"], batch_size=BATCH
    )


class Migration(migrations.Migration):
    dependencies = [("programmes", "0004_self_nomination")]

    operations = [
        migrations.RemoveConstraint(
            model_name="participant", name="participant_demographics_need_consent"
        ),
        migrations.AddField(
            model_name="participant",
            name="gender_self_description",
            field=models.CharField(
                blank=True,
                help_text="Only with “Self-describe”: the person's own words.",
                max_length=60,
            ),
        ),
        # Codes are shorter than any free text: map first, then narrow the column.
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name="participant",
            name="gender",
            field=models.CharField(
                blank=True,
                choices=[
                    ("woman", "Woman"),
                    ("man", "Man"),
                    ("non_binary", "Non-binary"),
                    ("self_describe", "Self-describe"),
                    ("prefer_not", "Prefer not to say"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="participant",
            constraint=models.CheckConstraint(
                condition=models.Q(demographics_consent=True)
                | (
                    models.Q(gender="")
                    & models.Q(gender_self_description="")
                    & models.Q(birth_year__isnull=True)
                ),
                name="participant_demographics_need_consent",
            ),
        ),
        migrations.AddConstraint(
            model_name="participant",
            constraint=models.CheckConstraint(
                condition=models.Q(gender_self_description="") | models.Q(gender="self_describe"),
                name="participant_gender_words_only_self_described",
            ),
        ),
    ]
