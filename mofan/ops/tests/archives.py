"""Opening and re-sealing archives in tests: what a backup made by another version, or a damaged
one made with the right key, looks like."""

import io
from pathlib import Path

from mofan.ops import container, sealed


def entries(path: Path, key: bytes) -> list[tuple[str, bytes]]:
    with open(path, "rb") as handle:
        reader = container.ContainerReader(sealed.SealedReader(handle, key))
        return [(name, b"".join(blocks)) for name, blocks in reader.entries()]


def write(path: Path, key: bytes, items: list[tuple[str, bytes]]) -> None:
    with open(path, "wb") as handle:
        writer = sealed.SealedWriter(handle, key)
        box = container.ContainerWriter(writer)
        for name, data in items:
            box.add(name, [data])
        box.finish()
        writer.close()


def seal(data: bytes, key: bytes, chunk: int) -> bytes:
    out = io.BytesIO()
    writer = sealed.SealedWriter(out, key, chunk=chunk)
    writer.write(data)
    writer.close()
    return out.getvalue()


def unseal(blob: bytes, key: bytes) -> bytes:
    reader = sealed.SealedReader(io.BytesIO(blob), key)
    parts = []
    while part := reader.read(1000):
        parts.append(part)
    return b"".join(parts)
