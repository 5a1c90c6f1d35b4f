"""Periodic work of organisational life (Celery beat in production)."""

from celery import shared_task
from django.utils import timezone

from mofan.meetings import notices


@shared_task(name="mofan.meetings.send_reminders")
def send_reminders() -> dict:
    return notices.period_reminders(timezone.localdate())
