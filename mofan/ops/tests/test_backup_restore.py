"""`mofan backup` and `mofan restore` on the database the suite runs on (SQLite, or PostgreSQL when
DATABASE_URL points at it), restoring into a new database beside it.

The source data must be committed for pg_dump to see it, so these tests are transactional (run by
pytest-django after the others)."""

import hashlib
import io
import json
import sqlite3
import stat
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from mofan.audit import checkpoints
from mofan.audit.models import AuditEvent
from mofan.ledger import services as ledger
from mofan.ledger.choices import LedgerKind
from mofan.ops import container
from mofan.ops.databases import Database
from mofan.ops.tests.archives import entries, write

pytestmark = pytest.mark.django_db(transaction=True)


class Target:
    """A new, empty database beside the suite's own, of the same kind."""

    def __init__(self, tmp_path: Path):
        source = connection.settings_dict
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.path = tmp_path / "restored.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            self.name = f"{source['NAME']}_restore"[:63]
            self.admin = Database.for_settings({**source, "NAME": "postgres"})
            self._run(f'DROP DATABASE IF EXISTS "{self.name}"', f'CREATE DATABASE "{self.name}"')
            auth = source["USER"] + (f":{source['PASSWORD']}" if source["PASSWORD"] else "")
            host = f"{source['HOST'] or 'localhost'}:{source['PORT'] or 5432}"
            self.url = f"postgres://{auth}@{host}/{self.name}"

    def _run(self, *statements):
        with self.admin.connect() as conn:
            conn.autocommit = True
            for sql in statements:
                conn.execute(sql)

    def query(self, sql: str):
        if self.vendor == "sqlite":
            conn = sqlite3.connect(self.path)
            try:
                return conn.execute(sql).fetchall()
            finally:
                conn.close()
        with psycopg.connect(self.url) as conn:
            return conn.execute(sql).fetchall()

    def tables(self) -> int:
        if self.vendor == "sqlite":
            if not self.path.exists():
                return 0
            return self.query("SELECT count(*) FROM sqlite_master WHERE type = 'table'")[0][0]
        return self.query(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        )[0][0]

    def make_non_empty(self) -> None:
        if self.vendor == "sqlite":
            conn = sqlite3.connect(self.path)
            conn.execute("CREATE TABLE kept (id integer)")
            conn.commit()
            conn.close()
        else:
            with psycopg.connect(self.url) as conn:
                conn.execute("CREATE TABLE kept (id integer)")

    def drop(self) -> None:
        if self.vendor != "sqlite":
            self._run(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def target(tmp_path):
    made = Target(tmp_path)
    yield made
    made.drop()


@pytest.fixture
def source(transactional_db, world, settings, tmp_path):
    """The world of two branches, a ledger with an item, and two files under MEDIA_ROOT."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.BACKUP_KEY = bytes(range(32))
    book = ledger.create_ledger(
        actor=world.sam,
        name="备份测试台账",
        kind=LedgerKind.GENERAL,
        year=2026,
        unit=world.unit_root,
    )
    item = ledger.add_item(book, actor=world.sam, content="制定要点", lead_unit=world.unit_a)
    files = [
        ledger.attach(
            item, actor=world.sam, upload=SimpleUploadedFile("方案.pdf", b"%PDF-1.4 plan")
        ),
        ledger.attach(item, actor=world.sam, upload=SimpleUploadedFile("照片.png", _png())),
    ]
    world.media = tmp_path / "media"
    world.attachments = files
    return world


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


def _backup(tmp_path) -> Path:
    out = io.StringIO()
    call_command("backup", output=tmp_path / "backups", stdout=out)
    assert "备份完成" in out.getvalue()
    (archive,) = (tmp_path / "backups").glob("*.mfbk")
    return archive


def _restore(archive, target, media: Path, *extra, **options) -> str:
    out = io.StringIO()
    call_command(
        "restore", str(archive), *extra, database_url=target.url, media_root=media, stdout=out,
        **options,
    )  # fmt: skip
    return out.getvalue()


def _refused(archive, target, media: Path, tables: int = 0, **options) -> CommandError:
    with pytest.raises(CommandError) as refused:
        _restore(archive, target, media, **options)
    # Nothing was touched.
    assert target.tables() == tables
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
    return refused.value


def _counts() -> dict[str, int]:
    return {
        model._meta.db_table: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def test_round_trip_brings_back_database_files_and_a_whole_audit_chain(source, target, tmp_path):
    archive = _backup(tmp_path)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert stat.S_IMODE(archive.parent.stat().st_mode) == 0o700
    sidecar = archive.with_name(archive.name + ".sha256").read_text()
    assert sidecar == f"{hashlib.sha256(archive.read_bytes()).hexdigest()}  {archive.name}\n"
    assert b"%PDF-1.4 plan" not in archive.read_bytes()  # encrypted at rest

    inside = dict(entries(archive, bytes(range(32))))
    manifest = json.loads(inside.pop("manifest.json"))
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["audit_events"] == AuditEvent.objects.count() > 0
    recorded = manifest["migrations"]
    assert recorded["ledger"] and recorded["audit"] and recorded["meetings"]
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(inside)
    for attachment in source.attachments:
        name = f"media/{attachment.file.name}"
        on_disk = (source.media / attachment.file.name).read_bytes()
        digest = container.new_digest()
        digest.update(on_disk)
        assert inside[name] == on_disk
        assert listed[name]["size"] == len(on_disk)
        assert listed[name]["checksum"] == digest.finalize().hex()
    assert manifest["media_files"] == 2 and manifest["missing_media_count"] == 0
    assert manifest["checksum"] == container.CHECKSUM

    restored_media = tmp_path / "restored-media"
    before = _counts()
    report = _restore(archive, target, restored_media)
    # The whole chain, and the restore's own anchor record after it (in the checkpoint log too).
    assert "审计链完整" in report and f"共 {AuditEvent.objects.count() + 1} 条" in report
    assert checkpoints.read().entries[-2].kind == "anchor"
    # The restore adds its anchor record (and its link) to the trail; nothing else differs.
    anchored = {"audit_auditevent": 1, "audit_auditlink": 1}
    for table, count in before.items():
        restored_count = target.query(f"SELECT count(*) FROM {table}")[0][0]  # noqa: S608
        assert restored_count == count + anchored.get(table, 0), table
    for attachment in source.attachments:
        restored = (restored_media / attachment.file.name).read_bytes()
        assert restored == (source.media / attachment.file.name).read_bytes()
    assert Database.from_url(target.url).state().migrations == recorded


def test_a_wrong_key_is_refused_and_nothing_is_touched(source, target, tmp_path, settings):
    archive = _backup(tmp_path)
    settings.BACKUP_KEY = bytes(32)
    refused = _refused(archive, target, tmp_path / "restored-media")
    assert refused.returncode == 3
    assert "备份密钥不正确" in str(refused)


@pytest.mark.parametrize("keep", [0.5, 0.99])
def test_a_truncated_archive_is_refused_and_nothing_is_touched(source, target, tmp_path, keep):
    archive = _backup(tmp_path)
    data = archive.read_bytes()
    archive.write_bytes(data[: int(len(data) * keep)])
    refused = _refused(archive, target, tmp_path / "restored-media")
    assert refused.returncode == 3
    assert "截断" in str(refused)


def test_an_archive_missing_its_last_byte_is_refused(source, target, tmp_path):
    archive = _backup(tmp_path)
    archive.write_bytes(archive.read_bytes()[:-1])
    refused = _refused(archive, target, tmp_path / "restored-media")
    assert refused.returncode == 3 and "校验失败" in str(refused)


def test_a_flipped_byte_is_refused_and_nothing_is_touched(source, target, tmp_path):
    archive = _backup(tmp_path)
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x40
    archive.write_bytes(bytes(data))
    refused = _refused(archive, target, tmp_path / "restored-media")
    assert refused.returncode == 3
    assert "校验失败" in str(refused) and "篡改" in str(refused)


def test_an_archive_missing_a_listed_media_file_is_refused(source, target, tmp_path):
    archive = _backup(tmp_path)
    key = bytes(range(32))
    inside = entries(archive, key)
    dropped = next(name for name, _ in inside if name.startswith("media/"))
    write(archive, key, [(name, data) for name, data in inside if name != dropped])
    refused = _refused(archive, target, tmp_path / "restored-media")
    assert refused.returncode == 3
    assert "缺少清单所列的 1 个文件" in str(refused) and dropped in str(refused)


def test_a_media_file_altered_under_the_key_is_refused_by_its_checksum(source, target, tmp_path):
    archive = _backup(tmp_path)
    key = bytes(range(32))
    inside = entries(archive, key)
    write(archive, key, [(n, b"%PDF-1.4 forged" if n.endswith(".pdf") else d) for n, d in inside])
    refused = _refused(archive, target, tmp_path / "restored-media")
    assert refused.returncode == 3 and "校验值与清单不符" in str(refused)


def test_a_migration_state_newer_than_the_code_is_refused(source, target, tmp_path):
    archive = _backup(tmp_path)
    key = bytes(range(32))
    inside = entries(archive, key)
    manifest = json.loads(dict(inside)["manifest.json"])
    manifest["migrations"]["ledger"] = "0099_from_a_newer_version"
    body = json.dumps(manifest).encode()
    write(archive, key, [(n, body if n == "manifest.json" else d) for n, d in inside])
    refused = _refused(archive, target, tmp_path / "restored-media")
    assert refused.returncode == 4
    assert "比当前程序新" in str(refused) and "ledger.0099_from_a_newer_version" in str(refused)


def test_other_data_keys_than_the_backup_had_are_refused(source, target, tmp_path, settings):
    archive = _backup(tmp_path)
    settings.FIELD_ENCRYPTION_KEY = bytes(16)
    refused = _refused(archive, target, tmp_path / "restored-media")
    assert refused.returncode == 4 and "MOFAN_FIELD_KEY" in str(refused)


def test_a_non_empty_target_is_refused_unless_forced(source, target, tmp_path):
    archive = _backup(tmp_path)
    target.make_non_empty()
    refused = _refused(archive, target, tmp_path / "restored-media", tables=1)
    assert refused.returncode == 4 and "不是空的" in str(refused)
    report = _restore(archive, target, tmp_path / "restored-media", force=True)
    assert "按 --force 覆盖" in report and "审计链完整" in report
    users = target.query("SELECT count(*) FROM access_user")[0][0]
    assert users == apps.get_model("access", "User").objects.count() > 0


def test_verify_only_checks_the_archive_and_writes_nothing(source, target, tmp_path):
    archive = _backup(tmp_path)
    report = _restore(archive, target, tmp_path / "restored-media", verify_only=True)
    assert "归档校验通过" in report and "未写入任何数据" in report
    assert target.tables() == 0 and not (tmp_path / "restored-media").exists()


def test_changed_files_in_the_media_folder_are_not_overwritten_without_force(
    source, target, tmp_path
):
    archive = _backup(tmp_path)
    media = tmp_path / "restored-media"
    clash = media / source.attachments[0].file.name
    clash.parent.mkdir(parents=True)
    clash.write_bytes(b"a newer file")
    with pytest.raises(CommandError) as refused:
        _restore(archive, target, media)
    assert refused.value.returncode == 4 and "同名但内容不同" in str(refused.value)
    assert clash.read_bytes() == b"a newer file" and target.tables() == 0


def test_backup_needs_a_key_in_production(source, tmp_path, settings):
    settings.BACKUP_KEY = None
    with pytest.raises(CommandError, match="MOFAN_BACKUP_KEY") as refused:
        call_command("backup", output=tmp_path / "backups", stdout=io.StringIO())
    assert refused.value.returncode == 1
    assert not (tmp_path / "backups").exists()


def test_keep_leaves_only_the_newest_archives(source, tmp_path):
    out = tmp_path / "backups"
    for _ in range(3):
        call_command("backup", output=out, stdout=io.StringIO())
    assert len(list(out.glob("*.mfbk"))) == 3
    call_command("backup", output=out, keep=2, stdout=io.StringIO())
    kept = sorted(out.glob("*.mfbk"))
    assert len(kept) == 2 and len(list(out.glob("*.sha256"))) == 2


def test_media_only_brings_back_a_lost_attachment_and_leaves_the_database(source, tmp_path, client):
    from django.urls import reverse

    archive = _backup(tmp_path)
    lost, kept = source.attachments
    (source.media / lost.file.name).unlink()
    client.force_login(source.sam)
    url = reverse("ledger:attachment", args=[lost.pk])
    assert client.get(url).status_code == 404
    events = AuditEvent.objects.count()
    out = io.StringIO()
    call_command("restore", str(archive), media_only=True, stdout=out)
    assert "只恢复附件" in out.getvalue() and "已写入 1 个，原有且相同的 1 个未动" in out.getvalue()
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.4 plan"
    assert AuditEvent.objects.count() == events
