"""Calendar-feed tokens stored hashed.

The column is renamed and each stored token replaced by its SHA-256 (hex), in place, so
calendars already subscribed keep working: the feed view hashes the token of the URL
and looks the digest up. Not reversible into raw tokens (that is the point): going back
leaves digests in the column and existing feed URLs stop working, nothing leaks.
"""

import hashlib

from django.db import migrations, models

BATCH = 2000


def hash_tokens_in_place(apps, schema_editor):
    CalendarFeed = apps.get_model("pairing", "CalendarFeed")
    batch = []
    for feed in CalendarFeed.objects.only("pk", "token_hash").iterator(chunk_size=BATCH):
        feed.token_hash = hashlib.sha256(feed.token_hash.encode()).hexdigest()
        batch.append(feed)
        if len(batch) >= BATCH:
            CalendarFeed.objects.bulk_update(batch, ["token_hash"])
            batch = []
    CalendarFeed.objects.bulk_update(batch, ["token_hash"])


class Migration(migrations.Migration):
    dependencies = [("pairing", "0002_pair_reasons_without_demographics")]

    operations = [
        migrations.RenameField(model_name="calendarfeed", old_name="token", new_name="token_hash"),
        migrations.RunPython(hash_tokens_in_place, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(
                editable=False,
                help_text="SHA-256 (hex) of the URL's token.",
                max_length=64,
                unique=True,
            ),
        ),
    ]
