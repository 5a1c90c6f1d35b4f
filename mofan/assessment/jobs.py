"""Periodic work of 考核评价 (Celery beat in production; `mofan assessment-compute` on the
embedded default): every round not yet published is scored again from the records each night,
after the compliance recount, so that the figures the assessed and the team read are a day old at
most and say so ("数据截至")."""

from celery import shared_task

from mofan.assessment import services


@shared_task(name="mofan.assessment.compute_open_rounds")
def compute_open_rounds() -> dict:
    return services.compute_open_rounds()
