"""WSGI entry point for gunicorn: `gunicorn ilacs.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilacs.settings")

application = get_wsgi_application()
