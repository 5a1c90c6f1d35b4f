"""Creating and delivering notifications. Creation is set-based and idempotent (dedupe keys);
delivery by e-mail and webhook happens after commit, in a background job, each message claimed
by one worker and sent once (see "claiming deliveries" below)."""

import json
import logging
import os
import socket
import time
import urllib.request
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from mofan.audit import services as audit
from mofan.core.errors import InvalidInput
from mofan.notify.models import (
    DeliveryState,
    Notification,
    Webhook,
    WebhookDelivery,
    WebhookKind,
)

log = logging.getLogger(__name__)
BATCH = 5000


@dataclass(frozen=True)
class Notice:
    user_id: int
    kind: str
    title: str
    body: str
    url: str
    dedupe_key: str


def create(notices: Iterable[Notice]) -> int:
    """Store notices, skipping any whose dedupe key exists; returns how many were new."""
    created = 0
    batch: list[Notification] = []

    def flush() -> int:
        if not batch:
            return 0
        keys = [n.dedupe_key for n in batch]
        before = set(
            Notification.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
        )
        Notification.objects.bulk_create(batch, ignore_conflicts=True)
        count = len(set(keys) - before)
        batch.clear()
        return count

    for notice in notices:
        batch.append(
            Notification(
                user_id=notice.user_id,
                kind=notice.kind,
                title=notice.title[:200],
                body=notice.body,
                url=notice.url,
                dedupe_key=notice.dedupe_key[:200],
            )
        )
        if len(batch) >= BATCH:
            created += flush()
    created += flush()
    if created:
        transaction.on_commit(_queue_delivery)
    return created


def _queue_delivery() -> None:
    from mofan.notify import jobs

    try:
        jobs.deliver.delay()
    except Exception:  # broker down: the periodic delivery job (every 5 minutes) picks them up
        log.exception("could not queue notification delivery")


# -- claiming deliveries ---------------------------------------------------------------------
# A worker takes a batch in one short transaction (SELECT … FOR UPDATE SKIP LOCKED, then UPDATE
# to SENDING with its name and the time), sends outside any transaction, and records each
# outcome by itself. On PostgreSQL two workers never take the same row; on SQLite writers are
# serialised (BEGIN IMMEDIATE), which gives the same guarantee. A claim older than LEASE was left
# by a worker that died and is taken over; each claim counts as an attempt. A worker that has been
# sending one batch for SEND_BUDGET gives back what it has not tried, so a live worker's claim is
# never taken over.

LEASE = timedelta(minutes=10)
# A worker stops sending its batch after this (a slow or hanging server) and gives the rest back,
# long before another could take its claim over and send the same messages.
SEND_BUDGET = LEASE / 2
MAX_ATTEMPTS = 5
RETRY_AFTER = timedelta(minutes=5)  # doubled after each failure: 5, 10, 20, 40 minutes
CLAIM_BATCH = 100


@dataclass(frozen=True)
class _Queue:
    model: type[Notification] | type[WebhookDelivery]
    prefix: str  # of the delivery fields: "email_" on Notification, none on WebhookDelivery
    sent_at: str

    def f(self, name: str) -> str:
        return self.prefix + name


EMAIL = _Queue(Notification, "email_", "emailed_at")
WEBHOOK = _Queue(WebhookDelivery, "", "sent_at")


@dataclass
class Delivered:
    """What one run did: sent, failed and to be retried later, failed for good."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed

    def count(self, gave_up: bool) -> None:
        if gave_up:
            self.failed += 1
        else:
            self.retrying += 1

    def log(self, channel: str) -> None:
        if self.failed:
            log.error(
                "%s delivery: %d sent, %d to retry, %d failed for good (error kept on each)",
                channel,
                self.sent,
                self.retrying,
                self.failed,
            )
        elif self.retrying:
            log.warning("%s delivery: %d sent, %d to retry", channel, self.sent, self.retrying)
        elif self.sent:
            log.info("%s delivery: %d sent", channel, self.sent)


def _worker_name() -> str:
    # Unique per run, so a worker records outcomes only of the rows it claimed itself.
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _claim(queue: _Queue, waiting: QuerySet, *, size: int, worker: str) -> list[int]:
    f = queue.f
    now = timezone.now()
    due = Q(**{f("state"): DeliveryState.PENDING}) & (
        Q(**{f("retry_at") + "__isnull": True}) | Q(**{f("retry_at") + "__lte": now})
    )
    abandoned = Q(**{f("state"): DeliveryState.SENDING, f("claimed_at") + "__lt": now - LEASE})
    with transaction.atomic():
        ids = list(
            waiting.filter(
                due | abandoned,
                **{
                    f("state") + "__in": [DeliveryState.PENDING, DeliveryState.SENDING],
                    f("attempts") + "__lt": MAX_ATTEMPTS,
                },
            )
            .order_by("pk")
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)[:size]
        )
        if ids:
            queue.model.objects.filter(pk__in=ids).update(
                **{
                    f("state"): DeliveryState.SENDING,
                    f("claimed_at"): now,
                    f("claimed_by"): worker,
                    f("attempts"): F(f("attempts")) + 1,
                }
            )
    return ids


def _sent(queue: _Queue, pk: int, worker: str) -> None:
    f = queue.f
    queue.model.objects.filter(pk=pk, **{f("claimed_by"): worker}).update(
        **{f("state"): DeliveryState.SENT, queue.sent_at: timezone.now(), f("error"): ""}
    )


def _failed(queue: _Queue, pk: int, worker: str, attempts: int, error: Exception) -> bool:
    """Record a failed attempt; True when it was the last one."""
    f = queue.f
    message = f"{type(error).__name__}: {error}"[:300]
    gave_up = attempts >= MAX_ATTEMPTS
    changes = {f("state"): DeliveryState.FAILED if gave_up else DeliveryState.PENDING}
    changes[f("error")] = message
    if not gave_up:
        changes[f("retry_at")] = timezone.now() + RETRY_AFTER * 2 ** (attempts - 1)
    queue.model.objects.filter(pk=pk, **{f("claimed_by"): worker}).update(**changes)
    log.warning(
        "delivery %s %s failed (attempt %d of %d): %s",
        queue.model.__name__,
        pk,
        attempts,
        MAX_ATTEMPTS,
        message,
    )
    return gave_up


def _release(queue: _Queue, pks: list[int], worker: str) -> None:
    """Give back claimed rows this worker did not try, as they were before the claim."""
    f = queue.f
    queue.model.objects.filter(
        pk__in=pks, **{f("claimed_by"): worker, f("state"): DeliveryState.SENDING}
    ).update(**{f("state"): DeliveryState.PENDING, f("attempts"): F(f("attempts")) - 1})


def _give_up_abandoned(queue: _Queue) -> int:
    """Claims left by a dead worker on their last attempt: failed for good, not retried."""
    f = queue.f
    return queue.model.objects.filter(
        **{
            f("state"): DeliveryState.SENDING,
            f("claimed_at") + "__lt": timezone.now() - LEASE,
            f("attempts") + "__gte": MAX_ATTEMPTS,
        }
    ).update(**{f("state"): DeliveryState.FAILED, f("error"): "发送进程中断，且已达最多尝试次数。"})


def send_pending_email(limit: int = 2000) -> Delivered:
    """E-mail the notices not e-mailed yet to users who gave an address, each notice once however
    many workers and commands run this at the same time (see the claim above)."""
    done = Delivered()
    _skip_unaddressed()
    done.failed += _give_up_abandoned(EMAIL)
    worker = _worker_name()
    waiting = Notification.objects.filter(user__email__gt="", user__is_active=True)
    while done.handled < limit:
        ids = _claim(EMAIL, waiting, size=min(CLAIM_BATCH, limit - done.handled), worker=worker)
        if not ids:
            break
        batch = list(Notification.objects.filter(pk__in=ids).select_related("user").order_by("pk"))
        connection = get_connection()
        try:
            connection.open()
        except Exception as exc:  # the mail server is down: the whole batch waits for its retry
            for notice in batch:
                done.count(_failed(EMAIL, notice.pk, worker, notice.email_attempts, exc))
            break
        began, ran_long = time.monotonic(), False
        try:
            for n, notice in enumerate(batch):
                if ran_long := n > 0 and time.monotonic() - began > SEND_BUDGET.total_seconds():
                    _release(EMAIL, [later.pk for later in batch[n:]], worker)
                    break
                try:
                    _email(notice, connection).send()
                except Exception as exc:
                    done.count(_failed(EMAIL, notice.pk, worker, notice.email_attempts, exc))
                else:
                    _sent(EMAIL, notice.pk, worker)
                    done.sent += 1
        finally:
            connection.close()
        if ran_long:
            break
    done.log("e-mail")
    return done


def _skip_unaddressed(batch: int = 5000) -> None:
    """Nothing goes to a user without an address or an account: those notices leave the queue for
    good. Rows another run is skipping right now are left to it (no two runs wait on each other)."""
    unaddressed = Notification.objects.filter(email_state=DeliveryState.PENDING).filter(
        Q(user__email="") | Q(user__is_active=False)
    )
    while True:
        with transaction.atomic():
            ids = list(
                unaddressed.select_for_update(skip_locked=True, of=("self",)).values_list(
                    "pk", flat=True
                )[:batch]
            )
            Notification.objects.filter(pk__in=ids).update(email_state=DeliveryState.SKIPPED)
        if len(ids) < batch:
            return


def _email(notice: Notification, connection) -> EmailMessage:
    # One Message-ID per notice: should a message ever go twice (a worker killed between the
    # server's acceptance and our record of it), mail clients show it once.
    host = urlsplit(settings.MOFAN_BASE_URL).hostname or "localhost"
    return EmailMessage(
        subject=f"【模范机关建设平台】{notice.title}",
        body=f"{notice.body}\n\n{settings.MOFAN_BASE_URL}{notice.url}",
        to=[notice.user.email],
        headers={"Message-ID": f"<notice-{notice.pk}@{host}>"},
        connection=connection,
    )


# -- group robots (the system administrator's settings) --------------------------------------

WEBHOOK_FIELDS = ("name", "kind", "url", "unit", "active")


def _check_webhook(name: str, kind: str, url: str) -> None:
    if not name.strip():
        raise InvalidInput("请填写名称。")
    if kind not in WebhookKind.values:
        raise InvalidInput("群机器人类型无效。")
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise InvalidInput("机器人地址须为 http:// 或 https:// 开头的完整地址。")


def _shown(hook: Webhook) -> dict:
    """What the audit trail keeps of a robot: its address without the query, which holds the
    robot's key."""
    parts = urlsplit(hook.url)
    return {
        "name": hook.name,
        "kind": hook.kind,
        "url": f"{parts.scheme}://{parts.netloc}{parts.path}" + ("?…" if parts.query else ""),
        "unit": hook.unit.code,
        "active": hook.active,
    }


@transaction.atomic
def create_webhook(*, actor, name: str, kind: str, url: str, unit) -> Webhook:
    _check_webhook(name, kind, url)
    hook = Webhook.objects.create(name=name.strip(), kind=kind, url=url, unit=unit)
    audit.record(actor, "notify.webhook.created", hook, payload=_shown(hook))
    return hook


@transaction.atomic
def update_webhook(hook: Webhook, *, actor, **fields) -> Webhook:
    """Change a robot's name, type, address, unit or whether it is on."""
    if unknown := set(fields) - set(WEBHOOK_FIELDS):
        raise InvalidInput(f"不能修改：{'、'.join(sorted(unknown))}。")
    locked = Webhook.objects.select_for_update().select_related("unit").get(pk=hook.pk)
    before = _shown(locked)
    for name, value in fields.items():
        setattr(locked, name, value.strip() if name == "name" else value)
    _check_webhook(locked.name, locked.kind, locked.url)
    locked.save()
    changes = audit.diff(before, _shown(locked))
    if changes:
        audit.record(actor, "notify.webhook.updated", locked, changes=changes)
    return locked


@transaction.atomic
def delete_webhook(hook: Webhook, *, actor) -> None:
    """Remove a robot, and with it the messages still queued for it."""
    shown = _shown(hook)
    audit.record(actor, "notify.webhook.deleted", hook, payload=shown)
    hook.delete()


def queue_webhook(unit, dedupe_key: str, text: str) -> int:
    """Queue one message for every active robot whose unit contains `unit`."""
    hooks = Webhook.objects.filter(active=True, unit__in=type(unit).objects.ancestors_of(unit))
    WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(webhook=h, dedupe_key=dedupe_key[:200], text=text) for h in hooks],
        ignore_conflicts=True,
    )
    return len(hooks)


def payload(kind: str, text: str) -> bytes:
    # WeCom and DingTalk group robots both take this plain-text message shape.
    return json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False).encode(
        "utf-8"
    )


def send_pending_webhooks(limit: int = 500, timeout: float = 5.0) -> Delivered:
    """Post the queued robot messages, each once (claimed like e-mail), retrying failures."""
    done = Delivered()
    done.failed += _give_up_abandoned(WEBHOOK)
    worker = _worker_name()
    waiting = WebhookDelivery.objects.filter(webhook__active=True)
    while done.handled < limit:
        ids = _claim(WEBHOOK, waiting, size=min(CLAIM_BATCH, limit - done.handled), worker=worker)
        if not ids:
            break
        batch = list(WebhookDelivery.objects.filter(pk__in=ids).select_related("webhook"))
        began, ran_long = time.monotonic(), False
        for n, delivery in enumerate(batch):
            if ran_long := n > 0 and time.monotonic() - began > SEND_BUDGET.total_seconds():
                _release(WEBHOOK, [later.pk for later in batch[n:]], worker)
                break
            try:
                _post(delivery, timeout)
            except Exception as exc:
                done.count(_failed(WEBHOOK, delivery.pk, worker, delivery.attempts, exc))
                log.warning("webhook %s failed: %s", delivery.webhook.name, exc)
            else:
                _sent(WEBHOOK, delivery.pk, worker)
                done.sent += 1
        if ran_long:
            break
    done.log("webhook")
    return done


def _post(delivery: WebhookDelivery, timeout: float) -> None:
    request = urllib.request.Request(  # noqa: S310 (the URL is an administrator's intranet robot)
        delivery.webhook.url,
        data=payload(delivery.webhook.kind, delivery.text),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  # nosec B310
        body = response.read()
    # Both robots answer 200 with {"errcode": 0} when they took the message, another code if not.
    try:
        answer = json.loads(body or b"{}")
    except ValueError:
        return
    if isinstance(answer, dict) and answer.get("errcode", 0) != 0:
        raise RuntimeError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")


def failures() -> dict:
    """How many messages failed for good, per channel, for the administrator's page."""
    return {
        "email": Notification.objects.filter(email_state=DeliveryState.FAILED).count(),
        "webhooks": WebhookDelivery.objects.filter(state=DeliveryState.FAILED).count(),
    }


def mark_read(notices, *, actor) -> int:
    """Mark the given notices of the actor read (opening one, or "all read")."""
    return notices.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())
