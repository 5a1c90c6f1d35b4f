"""`mofan backup`: one encrypted archive of the database, every file under MEDIA_ROOT and a manifest.

The database snapshot is taken first, then the attachments are read: a file is written before the
row that names it commits, so every file the snapshot names is already on disk when it is read.
"""

import hashlib
import hmac
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from mofan.ops import container, sealed
from mofan.ops.databases import Database
from mofan.ops.errors import OpsError

FORMAT = "mofan-backup"
FORMAT_VERSION = 1
SUFFIX = ".mfbk"
STAGING_PREFIX = ".restore-staging-"
# Data keys a restored database needs unchanged: the manifest keeps a fingerprint of each.
DATA_KEYS = (("MOFAN_FIELD_KEY", "FIELD_ENCRYPTION_KEY"), ("MOFAN_HASH_KEY", "FIELD_HASH_KEY"))
_PROGRESS_BYTES = 256 << 20
_MISSING_LISTED = 1000

Say = Callable[[str], None]


def app_version() -> str:
    try:
        return version("mofan")
    except PackageNotFoundError:
        return "unknown"


def key_fingerprints() -> dict[str, str]:
    found = {}
    for name, attr in DATA_KEYS:
        key = getattr(settings, attr, None)
        if key:
            found[name] = hmac.new(key, b"mofan key fingerprint", hashlib.sha256).hexdigest()[:16]
    return found


def human_size(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def human_time(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} 分 {rest} 秒" if minutes else f"{seconds:.1f} 秒"


class Progress:
    """A line every 256 MB of a long step, such as "数据库：已导出 512.0 MB……"."""

    def __init__(self, say: Say, template: str, step: int = _PROGRESS_BYTES):
        self.say, self.template, self.step = say, template, step
        self.done, self.next = 0, step

    def add(self, size: int) -> None:
        self.done += size
        if self.done >= self.next:
            self.say(self.template.format(size=human_size(self.done)))
            self.next += self.step

    def through(self, blocks):
        for block in blocks:
            self.add(len(block))
            yield block


class _CountingFile:
    """The archive file as written: counts its bytes and takes its SHA-256 for the sidecar."""

    def __init__(self, handle):
        self.handle = handle
        self.size = 0
        self.sha256 = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.handle.write(data)
        self.sha256.update(data)
        self.size += len(data)
        return len(data)


def media_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Every regular file under MEDIA_ROOT, as (name in the archive, path), in a stable order;
    a restore's staging folder is not part of it."""
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(
            d for d in dirs if not (folder == str(root) and d.startswith(STAGING_PREFIX))
        )
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file():
                continue
            relative = path.relative_to(root).as_posix()
            try:
                relative.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise OpsError(f"附件目录中有无法用 UTF-8 表示的文件名：{path!r}") from exc
            yield container.MEDIA_PREFIX + relative, path


def referenced_files() -> Iterator[str]:
    """Every file name the database's file fields hold."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and field.concrete:
                yield from (
                    model._base_manager.exclude(**{field.name: ""})
                    .values_list(field.name, flat=True)
                    .iterator(chunk_size=5000)
                )


@dataclass
class BackupResult:
    path: Path
    size: int
    sha256: str
    manifest: dict
    seconds: float


def _archive_path(output: Path, now: datetime) -> Path:
    stem = f"mofan-{timezone.localtime(now):%Y%m%d-%H%M%S}"
    path, n = output / f"{stem}{SUFFIX}", 1
    while path.exists() or path.with_name(path.name + ".partial").exists():
        n += 1
        path = output / f"{stem}-{n}{SUFFIX}"
    return path


def _prepare_output(output: Path) -> None:
    try:
        output.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise OpsError(f"无法创建备份目录 {output}：{exc}") from exc
    if not os.access(output, os.W_OK):
        raise OpsError(f"备份目录 {output} 不可写。")


def make_backup(
    *, output: Path, key: bytes, say: Say, media_root: Path | None = None
) -> BackupResult:
    started = time.monotonic()
    now = timezone.now()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    _prepare_output(output)
    database = Database.default()
    path = _archive_path(output, now)
    partial = path.with_name(path.name + ".partial")
    say(f"开始备份：{database.label}；附件目录 {media_root}；写入 {path}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(fd, 0o600)
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as handle:
            counted = _CountingFile(handle)
            writer = sealed.SealedWriter(counted, key)
            box = container.ContainerWriter(writer)
            with database.dump(say) as (state, dump):
                entries, media_bytes = [], 0
                for name, file_path in media_files(media_root):
                    with open(file_path, "rb") as media:
                        entry = box.add_file(name, media)
                    entries.append(entry)
                    media_bytes += entry.size
                    if len(entries) % 1000 == 0:
                        say(f"附件：已打包 {len(entries)} 个文件，{human_size(media_bytes)}……")
                say(f"附件：共 {len(entries)} 个文件，{human_size(media_bytes)}。")
                dump_started = time.monotonic()
                progress = Progress(say, "数据库：已导出 {size}……")
                db_entry = box.add(
                    f"{container.DATABASE_PREFIX}{database.vendor}.dump", progress.through(dump)
                )
            say(
                f"数据库：已导出 {human_size(db_entry.size)}，"
                f"用时 {human_time(time.monotonic() - dump_started)}。"
            )
            included = {e.path[len(container.MEDIA_PREFIX) :] for e in entries}
            missing = sorted({name for name in referenced_files() if name not in included})
            if missing:
                say(
                    f"警告：数据库引用的 {len(missing)} 个附件在附件目录中不存在"
                    f"（已列入清单的 missing_media），例如 {missing[0]}。"
                )
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": timezone.localtime(now).isoformat(timespec="seconds"),
                "app_version": app_version(),
                "database": {
                    "vendor": database.vendor,
                    "server_version": state.server_version,
                    **state.extra,
                },
                "migrations": state.migrations,
                "audit_events": state.audit_events,
                "keys": key_fingerprints(),
                "checksum": container.CHECKSUM,
                "cipher": writer.suite_name,
                "media_files": len(entries),
                "media_bytes": media_bytes,
                "missing_media": missing[:_MISSING_LISTED],
                "missing_media_count": len(missing),
                "files": [e.as_manifest() for e in [db_entry, *entries]],
            }
            box.add_manifest(manifest)
            box.finish()
            writer.close()
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
        _fsync_dir(output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    digest = counted.sha256.hexdigest()
    sidecar = path.with_name(path.name + ".sha256")
    fd = os.open(sidecar, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(f"{digest}  {path.name}\n")
    seconds = time.monotonic() - started
    say(
        f"备份完成：{path}（{human_size(counted.size)}，{writer.suite_name} 加密，"
        f"密钥指纹 {sealed.fingerprint(key)}），用时 {human_time(seconds)}；"
        f"数据库 1 个、附件 {len(entries)} 个，审计记录 {state.audit_events or 0} 条。"
    )
    say(f"归档的 SHA-256 已写入 {sidecar.name}（异地副本可用 sha256sum -c 核对）。")
    return BackupResult(path, counted.size, digest, manifest, seconds)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def prune(output: Path, keep: int, say: Say) -> list[Path]:
    """Delete all but the newest `keep` archives (and their checksum files) in `output`."""
    archives = sorted(output.glob(f"mofan-*{SUFFIX}"), key=lambda p: p.stat().st_mtime)
    removed = archives[:-keep] if keep > 0 else []
    for old in removed:
        old.unlink()
        old.with_name(old.name + ".sha256").unlink(missing_ok=True)
        say(f"已按保留份数（{keep}）删除旧备份：{old.name}")
    return removed
