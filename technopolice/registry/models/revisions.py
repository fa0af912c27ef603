"""Revision history: every accepted change to a dossier is a numbered, immutable snapshot."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Revision(models.Model):
    """The full state of a dossier after one accepted change.

    The snapshot uses the same JSON form as a moderation proposal's payload
    (registry.snapshots), so history, diffs and reverts all speak one format.
    """

    dossier = models.ForeignKey("registry.Dossier", models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("number"))
    snapshot = models.JSONField(_("snapshot"))
    created_at = models.DateTimeField(_("date"), auto_now_add=True)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderator"),
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    reverted_to = models.PositiveIntegerField(
        _("reverted to"), null=True, blank=True, help_text=_("The revision this one restored, for a revert.")
    )

    class Meta:
        ordering = ["dossier", "-number"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [models.UniqueConstraint(fields=["dossier", "number"], name="unique_revision_number")]

    def __str__(self) -> str:
        return f"{self.dossier} #{self.number}"
