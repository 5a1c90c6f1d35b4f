"""Periodic work of 巡视巡察 (Celery beat in production; `mofan inspection-reminders` daily on
the embedded default): the targets' 整改方案 and 整改情况报告 due within three days or late."""

from celery import shared_task

from mofan.inspection import rectify


@shared_task(name="mofan.inspection.send_reminders")
def send_reminders() -> dict:
    return {"notices": rectify.remind()}
