"""Documents: the evidence behind dossiers, stored once, cleaned of metadata, read page by page."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    DELIBERATION = "deliberation", _("council deliberation")
    CONTRACT = "contract", _("contract")
    CALL_FOR_TENDERS = "call_for_tenders", _("call for tenders")
    RECORDS_ANSWER = "records_answer", _("answer to a public-records request")
    COURT_DECISION = "court_decision", _("court decision")
    IMPACT_ASSESSMENT = "impact_assessment", _("impact assessment")
    REPORT = "report", _("report")
    CORRESPONDENCE = "correspondence", _("correspondence")
    OTHER = "other", _("other")


class FileType(models.TextChoices):
    """What the content is, decided from the bytes (cleaning.detect), never from the file name."""

    PDF = "pdf", "PDF"
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"
    WEBP = "webp", "WebP"
    TEXT = "text", _("plain text")

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self]

    @property
    def extension(self) -> str:
        return {"jpeg": "jpg", "text": "txt"}.get(self.value, self.value)


CONTENT_TYPES = {
    FileType.PDF: "application/pdf",
    FileType.JPEG: "image/jpeg",
    FileType.PNG: "image/png",
    FileType.WEBP: "image/webp",
    FileType.TEXT: "text/plain; charset=utf-8",
}


class ExtractionStatus(models.TextChoices):
    PENDING = "pending", _("waiting for text extraction")
    RUNNING = "running", _("text extraction running")
    DONE = "done", _("text extracted")
    NO_TEXT_LAYER = "no_text_layer", _("no text layer")
    # OCR stopped at one of its limits (settings.DOCUMENTS_OCR_MAX_*): some pages were not read.
    PARTIAL = "partial", _("partly read: OCR limit reached")
    FAILED = "failed", _("text extraction failed")


class DocumentQuerySet(models.QuerySet):
    def published(self):
        """Documents a moderator accepted (or an administrator imported): the only public ones."""
        return self.filter(published_at__isnull=False)


def _storage_name(document: "Document", filename: str) -> str:
    # Named after the cleaned content's hash: the upload's own name may identify its sender.
    return f"documents/{document.sha256[:2]}/{document.sha256}.{FileType(document.file_type).extension}"


class Document(models.Model):
    """A cleaned file (deliberation, contract, answer to a public-records request...).

    Stored once per content: two uploads of the same cleaned bytes are one document,
    linked from every dossier that cites it. Not public until ``published_at`` is set,
    which happens when a moderator accepts the upload's proposal.
    """

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True, editable=False)
    file = models.FileField(_("file"), upload_to=_storage_name, max_length=200)
    file_type = models.CharField(_("file type"), max_length=5, choices=FileType)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    page_count = models.PositiveIntegerField(_("pages"), default=1)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"), null=True, blank=True, help_text=_("When the document was issued."))
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind, default=DocumentKind.OTHER)
    issuer = models.ForeignKey(
        "registry.Organisation",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("issuing body"),
    )
    dossiers = models.ManyToManyField(
        "registry.Dossier", related_name="documents", blank=True, verbose_name=_("dossiers")
    )
    is_leak = models.BooleanField(
        _("anonymous leak"),
        default=False,
        help_text=_("Handed in anonymously: nothing about its sender is kept."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    extraction_status = models.CharField(
        _("text extraction"), max_length=15, choices=ExtractionStatus, default=ExtractionStatus.PENDING
    )
    created_at = models.DateTimeField(_("stored"), auto_now_add=True)
    # What feeds and digests said about it: deleted with it, so nothing deleted stays in a feed.
    activities = GenericRelation(
        "activity.Activity", content_type_field="object_type", object_id_field="object_id"
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def content_type(self) -> str:
        return FileType(self.file_type).content_type

    @property
    def download_name(self) -> str:
        return f"document-{self.pk}.{FileType(self.file_type).extension}"

    def publish(self) -> None:
        if self.published_at is None:
            self.published_at = timezone.now()
            self.save(update_fields=["published_at"])


class PageMethod(models.TextChoices):
    TEXT_LAYER = "text", _("text layer")
    OCR = "ocr", _("optical character recognition")
    NONE = "none", _("no text")
    SKIPPED = "skip", _("not read: limit reached")


class Page(models.Model):
    """The text of one page of a document, as extracted or recognised."""

    document = models.ForeignKey(Document, models.CASCADE, related_name="pages", verbose_name=_("document"))
    number = models.PositiveIntegerField(_("page number"))
    text = models.TextField(_("text"), blank=True)
    method = models.CharField(_("read by"), max_length=4, choices=PageMethod, default=PageMethod.NONE)

    class Meta:
        ordering = ["document", "number"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="unique_document_page")]

    def __str__(self) -> str:
        return f"{self.document} p. {self.number}"
