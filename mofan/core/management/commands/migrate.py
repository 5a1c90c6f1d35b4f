"""`mofan migrate` holding a PostgreSQL advisory lock: one migrator at a time. A second run
started meanwhile (two hosts deploying, a deploy racing a cron job) waits for the first and then
finds nothing left to do, where it used to crash on a table the first had just created."""

from contextlib import contextmanager

from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections

# Advisory locks are per database, so this key only ever meets other migrations of the same one.
LOCK_KEY = int.from_bytes(b"mofan.mg", "big") & 0x7FFF_FFFF_FFFF_FFFF


@contextmanager
def migration_lock(database: str = "default", *, say=None):
    """Hold the migration lock of this database for the block (nothing to hold on SQLite, where
    the embedded default has one process; the README's one-migrator rule covers it)."""
    connection = connections[database]
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        if not cursor.fetchone()[0]:
            if say is not None:
                say("另一个迁移正在进行，等待其完成……")
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


class Command(DjangoMigrate):
    help = DjangoMigrate.help + " PostgreSQL 上同一时间只有一个迁移进程（咨询锁），其余的等待。"

    def handle(self, *args, **options):
        with migration_lock(options["database"], say=self.stdout.write):
            return super().handle(*args, **options)
