"""Background delivery of notifications (Celery in production, in-process on the embedded default)."""

from celery import shared_task

from mofan.notify import services


@shared_task(name="mofan.notify.deliver")
def deliver() -> dict:
    return {"email": services.send_pending_email(), "webhooks": services.send_pending_webhooks()}
