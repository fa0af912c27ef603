"""What happened on the platform, once, for the feeds, the digests and the follows page.

Every domain app records what people may want to hear about (a dossier published or changed,
an outcome, a document, an event, a comment, a collective listed) as one ``Activity`` with the
*subjects* it concerns: string keys such as ``commune:42``, ``department:6``, ``technology:3``,
``organisation:9``, ``dossier:17``, ``collective:5`` (see ``subjects.py``). A feed reads the
activities of one subject; a digest reads those of the subjects a person follows, each activity
once however many of their follows cover it. Keys instead of foreign keys keep this app below
the domains, which write to it and which it knows nothing about.

An activity is written in the transaction of the change it reports, and retracted with the
object (a hidden comment, an unpublished document): what is no longer public is no longer in
any feed, digest or page.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Activity(models.Model):
    kind = models.CharField(_("kind"), max_length=30)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True, max_length=2000)
    # A path without the language prefix: feeds and emails put it under the reader's language.
    path = models.CharField(_("path"), max_length=500)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    object_type = models.ForeignKey(ContentType, models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    object = GenericForeignKey("object_type", "object_id")

    class Meta:
        ordering = ["-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"


class ActivitySubject(models.Model):
    """One subject an activity concerns; read by key and id range (feeds, digests)."""

    activity = models.ForeignKey(Activity, models.CASCADE, related_name="subjects")
    key = models.CharField(_("subject"), max_length=40)

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        constraints = [models.UniqueConstraint(fields=["key", "activity"], name="one_subject_per_activity")]

    def __str__(self) -> str:
        return self.key
