"""Celery application: a real worker with Redis in production, eager in-process on the embedded default."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mofan.settings")

app = Celery("mofan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="jobs")
