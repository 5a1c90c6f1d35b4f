"""Periodic work of the ledger: the daily reminders and the board's figures (Celery beat in
production)."""

import logging

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from mofan.ledger import board, notices, services
from mofan.ledger.models import Ledger

log = logging.getLogger(__name__)
REFRESH_LOCK = "ledger-board-refreshing"


@shared_task(name="mofan.ledger.send_reminders")
def send_reminders() -> dict:
    """First the lights of the items above those whose reporting period ended overnight without
    a report (层层分解 roll-up), then the reminders."""
    today = timezone.localdate()
    rolled = services.refresh_late_rollups(today)
    return {**notices.daily_reminders(today), "rollup_late_changed": rolled}


@shared_task(name="mofan.ledger.refresh_board")
def refresh_board() -> int:
    """Every minute: count again the board figures of the ledgers changed since (or all of them,
    the first time on a new day: about a minute at national scale, so a run still going when
    the next is due makes that one skip)."""
    if not cache.add(REFRESH_LOCK, 1, timeout=15 * 60):
        return 0
    try:
        return board.refresh_due(timezone.localdate())
    finally:
        cache.delete(REFRESH_LOCK)


@shared_task(name="mofan.ledger.check_board")
def check_board() -> int:
    """Every night: the kept figures compared with a count from scratch (any difference logged as
    an error: a change that did not write its item's `updated_at`), then all counted again."""
    today = timezone.localdate()
    found = board.differences(today)
    for line in found[:50]:
        log.error("督办看板统计不一致：%s", line)
    board.refresh(Ledger.objects.values_list("pk", flat=True), today)
    return len(found)
