from django.db import migrations

from mofan.audit import dbguard


def install(apps, schema_editor):
    dbguard.install(schema_editor.connection)


def remove(apps, schema_editor):
    dbguard.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain_head")]
    operations = [migrations.RunPython(install, remove)]
