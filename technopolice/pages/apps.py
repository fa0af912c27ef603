from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "technopolice.pages"
    label = "pages"
    verbose_name = _("Pages")

    def ready(self):
        from technopolice.lib import checks  # noqa: F401  (registers the deploy checks: Redis, proxy)
