"""WSGI entry point for gunicorn: `gunicorn mofan.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mofan.settings")
application = get_wsgi_application()
