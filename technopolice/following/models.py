"""Who follows what, and how often they hear about it.

A ``Follow`` names its subject by key (``commune:42``, see ``activity/subjects.py``), like the
activities it matches, so one query reads what a person's follows cover. A person's
``DigestSubscription`` holds their digest's rhythm and its watermark: the highest activity id a
digest already covered. A digest reads the activities above it, up to the highest id when the
run began, and moves it there in the same transaction: a run that dies resumes where it stopped.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Follow(models.Model):
    """A person follows a subject: its activities go into their digest and follows page."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="follows")
    key = models.CharField(_("subject"), max_length=40, db_index=True)
    created_at = models.DateTimeField(_("followed since"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="follow_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.key}"


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    OFF = "off", _("No email")


class DigestSubscription(models.Model):
    """How often a person receives the digest of what they follow, and what it already covered."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="digest")
    frequency = models.CharField(
        _("digest"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY, db_index=True
    )
    # The language the person used when they last chose: the digest is written in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    last_activity_id = models.PositiveBigIntegerField(
        _("last activity covered"),
        default=0,
        help_text=_("The highest activity id a digest already covered."),
    )
    last_sent_at = models.DateTimeField(_("last digest"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.frequency}"
