"""Database triggers that refuse UPDATE, DELETE and TRUNCATE on the audit tables, so even SQL run
outside the application cannot quietly rewrite the trail. The application's own database role
cannot lift them when it does not own the tables (`least_privilege_grants`, README "Operations");
and whoever can lift them still cannot forge a record or a link without the audit key."""

TABLES = ("audit_auditevent", "audit_auditlink")
MESSAGE = "audit records are append-only"


def _postgres_create() -> list[str]:
    statements = [
        f"""CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql"""
    ]
    for table in TABLES:
        statements += [
            f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION audit_append_only()""",
            f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()""",
        ]
    return statements


def _postgres_drop() -> list[str]:
    statements = []
    for table in TABLES:
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        ]
    # The trigger of the first version of this guard.
    statements += [
        "DROP TRIGGER IF EXISTS audit_append_only ON audit_auditevent",
        "DROP FUNCTION IF EXISTS audit_append_only()",
    ]
    return statements


def _sqlite_create() -> list[str]:
    # SQLite has no TRUNCATE: "DELETE FROM t" without WHERE runs the delete trigger.
    statements = []
    for table in TABLES:
        statements += [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
        ]
    return statements


def _sqlite_drop() -> list[str]:
    statements = []
    for table in TABLES:
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_no_update",
            f"DROP TRIGGER IF EXISTS {table}_no_delete",
        ]
    return statements + [
        "DROP TRIGGER IF EXISTS audit_no_update",
        "DROP TRIGGER IF EXISTS audit_no_delete",
    ]


def statements(vendor: str, *, create: bool) -> list[str]:
    if vendor == "postgresql":
        return _postgres_create() if create else _postgres_drop()
    if vendor == "sqlite":
        return _sqlite_create() if create else _sqlite_drop()
    return []


def install(connection) -> None:
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor, create=True):
            cursor.execute(sql)


def remove(connection) -> None:
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor, create=False):
            cursor.execute(sql)


def least_privilege_grants(connection, role: str) -> list[str]:
    """GRANT statements for the application's runtime role, run by the role that owns the tables
    (the one that migrates). The runtime role reads and writes business tables, only reads and
    appends the audit trail, and owns nothing, so it can neither drop nor disable the triggers
    (PostgreSQL lets only a table's owner ALTER it) nor TRUNCATE."""
    quoted = connection.ops.quote_name(role)
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    audit_tables = set(TABLES)
    grants = [
        f"GRANT CONNECT ON DATABASE {connection.ops.quote_name(connection.settings_dict['NAME'])} TO {quoted}",
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"REVOKE CREATE ON SCHEMA public FROM {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
        # Tables a later migration adds: business rights by default (the audit tables exist).
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {quoted}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {quoted}",
    ]
    for table in sorted(tables):
        name = connection.ops.quote_name(table)
        grants.append(f"REVOKE ALL ON {name} FROM {quoted}")
        if table in audit_tables:
            grants.append(f"GRANT SELECT, INSERT ON {name} TO {quoted}")
        else:
            grants.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {name} TO {quoted}")
    return grants
