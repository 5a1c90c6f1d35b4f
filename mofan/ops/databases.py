"""The database side of backup and restore, for both profiles.

PostgreSQL: pg_dump in its custom format under a snapshot exported by our own transaction (so the
manifest's migration state and audit count are those of the dump itself), piped straight into the
archive; pg_restore from a pipe in one transaction, so a failed restore leaves the target as it was.
SQLite (the embedded profile): the online backup API, consistent while the application runs.
"""

import glob
import os
import re
import shutil
import sqlite3
import subprocess  # nosec B404
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import dj_database_url
import psycopg
from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from mofan.ops.errors import OpsError, RestoreRefused

BLOCK = 1 << 20
# libpq's environment variables for the connection options Django passes through OPTIONS.
_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


@dataclass
class State:
    """What the manifest records of a database: its migrations and the audit trail's length."""

    migrations: dict[str, str]
    audit_events: int | None
    server_version: str = ""
    extra: dict = field(default_factory=dict)


def _audit_table() -> str:
    return apps.get_model("audit", "AuditEvent")._meta.db_table


def _has_table(cursor, table: str, *, vendor: str) -> bool:
    if vendor == "postgresql":
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
    else:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
        )
    return bool(cursor.fetchone()[0])


def _read_state(cursor, *, vendor: str) -> State:
    migrations = {}
    if _has_table(cursor, "django_migrations", vendor=vendor):
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        for app, name in cursor.fetchall():
            migrations[app] = name  # the latest applied per app
    audit_events = None
    table = _audit_table()
    if _has_table(cursor, table, vendor=vendor):
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - a model's table name  # nosec B608
        audit_events = cursor.fetchone()[0]
    return State(migrations=migrations, audit_events=audit_events)


class Database:
    """A database to back up or restore into, described by Django's settings for it."""

    vendor = ""

    def __init__(self, settings_dict: dict, *, url: str | None = None):
        self.settings = settings_dict
        self.url = url

    @staticmethod
    def for_settings(settings_dict: dict, *, url: str | None = None) -> "Database":
        engine = settings_dict["ENGINE"]
        if engine == "django.db.backends.postgresql":
            return Postgres(settings_dict, url=url)
        if engine == "django.db.backends.sqlite3":
            return SQLite(settings_dict, url=url)
        raise OpsError(f"不支持的数据库类型：{engine}。")

    @classmethod
    def default(cls) -> "Database":
        return cls.for_settings(connections["default"].settings_dict)

    @classmethod
    def from_url(cls, url: str) -> "Database":
        try:
            parsed = dj_database_url.parse(url)
        except ValueError as exc:
            raise OpsError(f"--database-url 无法解析：{exc}") from exc
        return cls.for_settings(parsed, url=url)

    def child_env(self, env: dict) -> dict:
        """The environment under which a `mofan` child process uses this database."""
        return dict(env)


# --- PostgreSQL ------------------------------------------------------------------------------


def _tool_version(path: str) -> tuple[int, str]:
    try:
        out = subprocess.run(  # noqa: S603 - a PostgreSQL tool found on this machine, no shell  # nosec B603
            [path, "--version"], capture_output=True, text=True, check=True, timeout=30
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        raise OpsError(f"无法运行 {path}：{exc}") from exc
    found = re.search(r"\)\s+(\d+)(?:\.(\d+))?", out)
    if not found:
        raise OpsError(f"无法识别 {path} 的版本：{out}")
    return int(found.group(1)), out


def pg_tool(name: str, *, at_least: int, prefer: int | None = None) -> tuple[str, int]:
    """pg_dump / pg_restore of a major version no older than `at_least` (pg_dump can dump only
    servers of its own or an older version; pg_restore reads only archives of its own or an
    older pg_dump), preferring `prefer`; the PATH first, then Debian's versioned directories."""
    paths = [shutil.which(name), *sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))]
    found: dict[int, str] = {}
    for path in dict.fromkeys(p for p in paths if p):
        major, _ = _tool_version(path)
        found.setdefault(major, path)
    if not found:
        raise OpsError(f"未找到 {name}：请安装 PostgreSQL 客户端（postgresql-client）。")
    usable = sorted(major for major in found if major >= at_least)
    if not usable:
        what = "数据库服务器" if name == "pg_dump" else "制作该备份的 pg_dump "
        raise OpsError(
            f"{name} 的版本（{max(found)}）低于{what}的版本（{at_least}），"
            f"{name} 不能处理更新版本的{'服务器' if name == 'pg_dump' else '归档'}。"
            f"请安装 postgresql-client-{at_least}（或更新版本）后重试。"
        )
    major = prefer if prefer in usable else usable[-1]
    return found[major], major


class Postgres(Database):
    vendor = "postgresql"

    @property
    def name(self) -> str:
        return self.settings["NAME"]

    @property
    def label(self) -> str:
        where = f"{self.settings.get('HOST') or 'localhost'}:{self.settings.get('PORT') or 5432}"
        return f"PostgreSQL 数据库 {self.name}（{where}）"

    def libpq_env(self) -> dict:
        """Connection parameters for pg_dump / pg_restore, in the environment (never on the
        command line, where other users could read the password)."""
        env = {"PGDATABASE": self.name, "PGCONNECT_TIMEOUT": "10"}
        for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
            if self.settings.get(key):
                env[var] = str(self.settings[key])
        if self.settings.get("PASSWORD"):
            env["PGPASSWORD"] = str(self.settings["PASSWORD"])
        for key, value in (self.settings.get("OPTIONS") or {}).items():
            if key in _LIBPQ_OPTIONS:
                env[_LIBPQ_OPTIONS[key]] = str(value)
        return env

    def connect(self) -> psycopg.Connection:
        env = self.libpq_env()
        params = {
            "dbname": env["PGDATABASE"],
            "host": env.get("PGHOST"),
            "port": env.get("PGPORT"),
            "user": env.get("PGUSER"),
            "password": env.get("PGPASSWORD"),
            "connect_timeout": 10,
        }
        params.update(
            {key: value for key, value in (self.settings.get("OPTIONS") or {}).items()
             if key in _LIBPQ_OPTIONS and key != "connect_timeout"}
        )  # fmt: skip
        try:
            return psycopg.connect(**{k: v for k, v in params.items() if v is not None})
        except psycopg.Error as exc:
            raise OpsError(f"无法连接 {self.label}：{str(exc).strip()}") from exc

    def server_major(self) -> tuple[int, str]:
        with self.connect() as conn:
            number = int(conn.execute("SHOW server_version_num").fetchone()[0])
            text = conn.execute("SHOW server_version").fetchone()[0]
        return number // 10000, text

    @contextmanager
    def dump(self, say) -> Iterator[tuple[State, Iterator[bytes]]]:
        """The state and a stream of pg_dump's custom-format output, both of one snapshot."""
        major, version = self.server_major()
        pg_dump, tool_major = pg_tool("pg_dump", at_least=major, prefer=major)
        conn = self.connect()
        try:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            with conn.cursor() as cursor:
                state = _read_state(cursor, vendor=self.vendor)
            state.server_version = version
            state.extra = {
                "server_major": major,
                "dump_tool": "pg_dump",
                "dump_tool_major": tool_major,
            }
            say(f"数据库快照已建立：{self.label}，服务器 {version}，pg_dump {tool_major}。")
            yield state, self._run_dump(pg_dump, snapshot)
        finally:
            conn.close()

    def _run_dump(self, pg_dump: str, snapshot: str) -> Iterator[bytes]:
        with tempfile.TemporaryFile() as errors:
            process = subprocess.Popen(  # noqa: S603 - a fixed argument list, no shell  # nosec B603
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", "--no-password"],
                stdout=subprocess.PIPE,
                stderr=errors,
                env={**os.environ, **self.libpq_env()},
            )
            try:
                yield from iter(lambda: process.stdout.read(BLOCK), b"")
            finally:
                process.stdout.close()
                code = process.wait()
            if code != 0:
                errors.seek(0)
                detail = errors.read().decode("utf-8", "replace").strip()[-2000:]
                raise OpsError(f"pg_dump 失败（退出码 {code}）：{detail}")

    def state(self) -> State:
        with self.connect() as conn, conn.cursor() as cursor:
            return _read_state(cursor, vendor=self.vendor)

    def is_empty(self) -> bool:
        with self.connect() as conn:
            count = conn.execute(
                """SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                     AND n.nspname NOT LIKE 'pg\\_toast%%' AND n.nspname NOT LIKE 'pg\\_temp%%'"""
            ).fetchone()[0]
        return count == 0

    def restorer(self, *, manifest_db: dict, force: bool, say) -> "PostgresRestorer":
        major, version = self.server_major()
        source_major = int(manifest_db.get("server_major") or 0)
        if source_major and major < source_major:
            say(
                f"注意：目标服务器版本（{version}）低于备份来源（{manifest_db.get('server_version')}），"
                "如遇不兼容的语句，恢复会整体回滚。"
            )
        dump_major = int(manifest_db.get("dump_tool_major") or 0)
        pg_restore, _ = pg_tool("pg_restore", at_least=dump_major, prefer=major)
        return PostgresRestorer(self, pg_restore, clean=force)

    def child_env(self, env: dict) -> dict:
        env = dict(env)
        if self.url:
            env["DATABASE_URL"] = self.url
            env.pop("DATABASE_URL_FILE", None)
        return env


class PostgresRestorer:
    """pg_restore reading the dump from our pipe, all of it in one transaction."""

    def __init__(self, db: Postgres, pg_restore: str, *, clean: bool):
        self.db = db
        self.pg_restore = pg_restore
        self.clean = clean
        self.process = None
        self.errors = None

    def start(self) -> None:
        args = [
            self.pg_restore,
            f"--dbname={self.db.name}",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-password",
        ]
        if self.clean:
            args += ["--clean", "--if-exists"]
        self.errors = tempfile.TemporaryFile()
        self.process = subprocess.Popen(  # noqa: S603 - a fixed argument list, no shell  # nosec B603
            args,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=self.errors,
            env={**os.environ, **self.db.libpq_env()},
        )

    def write(self, data: bytes) -> None:
        try:
            self.process.stdin.write(data)
        except BrokenPipeError:
            self.finish()  # reports pg_restore's own error
            raise OpsError("pg_restore 提前退出。") from None

    def finish(self) -> None:
        """Close the pipe and wait: pg_restore commits only once it has read the whole dump."""
        try:
            self.process.stdin.close()
        except BrokenPipeError:
            pass
        code = self.process.wait()
        self.errors.seek(0)
        detail = self.errors.read().decode("utf-8", "replace").strip()[-2000:]
        self.errors.close()
        if code != 0:
            raise OpsError(f"pg_restore 失败（退出码 {code}），目标数据库未做任何改动：{detail}")

    def abort(self) -> None:
        """Stop pg_restore before it commits: its transaction is rolled back by the server."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.errors is not None and not self.errors.closed:
            self.errors.close()

    def apply(self) -> None:
        """Nothing left to do: the transaction committed in finish()."""


# --- SQLite ----------------------------------------------------------------------------------


class SQLite(Database):
    vendor = "sqlite"

    @property
    def path(self) -> Path:
        return Path(str(self.settings["NAME"]))

    @property
    def label(self) -> str:
        return f"SQLite 数据库 {self.path}"

    def _private_dir(self) -> Path:
        """Where a plaintext copy may lie for a moment: beside the database file itself."""
        name = str(self.settings["NAME"])
        in_memory = name == ":memory:" or "mode=memory" in name
        return Path(settings.VAR_DIR) if in_memory else self.path.parent

    @contextmanager
    def dump(self, say) -> Iterator[tuple[State, Iterator[bytes]]]:
        connection = connections["default"]
        connection.ensure_connection()
        fd, copy = tempfile.mkstemp(
            prefix=".mofan-backup-", suffix=".sqlite3", dir=self._private_dir()
        )
        os.close(fd)
        try:
            target = sqlite3.connect(copy)
            try:
                # One step (pages=-1): a consistent snapshot, whatever other connections write.
                connection.connection.backup(target)
                state = _read_state(target.cursor(), vendor=self.vendor)
                state.server_version = sqlite3.sqlite_version
            finally:
                target.close()
            say(f"数据库快照已建立：{self.label}（SQLite {sqlite3.sqlite_version}，在线备份）。")
            with open(copy, "rb") as handle:
                yield state, iter(lambda: handle.read(BLOCK), b"")
        finally:
            Path(copy).unlink(missing_ok=True)

    def _connect(self) -> sqlite3.Connection:
        try:
            return sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise OpsError(f"无法打开 {self.label}：{exc}") from exc

    def state(self) -> State:
        conn = self._connect()
        try:
            return _read_state(conn.cursor(), vendor=self.vendor)
        finally:
            conn.close()

    def is_empty(self) -> bool:
        if not self.path.exists() or self.path.stat().st_size == 0:
            return True
        conn = self._connect()
        try:
            count = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
            ).fetchone()[0]
        finally:
            conn.close()
        return count == 0

    def restorer(self, *, manifest_db: dict, force: bool, say) -> "SQLiteRestorer":
        return SQLiteRestorer(self)

    def child_env(self, env: dict) -> dict:
        env = dict(env)
        if self.url:
            env.pop("DATABASE_URL", None)
            env.pop("DATABASE_URL_FILE", None)
            env["MOFAN_SQLITE_PATH"] = str(self.path)
        return env


class SQLiteRestorer:
    """The database file is written beside the target, checked, then copied into the target by
    the backup API (which takes SQLite's own locks) once the whole archive has been read."""

    def __init__(self, db: SQLite):
        self.db = db
        self.copy: Path | None = None
        self.handle = None

    def start(self) -> None:
        self.db.path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(
            prefix=".mofan-restore-", suffix=".sqlite3", dir=self.db.path.parent
        )
        self.copy = Path(name)
        self.handle = os.fdopen(fd, "wb")

    def write(self, data: bytes) -> None:
        self.handle.write(data)

    def finish(self) -> None:
        self.handle.close()
        source = sqlite3.connect(self.copy)
        try:
            result = source.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.Error as exc:
            result = str(exc)
        finally:
            source.close()
        if result != "ok":
            self.abort()
            raise OpsError(f"备份中的 SQLite 数据库文件校验失败：{result}")

    def apply(self) -> None:
        source = sqlite3.connect(self.copy)
        target = sqlite3.connect(self.db.path, timeout=30)
        try:
            source.backup(target)
        except sqlite3.Error as exc:
            raise OpsError(f"写入 {self.db.label} 失败：{exc}（请先停止应用再恢复）") from exc
        finally:
            target.close()
            source.close()
            self.abort()

    def abort(self) -> None:
        if self.handle is not None and not self.handle.closed:
            self.handle.close()
        if self.copy is not None:
            self.copy.unlink(missing_ok=True)


# --- migrations ------------------------------------------------------------------------------


def compare_migrations(recorded: dict[str, str]) -> tuple[list[str], list[str]]:
    """(newer, older): apps whose recorded latest migration this code does not know, and apps
    whose latest migration in this code is not yet applied in the recorded state."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.graph.nodes)
    newer = [f"{app}.{name}" for app, name in sorted(recorded.items()) if (app, name) not in known]
    older = []
    for app in sorted(loader.migrated_apps):
        leaves = {name for _, name in loader.graph.leaf_nodes(app)}
        if leaves and recorded.get(app) not in leaves:
            older.append(app)
    return newer, older


def refuse_newer(recorded: dict[str, str]) -> list[str]:
    newer, older = compare_migrations(recorded)
    if newer:
        raise RestoreRefused(
            "备份的数据库结构比当前程序新（本程序没有这些迁移："
            + "、".join(newer[:5])
            + ("等" if len(newer) > 5 else "")
            + "）。请先把程序升级到制作备份时的版本或更新版本，再恢复。"
        )
    return older
