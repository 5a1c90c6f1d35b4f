"""模范机关建设平台."""

# The Celery app is loaded with Django so that tasks queued anywhere use its settings
# (a real broker in production, eager in-process on the embedded default).
from mofan.celery import app as celery_app

__all__ = ["celery_app"]
