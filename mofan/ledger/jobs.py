"""Periodic work of the ledger: the daily reminders (Celery beat in production)."""

from celery import shared_task
from django.utils import timezone

from mofan.ledger import notices, services


@shared_task(name="mofan.ledger.send_reminders")
def send_reminders() -> dict:
    """First the lights of the items above those whose reporting period ended overnight without
    a report (层层分解 roll-up), then the reminders."""
    today = timezone.localdate()
    rolled = services.refresh_late_rollups(today)
    return {**notices.daily_reminders(today), "rollup_late_changed": rolled}
