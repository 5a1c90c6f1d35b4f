from django.db import migrations


def load(apps, schema_editor):
    from mofan.dues.rules_national import ensure_national_brackets

    ensure_national_brackets(apps.get_model("dues", "DuesRule"))


class Migration(migrations.Migration):
    dependencies = [("dues", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
