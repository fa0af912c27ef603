"""Provenance shared by every record the public relies on: who vouched, when checked, disputes."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProvenanceQuerySet(models.QuerySet):
    def ageing(self):
        """Records nobody has re-checked within REGISTRY_AGEING_DAYS: they must not pass for fresh."""
        limit = timezone.localdate() - timedelta(days=settings.REGISTRY_AGEING_DAYS)
        return self.filter(models.Q(last_checked__lt=limit) | models.Q(last_checked__isnull=True))


class Provenance(models.Model):
    vouched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vouched for by"),
        help_text=_("The moderator who accepted the latest version."),
    )
    last_checked = models.DateField(_("last checked"), null=True, blank=True)
    disputed = models.BooleanField(_("disputed"), default=False)
    dispute_reason = models.TextField(_("reason of the dispute"), blank=True, max_length=2000)

    class Meta:
        abstract = True

    @property
    def is_ageing(self) -> bool:
        if self.last_checked is None:
            return True
        return self.last_checked < timezone.localdate() - timedelta(days=settings.REGISTRY_AGEING_DAYS)
