from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MapdataConfig(AppConfig):
    name = "technopolice.mapdata"
    label = "mapdata"
    verbose_name = _("Camera map")
