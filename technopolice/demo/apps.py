from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo loader: asks every installed app for its demo steps (``<app>/demo.py``)."""

    name = "technopolice.demo"
    label = "demo"
    verbose_name = _("Demo data")
