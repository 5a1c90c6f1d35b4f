"""Periodic upkeep: the daily clean-up (Celery beat in production, `mofan cleanup` by cron on the
embedded default)."""

from celery import shared_task

from mofan.housekeeping import cleanup


@shared_task(name="mofan.housekeeping.cleanup")
def clean_up() -> dict:
    return cleanup.run()
