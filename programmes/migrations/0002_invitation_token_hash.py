"""Invitation tokens stored hashed.

The column is renamed and each stored token replaced by its SHA-256 (hex), in place, so
invitation links already emailed keep working: the invitation view hashes the token of
the URL and looks the digest up. From now on a token is made when its email is sent and
exists only in that email. Not reversible into raw tokens (that is the point): going
back leaves digests in the column and links already sent stop working, nothing leaks.
"""

import hashlib

from django.db import migrations, models

import mentoring.tokens

BATCH = 2000


def hash_tokens_in_place(apps, schema_editor):
    Invitation = apps.get_model("programmes", "Invitation")
    batch = []
    for invitation in Invitation.objects.only("pk", "token_hash").iterator(chunk_size=BATCH):
        invitation.token_hash = hashlib.sha256(invitation.token_hash.encode()).hexdigest()
        batch.append(invitation)
        if len(batch) >= BATCH:
            Invitation.objects.bulk_update(batch, ["token_hash"])
            batch = []
    Invitation.objects.bulk_update(batch, ["token_hash"])


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]

    operations = [
        migrations.RenameField(model_name="invitation", old_name="token", new_name="token_hash"),
        migrations.RunPython(hash_tokens_in_place, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="invitation",
            name="token_hash",
            field=models.CharField(
                default=mentoring.tokens.unissued_digest,
                editable=False,
                help_text="SHA-256 (hex) of the emailed link's token.",
                max_length=64,
                unique=True,
            ),
        ),
    ]
