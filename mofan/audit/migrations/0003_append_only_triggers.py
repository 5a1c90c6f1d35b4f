from django.db import migrations

# The first version of the guard, frozen here: later versions live in mofan/audit/dbguard.py
# and are installed by later migrations.
TABLE = "audit_auditevent"
MESSAGE = "audit records are append-only"
CREATE = {
    "postgresql": [
        f"""CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_append_only()""",
    ],
    "sqlite": [
        f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
        f"CREATE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    ],
}
DROP = {
    "postgresql": [
        f"DROP TRIGGER IF EXISTS audit_append_only ON {TABLE}",
        "DROP FUNCTION IF EXISTS audit_append_only()",
    ],
    "sqlite": ["DROP TRIGGER IF EXISTS audit_no_update", "DROP TRIGGER IF EXISTS audit_no_delete"],
}


def _run(statements):
    def run(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            for sql in statements.get(schema_editor.connection.vendor, []):
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain_head")]
    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
