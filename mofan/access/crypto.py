"""Personal data at rest: SM4-GCM encryption and a keyed SM3 hash for exact-match search.

Hand-written on top of `cryptography` because no maintained Django field library offers SM4.
Each ciphertext names the key that made it (`sm4gcm2:<key id>:`), so keys can be rotated while
the system runs: MOFAN_FIELD_PREVIOUS_KEYS / MOFAN_HASH_PREVIOUS_KEYS keep the old ones readable
until `mofan rotate-keys` has moved every value to the new key.
"""

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.db import models

_PREFIX = "sm4gcm2:"
_LEGACY_PREFIX = "sm4gcm1:"  # before key ids: tried with every known key
_NONCE = 12
_TAG = 16


class WrongKeyError(ValueError):
    """No configured key opens this value."""


def key_id(key: bytes) -> str:
    mac = crypto_hmac.HMAC(key, hashes.SHA256())
    mac.update(b"mofan field key id")
    return mac.finalize().hex()[:8]


def field_keys() -> dict[str, bytes]:
    """The current field key first, then previous ones still being rotated away from."""
    found = {key_id(settings.FIELD_ENCRYPTION_KEY): settings.FIELD_ENCRYPTION_KEY}
    for old in settings.FIELD_PREVIOUS_KEYS:
        found.setdefault(key_id(old), old)
    return found


def current_prefix() -> str:
    return f"{_PREFIX}{key_id(settings.FIELD_ENCRYPTION_KEY)}:"


def encrypt(plaintext: str) -> str:
    nonce = os.urandom(_NONCE)
    encryptor = Cipher(algorithms.SM4(settings.FIELD_ENCRYPTION_KEY), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plaintext.encode("utf-8")) + encryptor.finalize()
    return current_prefix() + base64.b64encode(nonce + body + encryptor.tag).decode("ascii")


def decrypt_with(key: bytes, raw: bytes) -> str:
    nonce, body, tag = raw[:_NONCE], raw[_NONCE:-_TAG], raw[-_TAG:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    return (decryptor.update(body) + decryptor.finalize()).decode("utf-8")


def split(token: str) -> tuple[str | None, bytes]:
    """(key id or None for the legacy format, the nonce + ciphertext + tag)."""
    if token.startswith(_PREFIX):
        kid, _, body = token[len(_PREFIX) :].partition(":")
        return kid, base64.b64decode(body)
    if token.startswith(_LEGACY_PREFIX):
        return None, base64.b64decode(token[len(_LEGACY_PREFIX) :])
    raise ValueError("not an SM4-GCM token")


def decrypt(token: str) -> str:
    kid, raw = split(token)
    keys = field_keys()
    candidates = [keys[kid]] if kid in keys else ([] if kid else list(keys.values()))
    for key in candidates:
        try:
            return decrypt_with(key, raw)
        except InvalidTag:
            continue
    raise WrongKeyError("MOFAN_FIELD_KEY 无法解密已加密的数据：密钥错误或已更换。")


def _hmac(key: bytes, value: str) -> str:
    mac = crypto_hmac.HMAC(key, hashes.SM3())
    mac.update(value.strip().upper().encode("utf-8"))
    return mac.finalize().hex()


def keyed_hash(value: str) -> str:
    """HMAC-SM3 of a normalised value: equal inputs give equal hashes, without revealing them."""
    return _hmac(settings.FIELD_HASH_KEY, value)


def keyed_hashes(value: str) -> list[str]:
    """The value's hash under the current key and every previous one: what an exact-match
    lookup must search while `mofan rotate-keys` has not finished."""
    return [keyed_hash(value)] + [_hmac(old, value) for old in settings.HASH_PREVIOUS_KEYS]


def keyed_hash_with(key: bytes, value: str) -> str:
    return _hmac(key, value)


class EncryptedCharField(models.TextField):
    """A text column holding SM4-GCM ciphertext; Python code sees the plaintext."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)
