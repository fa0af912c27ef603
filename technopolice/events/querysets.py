"""Questions people ask about events, named as such."""

import datetime

from django.db import models
from django.utils import timezone

# An event without an end is taken to last this long: it stays "upcoming" while it runs.
ASSUMED_LENGTH = datetime.timedelta(hours=3)


def _not_over(now) -> models.Q:
    return models.Q(ends_at__gte=now) | models.Q(ends_at__isnull=True, starts_at__gte=now - ASSUMED_LENGTH)


class EventQuerySet(models.QuerySet):
    def visible(self):
        """Events anyone may see: a moderator's, or a listed collective's."""
        return self.filter(models.Q(collective__isnull=True) | models.Q(collective__status="listed"))

    def upcoming(self, now=None):
        """Not over yet: an event that started an hour ago and ends tonight is still upcoming."""
        return self.visible().filter(_not_over(now or timezone.now()))

    def past(self, now=None):
        return self.visible().exclude(_not_over(now or timezone.now()))
