from django.db import migrations


def load(apps, schema_editor):
    from mofan.meetings.rules_national import NATIONAL_RULES

    Rule = apps.get_model("meetings", "MeetingRule")
    for kind, org_kinds, period, minimum, committee, secretary, quorum, article, since in NATIONAL_RULES:
        Rule.objects.get_or_create(
            kind=kind,
            period=period,
            org=None,
            is_floor=True,
            by_secretary=secretary,
            defaults={
                "org_kinds": org_kinds,
                "minimum": minimum,
                "needs_committee": committee,
                "quorum": quorum,
                "article": article,
                "effective_from": since,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
