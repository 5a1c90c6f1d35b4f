"""The README's least-privilege set-up, tried: the application's runtime role can run the
application but cannot lift the audit tables' guard, truncate them or rewrite a record."""

import secrets

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from mofan.audit import services

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="roles are PostgreSQL's"),
]


@pytest.fixture
def app_role():
    role = f"mofan_app_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} LOGIN")
    yield role
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {role}")
        cursor.execute(f"DROP ROLE {role}")


def _as(role: str) -> psycopg.Connection:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params["user"] = role
    params.pop("password", None)
    return psycopg.connect(**params, autocommit=True)


def test_the_runtime_role_runs_the_app_but_cannot_touch_the_guard_or_the_trail(app_role, capsys):
    services.record(None, "test.before")
    call_command("audit", "grants", app_role)
    printed = capsys.readouterr().out
    assert 'GRANT SELECT, INSERT ON "audit_auditevent"' in printed
    call_command("audit", "grants", app_role, "--apply")

    with _as(app_role) as conn:
        # What the application needs: read and write business tables, append audit records.
        conn.execute("SELECT count(*) FROM access_user").fetchone()
        conn.execute("UPDATE access_user SET display_name = display_name WHERE false")
        refused = {
            "ALTER TABLE audit_auditevent DISABLE TRIGGER USER": "must be owner",
            "DROP TRIGGER audit_auditevent_append_only ON audit_auditevent": "must be owner",
            "TRUNCATE audit_auditevent CASCADE": "permission denied",
            "TRUNCATE audit_auditlink CASCADE": "permission denied",
            "UPDATE audit_auditevent SET action = 'x'": "permission denied",
            "DELETE FROM audit_auditlink": "permission denied",
            "ALTER TABLE audit_auditlink DROP COLUMN mac": "must be owner",
            "CREATE TABLE sneaky (id int)": "permission denied",
        }
        for sql, message in refused.items():
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match=message):
                conn.execute(sql)
    assert services.verify().ok
