"""WSGI entry point (serve.py hands it to waitress)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flightsite.settings")

application = get_wsgi_application()
