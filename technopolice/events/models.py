"""Events: public meetings, debates, protests, and the council sessions where a project is voted.

Times are stored in UTC and shown in Europe/Paris (settings.TIME_ZONE), the time zone every
event of a French campaign happens in; the iCalendar feeds carry it as TZID so that calendars
abroad show the right hour. An event belongs to a collective (its organisers publish it) or to
no one (a moderator published it); it may be about a dossier (the council session that votes
a contract).
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .querysets import EventQuerySet


class EventKind(models.TextChoices):
    MEETING = "meeting", _("public meeting")
    DEBATE = "debate", _("debate")
    PROTEST = "protest", _("protest")
    COUNCIL = "council", _("council session")
    WORKSHOP = "workshop", _("workshop")
    OTHER = "other", _("other")


class Event(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=EventKind, default=EventKind.MEETING)
    description = models.TextField(_("description"), max_length=20000, blank=True, help_text=_("Markdown."))
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    commune = models.ForeignKey(
        "registry.Commune",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("commune"),
    )
    # Copied from the commune, or chosen for an online event: the department's feed reads one column.
    department = models.ForeignKey(
        "registry.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("department"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    online_url = models.URLField(_("online at"), blank=True)
    collective = models.ForeignKey(
        "collectives.Collective",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("collective"),
    )
    dossier = models.ForeignKey(
        "registry.Dossier", models.SET_NULL, null=True, blank=True, related_name="events_planned",
        verbose_name=_("dossier"),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    is_example = models.BooleanField(_("example"), default=False, help_text=_("Demo data, not a real event."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # What feeds and digests said about it: deleted with it, so nothing deleted stays in a feed.
    activities = GenericRelation(
        "activity.Activity", content_type_field="object_type", object_id_field="object_id"
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["department", "starts_at"]),
            models.Index(fields=["commune", "starts_at"]),
            models.Index(fields=["collective", "starts_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.commune_id and not self.department_id:
            self.department_id = self.commune.department_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.uid])
