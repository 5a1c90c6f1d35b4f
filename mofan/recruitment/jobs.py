"""Periodic work of 发展党员 (Celery beat in production; `mofan recruitment-check` on the
embedded default)."""

from celery import shared_task
from django.utils import timezone

from mofan.recruitment import checks


@shared_task(name="mofan.recruitment.check_overdue")
def check_overdue() -> dict:
    return checks.notify_overdue(timezone.localdate())
