from django.db import migrations, models


def fill(apps, schema_editor):
    """Give existing organisations and units their pinyin search keys, in batches."""
    from mofan.orgs.names import search_keys

    for label in ("PartyOrg", "Unit"):
        model = apps.get_model("orgs", label)
        batch = []
        for node in model.objects.only(
            "pk", "name", "short_name", *(["aliases"] if label == "Unit" else [])
        ).iterator(chunk_size=2000):
            node.search_keys = search_keys(node.name, node.short_name, getattr(node, "aliases", ""))
            batch.append(node)
            if len(batch) == 2000:
                model.objects.bulk_update(batch, ["search_keys"])
                batch = []
        model.objects.bulk_update(batch, ["search_keys"])


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0002_unit_aliases"),
    ]

    operations = [
        migrations.AddField(
            model_name="partyorg",
            name="search_keys",
            field=models.CharField(blank=True, default="", editable=False, max_length=400),
        ),
        migrations.AddField(
            model_name="unit",
            name="search_keys",
            field=models.CharField(blank=True, default="", editable=False, max_length=400),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
