"""Signed checkpoints of the chain's end, kept outside the database's reach.

Whoever can write the database could delete the newest records and nothing inside the database
would show it. So the chain's position and MAC are appended, signed with the audit key, to a file
(made append-only by the operating system: `chattr +a`, owned by another account) and, when
MOFAN_AUDIT_SYSLOG is set, sent to syslog (a log host the application cannot rewrite). `verify`
compares the chain with every checkpoint.

Two kinds of line: "checkpoint" (the chain reached seq N with MAC M) and "anchor" (a new epoch:
after a restore from backup, or a re-anchoring an operator did with a reason). Checkpoints of an
earlier epoch that lie beyond the anchor's position describe records a restore gave up; they are
reported, not treated as tampering.
"""

import json
import logging
import logging.handlers
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from mofan.audit import chain

log = logging.getLogger(__name__)

_lock = threading.Lock()
_last_written: dict[str, float | int] = {}


@dataclass
class Entry:
    kind: str
    seq: int
    mac: str
    at: str
    line_no: int
    reason: str = ""


@dataclass
class Reading:
    entries: list[Entry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


def _syslog_handler() -> logging.Handler | None:
    address = settings.AUDIT_SYSLOG
    if not address:
        return None
    if address.startswith("/"):
        return logging.handlers.SysLogHandler(address=address)
    host, _, port = address.rpartition(":")
    return logging.handlers.SysLogHandler(address=(host, int(port)))


def write(kind: str, *, seq: int, mac: str, reason: str = "") -> dict:
    """Append one signed line (one write() on an O_APPEND descriptor, so concurrent writers of
    several processes never interleave) and send it to syslog when configured."""
    kid, key = chain.current_key()
    entry = {
        "v": 1,
        "kind": kind,
        "seq": seq,
        "mac": mac,
        "at": timezone.now().isoformat(timespec="seconds"),
        "alg": chain.DEFAULT_ALG,
        "key_id": kid,
    }
    if reason:
        entry["reason"] = reason
    entry["sig"] = chain.signature(key, entry)
    line = json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    handler = _syslog_handler()
    if handler is not None:
        try:
            handler.emit(
                logging.LogRecord(
                    "mofan.audit", logging.INFO, __file__, 0, "mofan-audit %s", (line,), None
                )
            )
        finally:
            handler.close()
    with _lock:
        _last_written.update({"time": time.monotonic(), "seq": seq})
    return entry


def maybe_write(*, seq: int, mac: str, force: bool = False) -> bool:
    """Write a checkpoint if the chain moved and none was written by this process for the
    configured interval (or at once with `force`, as the periodic job does)."""
    with _lock:
        last_time = _last_written.get("time")
        if _last_written.get("seq") == seq:
            return False
        due = (
            force
            or last_time is None
            or time.monotonic() - last_time >= settings.AUDIT_CHECKPOINT_SECONDS
        )
    if not due:
        return False
    try:
        write("checkpoint", seq=seq, mac=mac)
    except OSError:
        # The chain is intact without this line; the next run or the periodic job writes one.
        log.exception("could not write an audit checkpoint to %s", path())
        return False
    return True


def forget_process_state() -> None:
    """For tests: behave as a newly started process."""
    with _lock:
        _last_written.clear()


def read() -> Reading:
    """Every line of the checkpoint file, each signature checked."""
    reading = Reading()
    target = path()
    if not target.exists():
        return reading
    keys = chain.keys()
    with target.open(encoding="utf-8") as lines:
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            try:
                entry = json.loads(raw)
                kid, sig = entry["key_id"], entry["sig"]
                kind, seq, mac, at = entry["kind"], int(entry["seq"]), entry["mac"], entry["at"]
            except (ValueError, KeyError, TypeError):
                reading.problems.append(f"检查点文件第 {number} 行无法解析")
                continue
            key = keys.get(kid)
            if key is None:
                reading.problems.append(f"检查点文件第 {number} 行由未知密钥签名")
                continue
            try:
                valid = chain.signature(key, entry) == sig
            except Exception:  # an unknown algorithm name is a forged line too
                valid = False
            if not valid or kind not in ("checkpoint", "anchor"):
                reading.problems.append(f"检查点文件第 {number} 行签名无效（被篡改）")
                continue
            reading.entries.append(
                Entry(kind, seq, mac, at, number, reason=entry.get("reason", ""))
            )
    return reading
