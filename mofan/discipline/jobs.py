"""Periodic work of 监督执纪 (Celery beat in production; `mofan discipline-reminders` daily on the
embedded default): the steps of leads due or late, the follow-up visits due, and the cadres who
have not sent their personal-matters report as its day nears or passes."""

from celery import shared_task

from mofan.discipline import reports, services


@shared_task(name="mofan.discipline.send_reminders")
def send_reminders() -> dict:
    return {"leads": services.remind(), "reports": reports.remind()}
