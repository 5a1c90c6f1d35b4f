"""The archive file, encrypted at rest: an authenticated stream in chunks (the STREAM construction).

Each archive has a random salt; its content key is derived from the backup key with HKDF. Every
chunk of plaintext (1 MiB) is sealed with SM4-GCM — AES-256-GCM where the OpenSSL build lacks SM4,
the suite named in the header — under a nonce made of the chunk's number and a flag set only on the
final chunk, with the header as associated data. So a chunk changed, dropped, reordered or moved,
an archive cut short at any byte or extended, and a header altered all fail to open; a multi-GB
archive is read and written a chunk at a time, never held in memory.

    header  magic "MOFANBK\\0" | version u8 | suite u8 | reserved u16 | chunk size u32 |
            salt 32 bytes | key id 8 bytes
    chunk   ciphertext (chunk size bytes; the final one 0..chunk size) | GCM tag 16 bytes
"""

import hashlib
import hmac
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from mofan.ops.errors import ArchiveRejected, OpsError

MAGIC = b"MOFANBK\x00"
VERSION = 1
CHUNK = 1 << 20
TAG = 16
HEADER = struct.Struct(">8sBBHI32s8s")
MAX_CHUNK = 64 << 20


@dataclass(frozen=True)
class Suite:
    number: int
    name: str
    cipher: type
    key_bytes: int
    kdf_hash: type


SUITES = {
    1: Suite(1, "SM4-GCM", getattr(algorithms, "SM4", None), 16, getattr(hashes, "SM3", None)),
    2: Suite(2, "AES-256-GCM", algorithms.AES, 32, hashes.SHA256),
}


def _seal(algorithm, nonce: bytes, header: bytes, data: bytes) -> bytes:
    encryptor = Cipher(algorithm, modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(header)
    sealed = encryptor.update(data) + encryptor.finalize()
    return sealed + encryptor.tag


def _open(algorithm, nonce: bytes, header: bytes, sealed: bytes) -> bytes:
    decryptor = Cipher(algorithm, modes.GCM(nonce, sealed[-TAG:])).decryptor()
    decryptor.authenticate_additional_data(header)
    data = decryptor.update(sealed[:-TAG])
    return data + decryptor.finalize()  # raises InvalidTag before any of it is used


def _works(suite: Suite) -> bool:
    if suite.cipher is None or suite.kdf_hash is None:
        return False
    try:
        _seal(suite.cipher(bytes(suite.key_bytes)), bytes(12), b"", b"probe")
        digest = hashes.Hash(suite.kdf_hash())
        digest.update(b"probe")
        digest.finalize()
    except (UnsupportedAlgorithm, ValueError):
        return False
    return True


DEFAULT_SUITE = SUITES[1] if _works(SUITES[1]) else SUITES[2]


def key_id(key: bytes) -> bytes:
    """Eight bytes that name a backup key without revealing it (shown as the key's fingerprint)."""
    return hmac.new(key, b"mofan backup key id", hashlib.sha256).digest()[:8]


def fingerprint(key: bytes) -> str:
    return key_id(key).hex()


def _content_key(key: bytes, salt: bytes, suite: Suite) -> bytes:
    return HKDF(
        algorithm=suite.kdf_hash(), length=suite.key_bytes, salt=salt, info=b"mofan backup v1"
    ).derive(key)


def _nonce(index: int, final: bool) -> bytes:
    return b"\x00\x00\x00" + index.to_bytes(8, "big") + (b"\x01" if final else b"\x00")


class SealedWriter:
    """A write-only file object: what is written goes out sealed, chunk by chunk."""

    def __init__(self, out: BinaryIO, key: bytes, *, suite: Suite = DEFAULT_SUITE, chunk=CHUNK):
        self._out = out
        self._chunk = chunk
        self._suite = suite
        salt = os.urandom(32)
        self._header = HEADER.pack(MAGIC, VERSION, suite.number, 0, chunk, salt, key_id(key))
        self._algorithm = suite.cipher(_content_key(key, salt, suite))
        self._buffer = bytearray()
        self._index = 0
        self._closed = False
        out.write(self._header)

    @property
    def suite_name(self) -> str:
        return self._suite.name

    def write(self, data: bytes) -> int:
        self._buffer += data
        # A full chunk is sealed only when more follows: the one left at close is the final one.
        while len(self._buffer) > self._chunk:
            self._emit(bytes(self._buffer[: self._chunk]), final=False)
            del self._buffer[: self._chunk]
        return len(data)

    def close(self) -> None:
        if not self._closed:
            self._emit(bytes(self._buffer), final=True)
            self._buffer.clear()
            self._closed = True

    def _emit(self, data: bytes, *, final: bool) -> None:
        self._out.write(_seal(self._algorithm, _nonce(self._index, final), self._header, data))
        self._index += 1


def _read_exact(handle: BinaryIO, size: int) -> bytes:
    parts, left = [], size
    while left:
        part = handle.read(left)
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


@dataclass(frozen=True)
class Header:
    raw: bytes
    suite: Suite
    chunk: int
    salt: bytes
    key_id: bytes


def read_header(handle: BinaryIO) -> Header:
    raw = _read_exact(handle, HEADER.size)
    if len(raw) < HEADER.size or not raw.startswith(MAGIC):
        raise ArchiveRejected("该文件不是模范平台的备份归档（文件头不符），或文件头已损坏。")
    _, version, suite_number, _, chunk, salt, archive_key_id = HEADER.unpack(raw)
    if version != VERSION:
        raise ArchiveRejected(f"备份归档的格式版本 {version} 不受本程序支持（支持 {VERSION}）。")
    suite = SUITES.get(suite_number)
    if suite is None or not 0 < chunk <= MAX_CHUNK:
        raise ArchiveRejected("备份归档的文件头已损坏或被篡改。")
    if not _works(suite):
        raise OpsError(
            f"本机的 OpenSSL 不支持 {suite.name}，无法解密该归档：请在支持国密算法的环境中恢复。"
        )
    return Header(raw, suite, chunk, salt, archive_key_id)


class SealedReader:
    """Opens a sealed archive chunk by chunk; a chunk's plaintext is released only once its tag
    holds, so nothing unauthenticated ever reaches the caller."""

    def __init__(self, handle: BinaryIO, key: bytes):
        self._handle = handle
        self.header = read_header(handle)
        if not hmac.compare_digest(self.header.key_id, key_id(key)):
            raise ArchiveRejected(
                f"备份密钥不正确：该归档由指纹为 {self.header.key_id.hex()} 的密钥加密，"
                f"当前 MOFAN_BACKUP_KEY 的指纹为 {fingerprint(key)}。请使用制作备份时的密钥。"
            )
        self._algorithm = self.header.suite.cipher(
            _content_key(key, self.header.salt, self.header.suite)
        )
        self._chunks = self._iter_chunks()
        self._pending = b""
        self._offset = 0
        self._done = False
        self.total = 0  # plaintext bytes released so far

    def _iter_chunks(self) -> Iterator[bytes]:
        size = self.header.chunk + TAG
        current = _read_exact(self._handle, size)
        index = 0
        while True:
            if len(current) < size:
                final, following = True, b""
            else:
                following = _read_exact(self._handle, size)
                final = not following
            if len(current) < TAG:
                raise ArchiveRejected("备份归档不完整（文件被截断）。")
            try:
                data = _open(self._algorithm, _nonce(index, final), self.header.raw, current)
            except InvalidTag as exc:
                raise ArchiveRejected(
                    f"备份归档第 {index + 1} 块校验失败：文件被截断、损坏或被篡改。"
                ) from exc
            yield data
            if final:
                return
            current, index = following, index + 1

    def read(self, size: int) -> bytes:
        """Up to `size` bytes; fewer only at the end of the stream."""
        parts, left = [], size
        while left:
            if self._offset >= len(self._pending):
                if self._done:
                    break
                try:
                    self._pending, self._offset = next(self._chunks), 0
                except StopIteration:
                    self._done = True
                    break
                continue
            piece = self._pending[self._offset : self._offset + left]
            self._offset += len(piece)
            left -= len(piece)
            parts.append(piece)
        data = b"".join(parts)
        self.total += len(data)
        return data
