"""The site-wide search index: one row per searchable thing (a dossier, a source, an organisation, a page)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryType(models.TextChoices):
    DOSSIER = "dossier", _("dossier")
    DOCUMENT = "document", _("document")
    SOURCE = "source", _("source")
    ORGANISATION = "organisation", _("organisation")
    COMMENT = "comment", _("comment")


class SearchEntry(models.Model):
    """What search matches and shows, kept in step with the records by search.indexing.

    ``title_stems`` and ``body_stems`` hold French stems (search.stemming); the database's
    full-text engine indexes them: an FTS5 table on SQLite, a generated tsvector with a GIN
    index on PostgreSQL (both made by this app's migration). The plain ``body`` is kept
    to cut highlighted snippets from. Filter columns are copied here so that a filtered
    search stays one query.
    """

    entry_type = models.CharField(_("type"), max_length=12, choices=EntryType)
    object_id = models.PositiveBigIntegerField(_("record"))
    page = models.PositiveIntegerField(_("page"), default=0, help_text=_("0 when the entry is not a page."))
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    title_stems = models.TextField(_("title stems"), blank=True)
    body_stems = models.TextField(_("text stems"), blank=True)
    ref = models.CharField(
        _("reference"),
        max_length=1000,
        blank=True,
        help_text=_("A slug for dossiers and organisations, a URL for sources."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, blank=True, help_text=_("The document kind, or the dossier's status.")
    )
    date = models.DateField(_("date"), null=True, blank=True)
    places = models.TextField(
        _("places"),
        blank=True,
        help_text=_("Space-separated slugs of communes, departments and regions."),
    )
    technologies = models.TextField(_("technologies"), blank=True, help_text=_("Space-separated slugs."))

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["entry_type", "object_id", "page"], name="unique_search_entry"),
        ]
        indexes = [models.Index(fields=["entry_type", "object_id"])]

    def __str__(self) -> str:
        return self.title
