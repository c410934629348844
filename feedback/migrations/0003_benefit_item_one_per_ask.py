"""One ledger item per answered ask.

Two answers sent at once could each turn the same ask into a ledger item. Before the
constraint goes on, keep one item per ask: the confirmed one if any (what the asker
already agreed to), else the earliest; the copies are deleted. The nightly metrics
refresh then recomputes the affected pairs.
"""

from django.db import migrations, models


def keep_one_item_per_ask(apps, schema_editor):
    BenefitItem = apps.get_model("feedback", "BenefitItem")
    duplicated = (
        BenefitItem.objects.filter(ask__isnull=False)
        .values("ask")
        .annotate(n=models.Count("pk"))
        .filter(n__gt=1)
        .values_list("ask", flat=True)
    )
    for ask_id in list(duplicated):
        items = list(
            BenefitItem.objects.filter(ask_id=ask_id).order_by("pk").values_list("pk", "status")
        )
        confirmed = [pk for pk, status in items if status == "confirmed"]
        keep = confirmed[0] if confirmed else items[0][0]
        BenefitItem.objects.filter(ask_id=ask_id).exclude(pk=keep).delete()


class Migration(migrations.Migration):
    dependencies = [("feedback", "0002_initial")]

    operations = [
        migrations.RunPython(keep_one_item_per_ask, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="benefititem",
            constraint=models.UniqueConstraint(
                condition=models.Q(("ask__isnull", False)),
                fields=("ask",),
                name="benefit_item_one_per_ask",
            ),
        ),
    ]
