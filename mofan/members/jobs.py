"""Periodic work of 组织关系 (Celery beat in production; `mofan members-check` on the embedded
default)."""

from celery import shared_task
from django.utils import timezone

from mofan.members import checks


@shared_task(name="mofan.members.check_due")
def check_due() -> dict:
    return checks.notify_due(timezone.localdate())
