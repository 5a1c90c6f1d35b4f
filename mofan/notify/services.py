"""Creating and delivering notifications. Creation is set-based and idempotent (dedupe keys);
delivery by e-mail and webhook happens after commit, in a background job."""

import json
import logging
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from mofan.notify.models import Notification, Webhook, WebhookDelivery

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


def send_pending_email(limit: int = 2000) -> int:
    """E-mail the notices not e-mailed yet to users who gave an address; each notice once."""
    pending = list(
        Notification.objects.filter(
            emailed_at__isnull=True, user__email__gt="", user__is_active=True
        )
        .select_related("user")
        .order_by("id")[:limit]
    )
    if not pending:
        return 0
    messages = [
        (
            f"【模范机关建设平台】{n.title}",
            f"{n.body}\n\n{settings.MOFAN_BASE_URL}{n.url}",
            None,
            [n.user.email],
        )
        for n in pending
    ]
    send_mass_mail(messages, fail_silently=False)
    Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
    return len(pending)


def queue_webhook(unit, dedupe_key: str, text: str) -> int:
    """Queue one message for every active robot whose unit contains `unit`."""
    paths = [unit.path[:end] for end in range(unit.steplen, len(unit.path) + 1, unit.steplen)]
    hooks = Webhook.objects.filter(active=True, unit__path__in=paths)
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


def send_pending_webhooks(limit: int = 500, timeout: float = 5.0) -> int:
    sent = 0
    for delivery in WebhookDelivery.objects.filter(
        sent_at__isnull=True, webhook__active=True
    ).select_related("webhook")[:limit]:
        request = urllib.request.Request(  # noqa: S310 (the URL is an administrator's intranet robot)
            delivery.webhook.url,
            data=payload(delivery.webhook.kind, delivery.text),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                response.read()
            delivery.sent_at = timezone.now()
            delivery.error = ""
            sent += 1
        except OSError as exc:
            delivery.error = str(exc)[:300]
            log.warning("webhook %s failed: %s", delivery.webhook.name, exc)
        delivery.save(update_fields=["sent_at", "error"])
    return sent
