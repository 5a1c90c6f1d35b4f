"""The one check every zip-based office file (.docx, .xlsx, .pptx, .ofd) passes before anything in
it is expanded: entry count, declared expanded size and compression ratio, all read from the
central directory. Plain Python, so the decomposition reader and the Django apps share it."""

import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from mofan.docparse.errors import DocumentError

MB = 1024 * 1024


@dataclass(frozen=True)
class ZipLimits:
    max_expanded: int = 200 * MB  # what all entries together may expand to
    max_entries: int = 5000
    # Office XML compresses about 10–30 to 1; a bomb of zeros or repeated rows about 1000 to 1.
    # Only entries large enough to matter are held to it (a tiny entry may compress any way).
    max_ratio: int = 100
    ratio_floor: int = 1 * MB


DEFAULT_LIMITS = ZipLimits()

CORRUPT = "文件已损坏，无法打开。"
TOO_MANY = "压缩包内文件过多（可能是恶意构造的文件），已拒绝。"
TOO_LARGE = "文件解压后过大（可能是恶意构造的“压缩炸弹”），已拒绝。"
ENCRYPTED = "文件已加密（设有打开密码），请去除密码后再上传。"


class ArchiveRefused(DocumentError):
    """A zip the guard will not let anything expand."""


def open_zip(source: BinaryIO, limits: ZipLimits = DEFAULT_LIMITS) -> zipfile.ZipFile:
    """The archive, opened only after its central directory passed `limits`. Python's zipfile never
    reads an entry past its declared size (a lying size ends in a CRC error), so the declared sizes
    bound what any zipfile-based reader (openpyxl, python-docx, this package) can expand."""
    try:
        declared = declared_entries(source)
        if declared is not None and declared > limits.max_entries:
            raise ArchiveRefused(TOO_MANY)  # before zipfile builds an object per entry
        source.seek(0)
        archive = zipfile.ZipFile(source)
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ArchiveRefused(CORRUPT) from error
    check_entries(entries, limits)
    return archive


def declared_entries(source: BinaryIO) -> int | None:
    """The entry count the end-of-central-directory record declares (APPNOTE 4.3.16, and 4.3.14
    for zip64), read from the file's tail; None when there is no such record (zipfile will then
    refuse the file). Read by hand because zipfile only exposes it after parsing every entry."""
    source.seek(0, 2)
    size = source.tell()
    tail_size = min(size, 22 + 0xFFFF + 20)  # the record, its longest comment, a zip64 locator
    source.seek(size - tail_size)
    tail = source.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    entries = int.from_bytes(tail[at + 10 : at + 12], "little")
    locator = at - 20
    if entries == 0xFFFF and locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
        source.seek(int.from_bytes(tail[locator + 8 : locator + 16], "little"))
        record = source.read(56)
        if record[:4] == b"PK\x06\x06" and len(record) == 56:
            entries = int.from_bytes(record[32:40], "little")
    return entries


def check_entries(entries: list[zipfile.ZipInfo], limits: ZipLimits = DEFAULT_LIMITS) -> None:
    if len(entries) > limits.max_entries:
        raise ArchiveRefused(TOO_MANY)
    if sum(entry.file_size for entry in entries) > limits.max_expanded:
        raise ArchiveRefused(TOO_LARGE)
    for entry in entries:
        if entry.file_size > limits.ratio_floor and (
            entry.file_size > limits.max_ratio * max(entry.compress_size, 1)
        ):
            raise ArchiveRefused(TOO_LARGE)
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise ArchiveRefused(ENCRYPTED)
