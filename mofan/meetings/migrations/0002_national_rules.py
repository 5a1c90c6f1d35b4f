from django.db import migrations


def load(apps, schema_editor):
    from mofan.meetings.rules_national import ensure_national_rules

    ensure_national_rules(apps.get_model("meetings", "MeetingRule"))


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
