"""Background delivery of notifications (Celery in production, in-process on the embedded default).
Any number of these may run at once (workers, the beat schedule, the reminder commands): each
message is claimed by one of them (services.send_pending_email)."""

from dataclasses import asdict

from celery import shared_task

from mofan.notify import services


@shared_task(name="mofan.notify.deliver")
def deliver() -> dict:
    return {
        "email": asdict(services.send_pending_email()),
        "webhooks": asdict(services.send_pending_webhooks()),
    }


@shared_task(name="mofan.notify.security_check")
def security_check() -> dict:
    from mofan.notify import alarms

    result = alarms.check_audit_trail()
    return {"ok": result.ok, "checked": result.checked}
