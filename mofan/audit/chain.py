"""The keyed hash chain over audit records.

Two keyed MACs, HMAC-SM3 (HMAC-SHA256 where the OpenSSL build lacks SM3; each row names its own):
- a record's seal, made when the record is written, covers every field and a random nonce;
- a link's MAC covers the previous link's MAC, the link's position, the record's id and its seal.
The key comes from settings (MOFAN_AUDIT_KEY) and is never stored in the database, so whoever can
only write the database can neither forge a record nor a link: rewriting a record, deleting one,
inserting one or reordering them breaks the chain at that point, and `verify` names it.
"""

import json
from datetime import UTC, datetime

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from django.conf import settings

GENESIS = "0" * 64


def _sm3_available() -> bool:
    try:
        digest = hashes.Hash(hashes.SM3())
        digest.update(b"probe")
        digest.finalize()
        return True
    except (UnsupportedAlgorithm, AttributeError):
        return False


DEFAULT_ALG = "HMAC-SM3" if _sm3_available() else "HMAC-SHA256"
_DIGESTS = {"HMAC-SM3": getattr(hashes, "SM3", None), "HMAC-SHA256": hashes.SHA256}


def mac(key: bytes, body: bytes, *, alg: str = DEFAULT_ALG) -> str:
    digest = _DIGESTS.get(alg)
    if digest is None:
        raise UnsupportedAlgorithm(f"{alg} is not available in this OpenSSL build")
    h = crypto_hmac.HMAC(key, digest())
    h.update(body)
    return h.finalize().hex()


def key_id(key: bytes) -> str:
    """A short public name of a key, so each link says which key made it (for rotation)."""
    return mac(key, b"mofan audit key id", alg="HMAC-SHA256")[:16]


def keys() -> dict[str, bytes]:
    """The current key and any previous ones still needed to check older links, by key id."""
    found = {key_id(settings.AUDIT_KEY): settings.AUDIT_KEY}
    for old in settings.AUDIT_PREVIOUS_KEYS:
        found.setdefault(key_id(old), old)
    return found


def current_key() -> tuple[str, bytes]:
    return key_id(settings.AUDIT_KEY), settings.AUDIT_KEY


def canonical_time(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def record_fields(event) -> dict:
    """Every field of a record that its seal covers (the id is not known before the insert; the
    link covers it)."""
    return {
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
    }


def _canonical(value) -> bytes:
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode("utf-8")


def seal(key: bytes, *, alg: str, nonce: str, fields: dict) -> str:
    return mac(key, _canonical(["record", nonce, fields]), alg=alg)


def link_mac(key: bytes, *, alg: str, seq: int, prev_mac: str, event_id: int, seal: str) -> str:
    return mac(key, _canonical(["link", seq, prev_mac, event_id, seal]), alg=alg)


def signature(key: bytes, entry: dict) -> str:
    """The MAC of a checkpoint line: every field but the signature itself, under its own alg."""
    body = {k: v for k, v in entry.items() if k != "sig"}
    return mac(key, _canonical(["checkpoint", body]), alg=entry["alg"])
