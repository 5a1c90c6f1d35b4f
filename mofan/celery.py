"""Celery application: a real worker with Redis in production, eager in-process on the embedded default."""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mofan.settings")

app = Celery("mofan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="jobs")


@worker_init.connect
def _keys_belong_to_this_database(**kwargs):
    # A worker with a wrong key would decrypt nothing and encrypt under the wrong key.
    from mofan.core import keys

    keys.verify_at_start()
