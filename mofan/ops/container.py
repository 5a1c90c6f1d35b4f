"""What the sealed stream holds: named entries — the attachments, the database, the manifest last —
each written as length-prefixed blocks, so a database dump is streamed straight from pg_dump
without knowing its size first (which a tar member would need) and without a copy on disk.

    entry   b"E" | name length u16 | name (UTF-8) | (block length u32 | block)* | u32 0
    end     b"Z"
"""

import json
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes

from mofan.ops.errors import ArchiveRejected

ENTRY, END = b"E", b"Z"
BLOCK = 1 << 20
MANIFEST = "manifest.json"
DATABASE_PREFIX = "database/"
MEDIA_PREFIX = "media/"
_U16, _U32 = struct.Struct(">H"), struct.Struct(">I")


def _checksum_algorithm() -> tuple[str, type]:
    try:
        digest = hashes.Hash(hashes.SM3())
        digest.update(b"probe")
        digest.finalize()
        return "SM3", hashes.SM3
    except (UnsupportedAlgorithm, AttributeError):
        return "SHA256", hashes.SHA256


CHECKSUM, _CHECKSUM_HASH = _checksum_algorithm()
_BY_NAME = {"SM3": getattr(hashes, "SM3", None), "SHA256": hashes.SHA256}


def new_digest(name: str = CHECKSUM):
    algorithm = _BY_NAME.get(name)
    if algorithm is None:
        raise ArchiveRejected(f"本机不支持清单所用的校验算法 {name}。")
    return hashes.Hash(algorithm())


@dataclass(frozen=True)
class Entry:
    path: str
    size: int
    checksum: str

    def as_manifest(self) -> dict:
        return {"path": self.path, "size": self.size, "checksum": self.checksum}


def check_name(name: str) -> str:
    """An entry name must be a plain relative path under media/ or database/, or the manifest."""
    path = PurePosixPath(name)
    plain = (
        name
        and "\\" not in name
        and "\x00" not in name
        and not path.is_absolute()
        and all(part not in ("", ".", "..") for part in name.split("/"))
    )
    if not plain or not (
        name == MANIFEST or name.startswith((MEDIA_PREFIX, DATABASE_PREFIX)) and len(path.parts) > 1
    ):
        raise ArchiveRejected(f"备份归档中有不安全的路径：{name!r}。")
    return name


class ContainerWriter:
    def __init__(self, out):
        self._out = out

    def add(self, name: str, blocks: Iterable[bytes]) -> Entry:
        encoded = check_name(name).encode("utf-8")
        self._out.write(ENTRY + _U16.pack(len(encoded)) + encoded)
        digest, size = new_digest(), 0
        for block in blocks:
            for start in range(0, len(block), BLOCK):
                piece = block[start : start + BLOCK]
                self._out.write(_U32.pack(len(piece)))
                self._out.write(piece)
                digest.update(piece)
                size += len(piece)
        self._out.write(_U32.pack(0))
        return Entry(name, size, digest.finalize().hex())

    def add_file(self, name: str, handle: BinaryIO) -> Entry:
        return self.add(name, iter(lambda: handle.read(BLOCK), b""))

    def add_manifest(self, manifest: dict) -> None:
        body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        self.add(MANIFEST, [body])

    def finish(self) -> None:
        self._out.write(END)


def _read(stream, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise ArchiveRejected("备份归档的内容不完整。")
    return data


class ContainerReader:
    """Entries in order; each entry's blocks must be consumed before the next entry is read."""

    def __init__(self, stream):
        self._stream = stream

    def entries(self) -> Iterator[tuple[str, Iterator[bytes]]]:
        while True:
            tag = _read(self._stream, 1)
            if tag == END:
                if self._stream.read(1):
                    raise ArchiveRejected("备份归档的结尾之后还有多余的数据。")
                return
            if tag != ENTRY:
                raise ArchiveRejected("备份归档的内容结构已损坏。")
            (length,) = _U16.unpack(_read(self._stream, 2))
            try:
                name = _read(self._stream, length).decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ArchiveRejected("备份归档中有无法识别的文件名。") from exc
            blocks = self._blocks()
            yield check_name(name), blocks
            for _ in blocks:  # what the caller left unread
                pass

    def _blocks(self) -> Iterator[bytes]:
        while True:
            (length,) = _U32.unpack(_read(self._stream, 4))
            if length == 0:
                return
            if length > BLOCK:
                raise ArchiveRejected("备份归档的内容结构已损坏。")
            yield _read(self._stream, length)
