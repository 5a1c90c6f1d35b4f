"""Writing, chaining and verifying the audit trail. Every service function that changes state
calls record(); nothing else writes the audit tables."""

import json
import logging
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from mofan.audit import chain, checkpoints, context
from mofan.audit.models import AuditEvent, AuditLink, PendingLink
from mofan.core.masking import mask

log = logging.getLogger(__name__)

# Field names whose values never reach the audit trail in clear.
SECRET_KEYS = {"password", "token", "secret", "otp", "key", "totp"}
MASKED_KEYS = {"id_number": (3, 4), "phone": (3, 4)}
# Any number; only linkers of one database take it (pg_try_advisory_xact_lock).
_LINK_LOCK = 7_411_020_001
LINK_BATCH = 500


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
    # Round-trip through JSON so that what is sealed is exactly what the database will give back.
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
    """Append one sealed record in the caller's transaction. No lock is shared with other
    writers: the record is chained right after the transaction commits."""
    event = _event(actor, action, obj, changes=changes, payload=payload, actor_name=actor_name)
    with transaction.atomic(savepoint=False):
        event.save()
        PendingLink.objects.create(event=event)
    _schedule_linking()
    return event


def record_reads(actor, action: str, objs) -> int:
    """One sealed record per object read (a page of a list of the most sensitive records), in
    two inserts and one chaining run instead of a record's statements once per row."""
    events = [_event(actor, action, obj) for obj in objs]
    if not events:
        return 0
    with transaction.atomic():
        AuditEvent.objects.bulk_create(events)
        PendingLink.objects.bulk_create(PendingLink(event=event) for event in events)
        _schedule_linking()
    return len(events)


def _event(actor, action, obj=None, *, changes=None, payload=None, actor_name=None) -> AuditEvent:
    kid, key = chain.current_key()
    user_id = getattr(actor, "pk", None) if actor is not None else None
    event = AuditEvent(
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
        nonce=secrets.token_hex(16),
        alg=chain.DEFAULT_ALG,
        key_id=kid,
    )
    event.seal = chain.seal(
        key, alg=event.alg, nonce=event.nonce, fields=chain.record_fields(event)
    )
    return event


def _schedule_linking() -> None:
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        _link_after_commit()
        return
    # One linking run per transaction, however many records it wrote.
    if any(func is _link_after_commit for _, func, _ in conn.run_on_commit):
        return
    transaction.on_commit(_link_after_commit, robust=True)


def _link_after_commit() -> None:
    """Chain right after the commit: in the Celery worker in production (the request does not
    wait for it), in-process on the embedded default or when the broker cannot be reached."""
    try:
        if settings.AUDIT_LINK_IN_WORKER:
            from mofan.audit import jobs

            try:
                jobs.link.delay()
                return
            except Exception:  # the broker is down: chain here instead
                log.warning("could not queue audit chaining; chaining in-process", exc_info=True)
        link_pending()
    except Exception:  # the records are safe; the next run or the periodic job chains them
        log.exception("could not chain audit records")


def _take_link_lock() -> bool:
    if connection.vendor != "postgresql":
        return True  # SQLite: transactions are IMMEDIATE, writers already run one at a time
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_LINK_LOCK])
        return bool(cursor.fetchone()[0])


def seal_valid(event: AuditEvent, keys: dict[str, bytes]) -> bool:
    key = keys.get(event.key_id)
    if key is None:
        return False
    try:
        expected = chain.seal(
            key, alg=event.alg, nonce=event.nonce, fields=chain.record_fields(event)
        )
    except Exception:  # an unknown algorithm name: not a record this system wrote
        return False
    return secrets.compare_digest(expected, event.seal)


def chain_end() -> tuple[int, str]:
    last = AuditLink.objects.order_by("-seq").values_list("seq", "mac").first()
    return last or (0, chain.GENESIS)


def _link_batch(batch: int) -> tuple[int, tuple[int, str]] | None:
    """Chain up to `batch` pending records; None when another process is chaining."""
    with transaction.atomic():
        if not _take_link_lock():
            return None
        # The pending ids first, from their own small table: joining from the events' side would
        # walk the whole trail in id order to find the few new ones.
        pending = list(
            PendingLink.objects.order_by("event_id").values_list("event_id", flat=True)[:batch]
        )
        if not pending:
            return 0, (0, chain.GENESIS)
        events = list(AuditEvent.objects.filter(pk__in=pending).order_by("pk"))
        seq, prev = chain_end()
        kid, key = chain.current_key()
        keys = chain.keys()
        links = []
        for event in events:
            if not seal_valid(event, keys):
                # Written around the application: left out of the chain, named by verify.
                log.error("audit record %s has no valid seal and is not chained", event.pk)
                continue
            seq += 1
            prev = chain.link_mac(
                key,
                alg=chain.DEFAULT_ALG,
                seq=seq,
                prev_mac=prev,
                event_id=event.pk,
                seal=event.seal,
            )
            links.append(
                AuditLink(seq=seq, event_id=event.pk, alg=chain.DEFAULT_ALG, key_id=kid, mac=prev)
            )
        AuditLink.objects.bulk_create(links)
        PendingLink.objects.filter(event_id__in=pending).delete()
        return len(pending), (seq, prev)


def link_pending(*, batch: int = LINK_BATCH) -> int:
    """Chain every committed record that is not chained yet. A process that finds another one
    chaining leaves its records to it: the chaining process looks again after it let go of the
    lock, so a record committed meanwhile is not left behind."""
    total = 0
    while True:
        result = _link_batch(batch)
        if result is None:
            return total
        count, (seq, mac) = result
        total += count
        if not count:
            return total
        checkpoints.maybe_write(seq=seq, mac=mac)
        if count < batch and not PendingLink.objects.exists():
            return total


def diff(before: dict, after: dict) -> dict:
    """{field: [before, after]} for the fields whose value changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


@dataclass
class VerifyResult:
    checked: int
    broken_seq: int | None = None
    reason: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.broken_seq is None and not self.reason


def _checkpoints_to_match(entries: list[checkpoints.Entry]) -> tuple[list, int]:
    """The checkpoints the chain must agree with: all but those of an earlier epoch that lie
    beyond the anchor that ended it (records a restore from backup gave up)."""
    must, given_up = [], 0
    next_anchor_seq = None
    for entry in reversed(entries):
        if next_anchor_seq is not None and entry.seq > next_anchor_seq:
            given_up += 1
        else:
            must.append(entry)
        if entry.kind == "anchor":
            next_anchor_seq = (
                entry.seq if next_anchor_seq is None else min(entry.seq, next_anchor_seq)
            )
    must.reverse()
    return must, given_up


def verify(*, write_checkpoint: bool = True) -> VerifyResult:
    """Walk the chain in order, check every record's seal and every link, that no record is
    outside the chain, and that the chain agrees with every signed checkpoint kept outside the
    database. Names the first place where it does not hold."""
    link_pending()
    reading = checkpoints.read()
    if reading.problems:
        return VerifyResult(0, 0, "；".join(reading.problems[:3]))
    must, given_up = _checkpoints_to_match(reading.entries)
    expected_mac = {e.seq: e for e in must}
    keys = chain.keys()
    prev = chain.GENESIS
    seq = 0
    macs_seen: dict[int, str] = {0: chain.GENESIS}
    links = AuditLink.objects.select_related("event").order_by("seq")
    for link in links.iterator(chunk_size=2000):
        seq += 1
        if link.seq != seq:
            return VerifyResult(seq - 1, seq, f"第 {seq} 条记录缺失（被删除）")
        event = link.event
        if not seal_valid(event, keys):
            return VerifyResult(seq - 1, seq, f"第 {seq} 条记录（编号 {event.pk}）的内容已被改动")
        key = keys.get(link.key_id)
        recomputed = (
            chain.link_mac(
                key, alg=link.alg, seq=seq, prev_mac=prev, event_id=event.pk, seal=event.seal
            )
            if key is not None
            else ""
        )
        if not secrets.compare_digest(recomputed, link.mac):
            return VerifyResult(
                seq - 1, seq, f"第 {seq} 条记录与前一条的链接断开（记录被删除、插入或调换）"
            )
        prev = link.mac
        if seq in expected_mac:
            macs_seen[seq] = prev
    checked = seq

    stray = (
        AuditEvent.objects.filter(link__isnull=True)
        .exclude(pk__in=PendingLink.objects.values("event_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if stray is not None:
        return VerifyResult(
            checked, checked + 1, f"编号 {stray} 的记录不在链中，且无有效认证码（绕过本系统写入）"
        )

    for entry in must:
        if entry.seq > checked:
            return VerifyResult(
                checked,
                checked + 1,
                f"链尾记录被删除：检查点（{entry.at}）记载已有 {entry.seq} 条，"
                f"数据库中只有 {checked} 条",
            )
        if not secrets.compare_digest(macs_seen.get(entry.seq, ""), entry.mac):
            return VerifyResult(
                checked,
                entry.seq,
                f"第 {entry.seq} 条记录与检查点（{entry.at}）不符：链已被重写",
            )
    result = VerifyResult(checked)
    if must:
        last = must[-1]
        result.notes.append(f"最近的检查点：{last.at}，第 {last.seq} 条")
    elif checked:
        # Records chained where no checkpoint file was kept (the upgrade to the keyed chain, a
        # database restored on another host): the chain is checked; from here it is anchored.
        result.notes.append(
            f"检查点文件（{checkpoints.path()}）中尚无记载：已在第 {checked} 条处写入首个锚点"
        )
        if write_checkpoint:
            checkpoints.write("anchor", seq=checked, mac=prev, reason="首个检查点")
        return result
    if given_up:
        result.notes.append(f"{given_up} 个检查点记载的记录已因从备份恢复而不在库中（见锚定记录）")
    if write_checkpoint and checked and must[-1].seq < checked:
        checkpoints.write("checkpoint", seq=checked, mac=prev)
    return result


def anchor(*, reason: str, actor_name: str = "运维") -> int:
    """Start a new epoch of checkpoints at the chain's current end: after a restore from backup
    (the restored chain is shorter than the last checkpoint) or when the checkpoint file is lost.
    Written to the checkpoint file and the audit trail both."""
    if not reason.strip():
        raise ValueError("须说明重新锚定的原因。")
    link_pending()
    seq, mac = chain_end()
    checkpoints.write("anchor", seq=seq, mac=mac, reason=reason.strip())
    record(
        None,
        "audit.chain.anchored",
        payload={"seq": seq, "reason": reason.strip()},
        actor_name=actor_name,
    )
    return seq
