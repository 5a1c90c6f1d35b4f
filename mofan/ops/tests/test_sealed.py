"""The archive's encryption and framing, without a database: every truncation, flipped byte,
reordering and extension is refused; names cannot leave MEDIA_ROOT."""

import io
import os

import pytest

from mofan.ops import container, sealed
from mofan.ops.errors import ArchiveRejected
from mofan.ops.tests.archives import seal, unseal

KEY = bytes(range(32))
CHUNK = 64
CHUNKED = CHUNK + sealed.TAG


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17])
def test_any_length_comes_back_as_it_was(size):
    data = os.urandom(size)
    blob = seal(data, KEY, CHUNK)
    chunks = max(1, -(-size // CHUNK))
    assert len(blob) == sealed.HEADER.size + size + chunks * sealed.TAG
    assert unseal(blob, KEY) == data


def test_the_default_suite_is_sm4_gcm_where_openssl_has_it():
    blob = seal(b"x", KEY, CHUNK)
    assert sealed.read_header(io.BytesIO(blob)).suite.name == sealed.DEFAULT_SUITE.name
    assert sealed.DEFAULT_SUITE.name in ("SM4-GCM", "AES-256-GCM")
    assert sealed._works(sealed.SUITES[1]) == (sealed.DEFAULT_SUITE.name == "SM4-GCM")


def test_two_archives_of_the_same_data_differ_everywhere_but_the_fixed_header_fields():
    first, second = seal(b"same" * 50, KEY, CHUNK), seal(b"same" * 50, KEY, CHUNK)
    assert first[:16] == second[:16]  # magic, version, suite, chunk size
    assert first[16:48] != second[16:48]  # salt
    assert first[sealed.HEADER.size :] != second[sealed.HEADER.size :]


def test_every_truncation_is_refused():
    blob = seal(os.urandom(3 * CHUNK + 10), KEY, CHUNK)
    for cut in range(len(blob)):
        with pytest.raises(ArchiveRejected):
            unseal(blob[:cut], KEY)


def test_a_cut_at_a_chunk_boundary_is_refused_as_a_failed_chunk():
    blob = seal(os.urandom(3 * CHUNK), KEY, CHUNK)
    with pytest.raises(ArchiveRejected, match="第 2 块校验失败"):
        unseal(blob[: sealed.HEADER.size + 2 * CHUNKED], KEY)


def test_every_flipped_byte_is_refused():
    blob = bytearray(seal(os.urandom(2 * CHUNK + 5), KEY, CHUNK))
    for position in range(len(blob)):
        damaged = bytearray(blob)
        damaged[position] ^= 0x01
        with pytest.raises(ArchiveRejected):
            unseal(bytes(damaged), KEY)


def test_extra_bytes_after_the_final_chunk_are_refused():
    blob = seal(os.urandom(2 * CHUNK), KEY, CHUNK)
    for extra in (b"\x00", os.urandom(sealed.TAG), os.urandom(CHUNKED)):
        with pytest.raises(ArchiveRejected):
            unseal(blob + extra, KEY)


def test_swapped_chunks_are_refused():
    blob = seal(os.urandom(3 * CHUNK), KEY, CHUNK)
    head, body = blob[: sealed.HEADER.size], blob[sealed.HEADER.size :]
    parts = [body[i : i + CHUNKED] for i in range(0, len(body), CHUNKED)]
    with pytest.raises(ArchiveRejected, match="第 1 块"):
        unseal(head + parts[1] + parts[0] + b"".join(parts[2:]), KEY)


def test_a_wrong_key_is_named_as_such_with_both_fingerprints():
    blob = seal(b"secret", KEY, CHUNK)
    other = bytes(32)
    with pytest.raises(ArchiveRejected, match="备份密钥不正确") as refused:
        unseal(blob, other)
    assert sealed.fingerprint(KEY) in refused.value.message
    assert sealed.fingerprint(other) in refused.value.message


def test_a_file_that_is_not_an_archive_is_named_as_such():
    with pytest.raises(ArchiveRejected, match="不是模范平台的备份归档"):
        unseal(b"PK\x03\x04" + bytes(100), KEY)


def test_an_unknown_format_version_is_refused():
    blob = bytearray(seal(b"x", KEY, CHUNK))
    blob[8] = 2
    with pytest.raises(ArchiveRejected, match="格式版本 2"):
        unseal(bytes(blob), KEY)


@pytest.mark.parametrize(
    "name",
    ["../etc/passwd", "/etc/passwd", "media/../../x", "media/a/../b", "media/", "media",
     "database", "other/x", "media\\x", "media/a//b", "media/./a", ""],
)  # fmt: skip
def test_entry_names_cannot_leave_their_folders(name):
    with pytest.raises(ArchiveRejected, match="不安全的路径"):
        container.check_name(name)


@pytest.mark.parametrize(
    "name", ["media/ledger/1/2/落实情况报告.pdf", "database/x.dump", "manifest.json"]
)
def test_plain_entry_names_are_accepted(name):
    assert container.check_name(name) == name


def test_entries_come_back_in_order_with_their_checksums():
    out = io.BytesIO()
    box = container.ContainerWriter(out)
    big = os.urandom(container.BLOCK + 5)
    first = box.add("media/a.bin", [b"ab", b"", b"cd"])
    second = box.add("database/sqlite.dump", [big])
    box.finish()
    assert (first.size, second.size) == (4, len(big))
    digest = container.new_digest()
    digest.update(big)
    assert second.checksum == digest.finalize().hex()
    out.seek(0)
    read = [(n, b"".join(b)) for n, b in container.ContainerReader(out).entries()]
    assert read == [("media/a.bin", b"abcd"), ("database/sqlite.dump", big)]


def test_a_container_without_its_end_mark_is_refused():
    out = io.BytesIO()
    container.ContainerWriter(out).add("media/a.bin", [b"abc"])
    out.seek(0)
    with pytest.raises(ArchiveRejected, match="不完整"):
        list(container.ContainerReader(out).entries())
