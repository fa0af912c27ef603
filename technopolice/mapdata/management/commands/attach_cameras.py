"""technopolice attach_cameras: apply the commune rule again to every camera."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from ...importers.attach import reattach_cameras


class Command(BaseCommand):
    help = (
        "Attach every camera again to its commune (by contour where one is imported, else by the "
        "nearest centre within the commune's radius). Run it after importing communes when cameras "
        "were imported first; import_boundaries does it by itself."
    )

    def handle(self, **options):
        with transaction.atomic():
            moved = reattach_cameras()
        self.stdout.write(_("%(moved)d cameras moved to another commune (or to none).") % {"moved": moved})
