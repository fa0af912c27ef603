import os

from django.core.wsgi import get_wsgi_application

from technopolice.lib.runtime import settle_after_startup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "technopolice.settings")
application = get_wsgi_application()
settle_after_startup()
