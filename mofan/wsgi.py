"""WSGI entry point for gunicorn: `gunicorn mofan.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mofan.settings")
application = get_wsgi_application()

# A key that does not belong to this database stops the worker before it serves a request.
from mofan.core import keys  # noqa: E402

keys.verify_at_start()
