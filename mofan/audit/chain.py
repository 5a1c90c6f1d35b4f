"""Hashing of audit records: SM3 where the OpenSSL build has it, else SHA-256 (named in each record)."""

import json
from datetime import UTC, datetime

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes

GENESIS = "0" * 64


def _pick_algorithm() -> tuple[str, type[hashes.HashAlgorithm]]:
    try:
        digest = hashes.Hash(hashes.SM3())
        digest.update(b"probe")
        digest.finalize()
        return "SM3", hashes.SM3
    except (UnsupportedAlgorithm, AttributeError):
        return "SHA256", hashes.SHA256


DEFAULT_ALG, _ = _pick_algorithm()
_ALGORITHMS = {"SM3": getattr(hashes, "SM3", None), "SHA256": hashes.SHA256}


def canonical_time(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def compute_hash(fields: dict, *, alg: str, prev_hash: str) -> str:
    body = json.dumps(
        [prev_hash, fields], sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode("utf-8")
    algorithm = _ALGORITHMS[alg]
    if algorithm is None:
        raise UnsupportedAlgorithm(f"{alg} is not available in this OpenSSL build")
    digest = hashes.Hash(algorithm())
    digest.update(body)
    return digest.finalize().hex()


def hashed_fields(event) -> dict:
    """The fields a record's hash covers: everything but the hashes themselves."""
    return {
        "seq": event.seq,
        "occurred_at": canonical_time(event.occurred_at),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "source_address": event.source_address,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "changes": event.changes,
        "payload": event.payload,
        "hash_alg": event.hash_alg,
    }
