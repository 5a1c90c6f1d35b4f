"""Two deployments at once on PostgreSQL (`mofan deploy` and a plain `mofan migrate`, two
processes on one fresh database): the second waits for the migration lock, then finds nothing to
do; both succeed. Two plain `migrate` runs used to crash one of them."""

import os
import subprocess
import sys
import time

import psycopg
import pytest
from django.db import connection

from mofan.core.management.commands.migrate import migration_lock


def _admin_url(settings_dict: dict, name: str) -> str:
    user = settings_dict["USER"] or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    host = settings_dict["HOST"] or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{settings_dict['PORT'] or 5432}/{name}"


@pytest.fixture
def empty_database():
    if connection.vendor != "postgresql":
        pytest.skip("the migration lock is PostgreSQL's advisory lock")
    # Named after the test database, so that parallel suites never share it.
    name = f"{connection.settings_dict['NAME']}_deploy"
    with psycopg.connect(_admin_url(connection.settings_dict, "postgres"), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')
    yield _admin_url(connection.settings_dict, name)
    with psycopg.connect(_admin_url(connection.settings_dict, "postgres"), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_two_deployments_at_once_take_turns_and_both_succeed(empty_database, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": empty_database,
        "MOFAN_VAR_DIR": str(tmp_path),
        "MOFAN_STATIC_ROOT": str(tmp_path / "static"),
        "MOFAN_HTTPS": "1",
        "ALLOWED_HOSTS": "dangjian.example.gov",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "x" * 10 + "abcdefghij" * 5,
        "MOFAN_FIELD_KEY": os.environ.get("MOFAN_FIELD_KEY") or "00" * 16,
        "MOFAN_HASH_KEY": os.environ.get("MOFAN_HASH_KEY") or "00" * 32,
        "MOFAN_AUDIT_KEY": os.environ.get("MOFAN_AUDIT_KEY") or "00" * 32,
    }
    env.pop("MOFAN_DEBUG", None)
    mofan = [sys.executable, "-m", "mofan"]
    first = subprocess.Popen(
        [*mofan, "deploy"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    time.sleep(1.5)  # the deploy holds the lock by now, well before its migrations end
    second = subprocess.Popen(
        [*mofan, "migrate", "--noinput"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out1, err1 = first.communicate(timeout=300)
    out2, err2 = second.communicate(timeout=300)
    assert first.returncode == 0, err1
    assert second.returncode == 0, err2
    assert "Applying notify.0001_initial... OK" in out1 and "部署完成。" in out1
    assert "另一个迁移正在进行，等待其完成……" in out2
    assert "No migrations to apply." in out2 and "Applying" not in out2


def test_the_lock_is_held_for_the_block_and_released_after(db):
    if connection.vendor != "postgresql":
        pytest.skip("the migration lock is PostgreSQL's advisory lock")
    with migration_lock("default"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
            assert cursor.fetchone()[0] == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
        assert cursor.fetchone()[0] == 0
