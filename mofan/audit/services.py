"""Writing and verifying the audit trail. Every service function that changes state calls record()."""

import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from mofan.access.crypto import mask
from mofan.audit import chain, context
from mofan.audit.models import AuditEvent, ChainHead

# Field names whose values never reach the audit trail in clear.
SECRET_KEYS = {"password", "token", "secret", "otp", "key", "totp"}
MASKED_KEYS = {"id_number": (3, 4), "phone": (3, 4)}


def _mask(data: Any, key: str = "") -> Any:
    lowered = key.lower()
    if any(secret in lowered for secret in SECRET_KEYS):
        return "******"
    if isinstance(data, dict):
        return {k: _mask(v, k) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_mask(v, key) for v in data]
    if lowered in MASKED_KEYS and isinstance(data, str):
        return mask(data, *MASKED_KEYS[lowered])
    return data


def jsonable(data: Any) -> Any:
    # Round-trip through JSON so that what is hashed is exactly what the database will give back.
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


def record(
    actor,
    action: str,
    obj=None,
    *,
    changes: dict | None = None,
    payload: dict | None = None,
    actor_name: str | None = None,
) -> AuditEvent:
    """Append one record to the chain, in the caller's transaction."""
    with transaction.atomic():
        # The head row comes with the migrations; it is recreated only after a test-suite flush.
        head, _ = ChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"hash": chain.GENESIS}
        )
        user_id = getattr(actor, "pk", None) if actor is not None else None
        event = AuditEvent(
            seq=head.seq + 1,
            occurred_at=timezone.now(),
            actor_id=user_id,
            actor_name=actor_name
            if actor_name is not None
            else (getattr(actor, "username", "") or "系统"),
            source_address=context.current().source_address,
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
            object_repr=str(obj)[:200] if obj is not None else "",
            changes=jsonable(_mask(changes or {})),
            payload=jsonable(_mask(payload or {})),
            hash_alg=chain.DEFAULT_ALG,
            prev_hash=head.hash,
        )
        event.hash = chain.compute_hash(
            chain.hashed_fields(event), alg=event.hash_alg, prev_hash=head.hash
        )
        event.save()
        ChainHead.objects.filter(pk=1).update(seq=event.seq, hash=event.hash)
    return event


def diff(before: dict, after: dict) -> dict:
    """{field: [before, after]} for the fields whose value changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


@dataclass
class VerifyResult:
    checked: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def verify() -> VerifyResult:
    """Walk the chain in order; report the first record whose hash or link does not hold."""
    prev_hash = chain.GENESIS
    expected_seq = 1
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return VerifyResult(checked, expected_seq, f"第 {expected_seq} 条记录缺失（被删除）")
        if event.prev_hash != prev_hash:
            return VerifyResult(checked, event.seq, f"第 {event.seq} 条记录与前一条的链接断开")
        recomputed = chain.compute_hash(
            chain.hashed_fields(event), alg=event.hash_alg, prev_hash=prev_hash
        )
        if recomputed != event.hash:
            return VerifyResult(checked, event.seq, f"第 {event.seq} 条记录的内容已被改动")
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    head = ChainHead.objects.filter(pk=1).first() or ChainHead(seq=0, hash=chain.GENESIS)
    if head.seq != checked or head.hash != prev_hash:
        return VerifyResult(
            checked, checked + 1, f"链尾记录与链头不符：第 {checked + 1} 条及之后的记录被删除"
        )
    return VerifyResult(checked)
