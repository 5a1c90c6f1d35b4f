"""The audit key, registered with the key check (`mofan.core.keys`). Nothing is re-encrypted when
it changes: new records and links use the new key, and MOFAN_AUDIT_PREVIOUS_KEYS keeps every
earlier key so that older links are still checked."""

from django.conf import settings

from mofan.audit import chain
from mofan.audit.models import AuditEvent
from mofan.core import keys

SAMPLE = 5


def audit_key_witness(key: bytes) -> bool | None:
    from mofan.audit.services import seal_valid

    kid = chain.key_id(key)
    recent = list(AuditEvent.objects.filter(key_id=kid).order_by("-pk")[:SAMPLE])
    if recent:
        return all(seal_valid(event, {kid: key}) for event in recent)
    return False if AuditEvent.objects.exists() else None


def register() -> None:
    keys.register(
        keys.KeySpec(
            env="MOFAN_AUDIT_KEY",
            current=lambda: settings.AUDIT_KEY,
            previous=lambda: list(settings.AUDIT_PREVIOUS_KEYS),
            witness=audit_key_witness,
        )
    )
