"""Periodic work of the leader's dashboard (Celery beat in production, after the compliance
recount and the assessment computation; `mofan cockpit-snapshot` by hand, and the page itself on
the embedded default): count the day's figures."""

from celery import shared_task

from mofan.dashboard import cockpit


@shared_task(name="mofan.dashboard.take_snapshot")
def take_snapshot() -> int:
    return cockpit.take()
