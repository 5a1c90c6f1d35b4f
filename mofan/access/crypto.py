"""Personal data at rest: SM4-GCM encryption and a keyed SM3 hash for exact-match search.

Hand-written on top of `cryptography` because no maintained Django field library offers SM4.
"""

import base64
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.db import models

_PREFIX = "sm4gcm1:"
_NONCE = 12
_TAG = 16


def encrypt(plaintext: str) -> str:
    nonce = os.urandom(_NONCE)
    encryptor = Cipher(algorithms.SM4(settings.FIELD_ENCRYPTION_KEY), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plaintext.encode("utf-8")) + encryptor.finalize()
    return _PREFIX + base64.b64encode(nonce + body + encryptor.tag).decode("ascii")


def decrypt(token: str) -> str:
    if not token.startswith(_PREFIX):
        raise ValueError("not an SM4-GCM token")
    raw = base64.b64decode(token[len(_PREFIX) :])
    nonce, body, tag = raw[:_NONCE], raw[_NONCE:-_TAG], raw[-_TAG:]
    decryptor = Cipher(
        algorithms.SM4(settings.FIELD_ENCRYPTION_KEY), modes.GCM(nonce, tag)
    ).decryptor()
    return (decryptor.update(body) + decryptor.finalize()).decode("utf-8")


def keyed_hash(value: str) -> str:
    """HMAC-SM3 of a normalised value: equal inputs give equal hashes, without revealing them."""
    mac = crypto_hmac.HMAC(settings.FIELD_HASH_KEY, hashes.SM3())
    mac.update(value.strip().upper().encode("utf-8"))
    return mac.finalize().hex()


def mask(value: str, keep_head: int = 3, keep_tail: int = 4) -> str:
    """110***********1234 — what lists show."""
    if not value:
        return ""
    if len(value) <= keep_head + keep_tail:
        return "*" * len(value)
    return value[:keep_head] + "*" * (len(value) - keep_head - keep_tail) + value[-keep_tail:]


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
