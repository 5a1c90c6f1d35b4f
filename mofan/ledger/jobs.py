"""Periodic work of the ledger: the daily reminders (Celery beat in production)."""

from celery import shared_task
from django.utils import timezone

from mofan.ledger import notices


@shared_task(name="mofan.ledger.send_reminders")
def send_reminders() -> dict:
    return notices.daily_reminders(timezone.localdate())
