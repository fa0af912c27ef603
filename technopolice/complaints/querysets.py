"""Questions people ask about signatories, named as such."""

import datetime

from django.db import models
from django.utils import timezone


class SignatoryQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed(self):
        return self.filter(confirmed_at__isnull=True)

    def stale(self, days: int):
        """Unconfirmed sign-ups older than ``days``: the person never clicked, so we forget them."""
        cutoff = timezone.now() - datetime.timedelta(days=days)
        return self.unconfirmed().filter(signed_at__lt=cutoff)

    def mail_due(self, now=None):
        """Signatories owed an email that is due now (new, resent, retried, or whose sender died)."""
        return self.filter(mail_due_at__lte=now or timezone.now())
