"""Writing millions of rows, for the large demo data: COPY on PostgreSQL (with the referential
triggers paused when the role may), executemany of plain tuples on SQLite.

The ORM's bulk_create builds a model instance per row and, on PostgreSQL, an INSERT … VALUES per
batch; at tens of millions of rows that is most of the seeding time, so the seeders hand rows here
as tuples (or as lines already in COPY text format) instead. Table and column names always come
from the models, never from input."""

import io
from collections.abc import Iterable
from datetime import UTC, datetime

from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone


def write_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """Insert rows of Python values (None, bool, int, str, datetime, date) into model's table."""
    if not rows:
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            for row in rows:
                buffer.write("\t".join(_copy_value(v) for v in row))
                buffer.write("\n")
            _copy(cursor, table, columns, buffer.getvalue())
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608  # nosec B608
                [tuple(_sqlite_value(v) for v in row) for row in rows],
            )


def write_lines(model, columns: list[str], lines: list[str]) -> None:
    r"""Insert rows already written as COPY text lines ("1\t2\tx\n"; \N for NULL), times
    written with `timestamp`. SQLite takes the fields as they are: its column affinity stores
    "42" in an integer column as 42."""
    if not lines:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy(cursor, model._meta.db_table, columns, "".join(lines))
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608  # nosec B608
            [tuple(None if v == "\\N" else v for v in line[:-1].split("\t")) for line in lines],
        )


def timestamp(value: datetime) -> str:
    """An aware datetime as the database stores it, for `write_lines`."""
    if connection.vendor == "postgresql":
        return value.isoformat()
    return _sqlite_value(value)


class bulk_load:  # noqa: N801 - used as a context manager, like a function
    """An empty table is filled without its secondary indexes and unique constraints, which are
    built again at the end (one sort is many times faster than millions of inserts into B-trees;
    a duplicate still fails, when the unique index is built). Into a table that already has rows,
    nothing changes."""

    def __init__(self, model):
        self.table = model._meta.db_table
        self.indexes: list[str] = []
        self.constraints: list[tuple[str, str]] = []

    def __enter__(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {self.table})")  # noqa: S608  # nosec B608
            if cursor.fetchone()[0]:
                return self
            if connection.vendor == "postgresql":
                found = self._postgresql(cursor)
            else:
                # The indexes SQLite made itself for constraints in the table (sql IS NULL)
                # cannot be dropped; the ones Django created can.
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master "
                    "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                    [self.table],
                )
                found = cursor.fetchall()
                # Room for the B-trees that remain (the default cache is 2 MB).
                cursor.execute("PRAGMA cache_size = -262144")
            self.indexes = [definition for _, definition in found]
            for name, _ in found:
                cursor.execute(f'DROP INDEX "{name}"')
        return self

    def _postgresql(self, cursor) -> list[tuple[str, str]]:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'u'",
            [self.table],
        )
        self.constraints = cursor.fetchall()
        for name, _ in self.constraints:
            cursor.execute(f'ALTER TABLE {self.table} DROP CONSTRAINT "{name}"')
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'p')",
            [self.table, self.table],
        )
        return cursor.fetchall()

    def __exit__(self, error_type, *exc):
        if not (self.indexes or self.constraints):
            return False
        if error_type is not None and connection.in_atomic_block:
            return False  # the rollback brings the indexes back with the rows
        with connection.cursor() as cursor:
            for definition in self.indexes:
                cursor.execute(definition)
            for name, definition in self.constraints:
                cursor.execute(f'ALTER TABLE {self.table} ADD CONSTRAINT "{name}" {definition}')
        return False


def reset_sequences(models: Iterable) -> None:
    """After rows were written with ids assigned by the caller, the id sequences move past them."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(statement)


def _copy(cursor, table: str, columns: list[str], text: str) -> None:
    paused = _pause_triggers(cursor)
    try:
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            copy.write(text)
    finally:
        if paused:
            cursor.execute("SET session_replication_role = DEFAULT")


def _pause_triggers(cursor) -> bool:
    """The rows reference rows the seeder read or wrote a moment ago: skipping the per-row
    foreign-key triggers during COPY is safe and several times faster, when the role may."""
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if cursor.fetchone()[0]:
        cursor.execute("SET session_replication_role = replica")
        return True
    return False


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def _sqlite_value(value):
    if isinstance(value, datetime):
        # Django stores aware datetimes in UTC on SQLite, without an offset
        return timezone.make_naive(value, UTC).isoformat(sep=" ")
    if isinstance(value, bool):
        return int(value)
    if value is not None and not isinstance(value, int | str):
        return str(value)
    return value
