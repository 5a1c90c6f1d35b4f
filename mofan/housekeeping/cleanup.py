"""The daily clean-up: files nobody needs any more leave the disk once their retention period is
over — import uploads and error workbooks (they hold personal data), temporary exports, the
uploads of discarded decompositions, and files under MEDIA_ROOT that no row refers to. Every
deletion is counted and the run is audited with the counts. A file a live row refers to is never
deleted here. Folders are left in place, empty or not: removing one could race an upload that has
just created it."""

import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from itertools import islice
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from mofan.audit import services as audit
from mofan.ledger import decomposition

BATCH = 500
EXPORT_PREFIX = "mofan-"  # the prefix of every temporary file the apps write (exports, templates)


class Tally:
    def __init__(self):
        self.files = 0
        self.bytes = 0

    def remove(self, path: Path) -> None:
        try:
            size = path.stat().st_size
            path.unlink()
        except FileNotFoundError:
            return  # gone already (a concurrent run, a download that removed its own file)
        self.files += 1
        self.bytes += size


def run(*, now: datetime | None = None) -> dict[str, int]:
    """One clean-up pass; returns what it deleted, by kind, and the bytes freed."""
    now = now or timezone.now()
    import_cutoff = now - timedelta(days=settings.IMPORT_RETENTION_DAYS)
    temp_cutoff = now - timedelta(days=settings.TEMP_RETENTION_DAYS)
    imports, exports, orphans = Tally(), Tally(), Tally()
    imports_root = Path(settings.VAR_DIR) / "imports"
    for path in _older_files(imports_root, "*", import_cutoff):
        imports.remove(path)
    for path in _older_files(Path(tempfile.gettempdir()), f"{EXPORT_PREFIX}*", import_cutoff):
        exports.remove(path)
    discarded_files, discarded_bytes = decomposition.purge_discarded(before=temp_cutoff)
    media_root = Path(settings.MEDIA_ROOT)
    for path in unreferenced(media_root, _older_files(media_root, "*", temp_cutoff)):
        orphans.remove(path)
    counts = {
        "imports": imports.files,
        "exports": exports.files,
        "discarded": discarded_files,
        "orphans": orphans.files,
        "bytes": imports.bytes + exports.bytes + discarded_bytes + orphans.bytes,
    }
    audit.record(
        None,
        "housekeeping.cleanup.ran",
        payload={
            **counts,
            "import_retention_days": settings.IMPORT_RETENTION_DAYS,
            "temp_retention_days": settings.TEMP_RETENTION_DAYS,
        },
    )
    return counts


def _older_files(root: Path, pattern: str, cutoff: datetime) -> Iterator[Path]:
    """Regular files under `root` (for the temp folder: directly in it) last written before
    `cutoff`. Symbolic links are never followed nor removed."""
    if not root.is_dir():
        return
    limit = cutoff.timestamp()
    found = root.glob(pattern) if root == Path(tempfile.gettempdir()) else root.rglob(pattern)
    for path in found:
        try:
            if path.is_symlink() or not path.is_file():
                continue
            if path.stat().st_mtime < limit:
                yield path
        except FileNotFoundError:
            continue


def file_fields() -> list[tuple[type[models.Model], str]]:
    """Every file column of every model: what a stored file may be referred to by."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]


def unreferenced(root: Path, paths: Iterable[Path]) -> Iterator[Path]:
    """Those of `paths` (under `root`) that no row's file column names, checked a batch at a time
    so that memory and queries stay bounded however many files there are."""
    fields = file_fields()
    paths = iter(paths)
    while batch := list(islice(paths, BATCH)):
        names = {path.relative_to(root).as_posix(): path for path in batch}
        referenced: set[str] = set()
        for model, field in fields:
            referenced.update(
                model._base_manager.filter(**{f"{field}__in": list(names)}).values_list(
                    field, flat=True
                )
            )
        yield from (path for name, path in names.items() if name not in referenced)
