"""Periodic work of organisational life (Celery beat in production)."""

import logging

from celery import shared_task
from django.utils import timezone

from mofan.meetings import kept, notices

log = logging.getLogger(__name__)


@shared_task(name="mofan.meetings.send_reminders")
def send_reminders() -> dict:
    return notices.period_reminders(timezone.localdate())


@shared_task(name="mofan.meetings.recount_compliance")
def recount_compliance() -> int:
    """Every minute: the subtrees whose rules or organisations changed, counted again."""
    return kept.recount_due()


@shared_task(name="mofan.meetings.check_compliance")
def check_compliance() -> int:
    """Every night: the kept compliance compared with a count from scratch (any difference
    logged as an error: a change that did not recount), then everything counted again."""
    found = kept.differences()
    for line in found[:50]:
        log.error("组织生活合规统计不一致：%s", line)
    kept.recount_all()
    return len(found)
