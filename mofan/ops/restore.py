"""`mofan restore`: check a whole archive first, then put it back.

Pass one reads every chunk (each authenticated), takes every entry's checksum and compares them with
the manifest, and checks the target; nothing is written. Pass two reads the same open file again —
the same header, so the same key and nonces, so byte for byte what pass one checked — streaming the
database into its restorer (one transaction) and the attachments into a staging folder that is
moved into MEDIA_ROOT only once the database is in.
"""

import json
import os
import shutil
import subprocess  # nosec B404
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connections

from mofan.ops import container, sealed
from mofan.ops.backup import (
    FORMAT,
    FORMAT_VERSION,
    STAGING_PREFIX,
    Progress,
    Say,
    human_size,
    human_time,
    key_fingerprints,
)
from mofan.ops.container import DATABASE_PREFIX, MANIFEST, MEDIA_PREFIX, ContainerReader
from mofan.ops.databases import Database, refuse_newer
from mofan.ops.errors import ArchiveRejected, AuditCheckFailed, OpsError, RestoreRefused

VENDORS = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


def cn_time(iso: str) -> str:
    """2026年12月1日 03:15, as people read a date; the ISO text if it is not one."""
    try:
        moment = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


@dataclass
class Checked:
    """What pass one found: the manifest and, per attachment, what it would do to MEDIA_ROOT."""

    header: bytes
    manifest: dict
    manifest_checksum: str
    new: set[str] = field(default_factory=set)
    same: set[str] = field(default_factory=set)
    different: set[str] = field(default_factory=set)


@dataclass
class RestoreResult:
    manifest: dict
    seconds: float
    media_written: int = 0
    media_unchanged: int = 0
    audit_report: str = ""


def _file_checksum(path: Path, algorithm: str) -> str:
    digest = container.new_digest(algorithm)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(container.BLOCK), b""):
            digest.update(block)
    return digest.finalize().hex()


def _media_target(media_root: Path, name: str) -> Path:
    return media_root / name[len(MEDIA_PREFIX) :]


def _check_manifest(manifest: dict, found: dict[str, tuple[int, str]]) -> None:
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveRejected("备份清单的格式不受本程序支持。")
    listed = {f["path"]: (f["size"], f["checksum"]) for f in manifest.get("files", [])}
    absent = sorted(set(listed) - set(found))
    if absent:
        raise ArchiveRejected(
            f"备份归档缺少清单所列的 {len(absent)} 个文件，例如 {absent[0]}；该备份不完整，不能恢复。"
        )
    extra = sorted(set(found) - set(listed))
    if extra:
        raise ArchiveRejected(f"备份归档中有清单未列出的文件：{extra[0]}。")
    for path, (size, checksum) in sorted(listed.items()):
        if found[path] != (size, checksum):
            raise ArchiveRejected(f"文件 {path} 的大小或校验值与清单不符。")
    databases = [p for p in listed if p.startswith(DATABASE_PREFIX)]
    if len(databases) != 1:
        raise ArchiveRejected("备份归档中应恰有一个数据库文件。")


def check_archive(handle, key: bytes, *, media_root: Path, say: Say) -> Checked:
    """Pass one: read and check everything, write nothing."""
    reader = sealed.SealedReader(handle, key)
    say(f"正在校验归档（{reader.header.suite.name}，密钥指纹 {sealed.fingerprint(key)}）……")
    found: dict[str, tuple[int, str]] = {}
    manifest_body = None
    algorithm = None
    media_checks: dict[str, tuple[int, str]] = {}
    progress = Progress(say, "已校验 {size}……")
    for name, blocks in ContainerReader(reader).entries():
        if manifest_body is not None:
            raise ArchiveRejected("备份清单之后还有文件：归档结构不符。")
        if name in found:
            raise ArchiveRejected(f"备份归档中 {name} 出现了两次。")
        if name == MANIFEST:
            manifest_body = b"".join(blocks)
            continue
        digest, size = container.new_digest(), 0
        for block in progress.through(blocks):
            digest.update(block)
            size += len(block)
        found[name] = (size, digest.finalize().hex())
        if name.startswith(MEDIA_PREFIX):
            media_checks[name] = found[name]
    if manifest_body is None:
        raise ArchiveRejected("备份归档中没有清单（manifest.json）：归档不完整。")
    try:
        manifest = json.loads(manifest_body)
    except ValueError as exc:
        raise ArchiveRejected("备份清单无法解析。") from exc
    algorithm = manifest.get("checksum")
    if algorithm != container.CHECKSUM:
        # Checksums were taken with this machine's algorithm: take them again with the manifest's.
        raise ArchiveRejected(
            f"备份清单使用 {algorithm} 校验值，本机使用 {container.CHECKSUM}：请在同类环境中恢复。"
        )
    _check_manifest(manifest, found)
    digest = container.new_digest()
    digest.update(manifest_body)
    checked = Checked(reader.header.raw, manifest, digest.finalize().hex())
    for name, (size, checksum) in media_checks.items():
        target = _media_target(media_root, name)
        if not target.exists():
            checked.new.add(name)
        elif (
            target.is_file()
            and target.stat().st_size == size
            and (_file_checksum(target, algorithm) == checksum)
        ):
            checked.same.add(name)
        else:
            checked.different.add(name)
    say(
        f"归档校验通过：制作于 {cn_time(manifest['created_at'])}，"
        f"{VENDORS.get(manifest['database']['vendor'], '未知')} 数据库，"
        f"附件 {manifest['media_files']} 个（{human_size(manifest['media_bytes'])}），"
        f"审计记录 {manifest.get('audit_events') or 0} 条；"
        f"全部 {len(found)} 个文件的 {algorithm} 校验值与清单一致。"
    )
    return checked


def _check_database(checked: Checked, database: Database, *, force: bool, say: Say) -> list[str]:
    manifest = checked.manifest
    vendor = manifest["database"]["vendor"]
    if vendor != database.vendor:
        raise RestoreRefused(
            f"该备份来自 {VENDORS.get(vendor, vendor)} 数据库，不能恢复到 {database.label}。"
        )
    older = refuse_newer(manifest.get("migrations") or {})
    current = key_fingerprints()
    for name, recorded in (manifest.get("keys") or {}).items():
        if name in current and current[name] != recorded:
            raise RestoreRefused(
                f"当前的 {name} 与制作备份时不同（指纹 {current[name]}，备份时 {recorded}）："
                "恢复后加密的数据将无法读取。请使用制作备份时的密钥恢复。"
            )
    if not database.is_empty():
        if not force:
            raise RestoreRefused(
                f"目标 {database.label} 不是空的。请恢复到一个新建的空数据库；"
                "确需覆盖现有数据时加 --force。"
            )
        say(f"注意：目标 {database.label} 不是空的，按 --force 覆盖。")
    return older


def _check_media(checked: Checked, *, force: bool) -> None:
    if checked.different and not force:
        example = sorted(checked.different)[0][len(MEDIA_PREFIX) :]
        raise RestoreRefused(
            f"附件目录中有 {len(checked.different)} 个同名但内容不同的文件（例如 {example}），"
            "恢复会覆盖它们。确需覆盖时加 --force。"
        )


def _restore_pass(handle, key: bytes, checked: Checked, restorer, staging: Path, say: Say) -> int:
    """Pass two: the same bytes again, into the database and the staging folder."""
    handle.seek(0)
    reader = sealed.SealedReader(handle, key)
    if reader.header.raw != checked.header:
        raise ArchiveRejected("归档在校验之后被替换，已停止恢复。")
    listed = {f["path"]: f["checksum"] for f in checked.manifest["files"]}
    staged = 0
    for name, blocks in ContainerReader(reader).entries():
        digest = container.new_digest()
        if name == MANIFEST:
            for block in blocks:
                digest.update(block)
            if digest.finalize().hex() != checked.manifest_checksum:
                raise ArchiveRejected("归档在校验之后被改动，已停止恢复。")
            continue
        if name.startswith(DATABASE_PREFIX):
            if restorer is None:
                continue  # attachments only
            say("数据库：正在写入……")
            started = time.monotonic()
            restorer.start()
            for block in Progress(say, "数据库：已写入 {size}……").through(blocks):
                digest.update(block)
                restorer.write(block)
            if digest.finalize().hex() != listed[name]:
                raise ArchiveRejected("归档在校验之后被改动，已停止恢复。")
            restorer.finish()
            say(f"数据库：已写入，用时 {human_time(time.monotonic() - started)}。")
            continue
        if name not in checked.new and name not in checked.different:
            continue  # the same file is already in place
        target = staging / name[len(MEDIA_PREFIX) :]
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as out:
            for block in blocks:
                digest.update(block)
                out.write(block)
        if digest.finalize().hex() != listed[name]:
            raise ArchiveRejected("归档在校验之后被改动，已停止恢复。")
        staged += 1
    return staged


def _move_staged(staging: Path, media_root: Path) -> None:
    for folder, _, files in os.walk(staging):
        for name in files:
            source = Path(folder) / name
            target = media_root / source.relative_to(staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)


def _child(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own command, no shell  # nosec B603
        [sys.executable, "-m", "mofan", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=6 * 3600,
    )


def verify_audit(database: Database, *, default_target: bool, manifest: dict, say: Say) -> str:
    """Anchor the restored chain in the checkpoint log kept outside the database, then run
    `mofan audit verify` on it, each in a child process configured for the restored database.

    A restored, older database has a shorter chain than the last checkpoint written before the
    restore: the anchor starts a new epoch there, so the records the restore gave up are reported,
    not taken for a deletion, while every checkpoint up to the backup must still agree."""
    env = os.environ.copy() if default_target else database.child_env(os.environ)
    # The children anchor and verify against the checkpoint log this process uses.
    env["MOFAN_AUDIT_CHECKPOINT_FILE"] = str(settings.AUDIT_CHECKPOINT_FILE)
    env.pop("MOFAN_AUDIT_CHECKPOINT_FILE_FILE", None)
    reason = f"从备份恢复（备份时间 {manifest.get('created_at', '未知')}）"
    anchored = _child(env, "audit", "anchor", "--reason", reason)
    if anchored.returncode != 0:
        report = (anchored.stdout + anchored.stderr).strip()
        raise AuditCheckFailed(f"数据已恢复，但无法在检查点文件中锚定审计链：{report}")
    result = _child(env, "audit", "verify")
    report = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        raise AuditCheckFailed(f"数据已恢复，但审计链校验未通过：{report}")
    say(f"审计链校验（备份时 {manifest.get('audit_events') or 0} 条）：{report}")
    return report


def restore(
    archive: Path,
    *,
    key: bytes,
    database_url: str | None = None,
    media_root: Path | None = None,
    force: bool = False,
    verify_only: bool = False,
    media_only: bool = False,
    say: Say,
) -> RestoreResult:
    """Check the whole archive, then put back the database and the attachments (or, with
    `media_only`, only the attachments: for files lost from a database that is fine)."""
    started = time.monotonic()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    database = Database.from_url(database_url) if database_url else Database.default()
    try:
        handle = open(archive, "rb")  # noqa: SIM115 - read twice, closed below
    except OSError as exc:
        raise OpsError(f"无法打开备份归档 {archive}：{exc}") from exc
    with handle:
        checked = check_archive(handle, key, media_root=media_root, say=say)
        manifest = checked.manifest
        if verify_only:
            return RestoreResult(manifest, time.monotonic() - started)
        connections.close_all()
        older = [] if media_only else _check_database(checked, database, force=force, say=say)
        _check_media(checked, force=force)
        if media_only:
            say(f"只恢复附件到 {media_root}（数据库不动）……")
            restorer = None
        else:
            say(f"正在恢复到 {database.label}；附件目录 {media_root}……")
            restorer = database.restorer(manifest_db=manifest["database"], force=force, say=say)
        media_root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=media_root))
        try:
            staged = _restore_pass(handle, key, checked, restorer, staging, say)
            if restorer is not None:
                restorer.apply()
            _move_staged(staging, media_root)
        except BaseException:
            if restorer is not None:
                restorer.abort()
            raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    say(
        f"附件：已写入 {staged} 个，原有且相同的 {len(checked.same)} 个未动"
        + (f"，覆盖 {len(checked.different)} 个" if checked.different else "")
        + "。"
    )
    result = RestoreResult(manifest, 0.0, staged, len(checked.same))
    if not media_only:
        state = database.state()
        if state.migrations != (manifest.get("migrations") or {}) or (
            state.audit_events != manifest.get("audit_events")
        ):
            raise OpsError(
                "恢复后的数据库与备份清单不符（迁移状态或审计记录数不同），请检查目标数据库。"
            )
        if older:
            say(
                "备份的数据库结构早于当前程序（"
                + "、".join(older[:5])
                + "）：请先运行 mofan migrate，再运行 mofan audit verify。"
            )
        else:
            result.audit_report = verify_audit(
                database, default_target=database_url is None, manifest=manifest, say=say
            )
    result.seconds = time.monotonic() - started
    say(f"恢复完成，用时 {human_time(result.seconds)}。")
    return result
