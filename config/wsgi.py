import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Gunicorn runs no system checks: refuse to serve with a key the stored data was not written with (core.keys).
from core.keys import ensure_keys_match  # noqa: E402

ensure_keys_match()
