"""Periodic work of 党费 (Celery beat in production; `mofan dues-check` on the embedded default)."""

from celery import shared_task
from django.utils import timezone

from mofan.dues import checks


@shared_task(name="mofan.dues.check_arrears")
def check_arrears() -> dict:
    return checks.notify_lapses(timezone.localdate())
