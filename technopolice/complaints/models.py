"""Collective complaints: a campaign gathers mandates (GDPR art. 80) from signatories.

Who signed is sealed to the campaign's public key (lib.sealing): names, postal address and the
email given for the filing open only with the private key the organiser keeps offline. The
server keeps a copy of the email (and the first name, for the greeting) sealed with its own
keys (lib.crypto) only while it must write to the signatory. The database also holds a keyed
hash of the email for duplicates, hashes of one-time links, and what must stay readable for
counting: the grievances chosen, the mandate version and the department.
"""

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from technopolice.lib import crypto

from .querysets import SignatoryQuerySet


class MailKind(models.TextChoices):
    CONFIRM = "confirm", _("confirmation link")
    ALREADY = "already", _("already signed")
    CHANGE = "change", _("confirmation of a change")


class CampaignStatus(models.TextChoices):
    """What staff decide; the state people see also follows the dates (Campaign.state)."""

    DRAFT = "draft", _("draft")
    # A campaign is "publiée", a document "publié": the context keeps the two apart in French.
    PUBLISHED = "published", pgettext_lazy("campaign status", "published")
    FILED = "filed", _("filed")


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SCHEDULED = "scheduled", _("scheduled")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")
    FILED = "filed", _("filed")


class LocationRequired(models.TextChoices):
    NONE = "none", _("nothing")
    COMMUNE = "commune", _("the commune")
    ADDRESS = "address", _("the postal address")


class Campaign(models.Model):
    """A collective complaint that people join by giving the filing organisation a mandate."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.CharField(_("summary"), max_length=400, blank=True, help_text=_("One or two sentences."))
    argument = models.TextField(
        _("argument"), max_length=100000, help_text=_("The legal reasoning, in Markdown.")
    )
    authority = models.CharField(
        _("authority"), max_length=200, default="CNIL", help_text=_("Where the complaint is filed.")
    )
    filing_organisation = models.CharField(
        _("filing organisation"), max_length=200, help_text=_("The association the signatories mandate.")
    )
    target = models.PositiveIntegerField(
        _("target"), null=True, blank=True, help_text=_("How many signatories the campaign aims for.")
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    location_required = models.CharField(
        _("location asked"),
        max_length=10,
        choices=LocationRequired,
        default=LocationRequired.NONE,
        help_text=_("Ask only what the authority needs."),
    )
    retention_days = models.PositiveIntegerField(
        _("retention (days)"),
        default=365,
        help_text=_("Personal data is deleted this many days after the campaign closes."),
    )
    withdrawals = models.PositiveIntegerField(
        _("withdrawals"), default=0, editable=False, help_text=_("An anonymous count, nothing more.")
    )
    purged = models.PositiveIntegerField(
        _("purged signatories"),
        default=0,
        editable=False,
        help_text=_("Confirmed signatories whose data was deleted after the retention period."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CampaignStatus,
        default=CampaignStatus.DRAFT,
        help_text=_("A draft is seen by staff only; once published it opens and closes at its dates."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    filed_at = models.DateField(_("filed on"), null=True, blank=True)
    filing_reference = models.CharField(
        _("filing reference"), max_length=200, blank=True, help_text=_("The authority's reference, if any.")
    )
    public_key = models.CharField(
        _("public key"),
        max_length=44,
        blank=True,
        help_text=_(
            "Signatories' identities are sealed to this key; its private half stays on the "
            "organiser's machine (technopolice complaint_keys)."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        permissions = [("export_signatories", _("Can export the signatories of a campaign for filing"))]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("complaints:campaign", args=[self.slug])

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("A campaign must close after it opens.")})

    def is_open(self, now=None) -> bool:
        return self.state_at(now) == CampaignState.OPEN

    def state_at(self, now=None) -> str:
        """Draft and filed are staff's decisions; in between, the dates decide, so a scheduled
        campaign opens (and closes) by itself."""
        if self.status == CampaignStatus.DRAFT:
            return CampaignState.DRAFT
        if self.status == CampaignStatus.FILED:
            return CampaignState.FILED
        now = now or timezone.now()
        if now < self.opens_at:
            return CampaignState.SCHEDULED
        return CampaignState.OPEN if now < self.closes_at else CampaignState.CLOSED

    @property
    def state(self) -> str:
        return self.state_at()

    @property
    def is_public(self) -> bool:
        return self.status != CampaignStatus.DRAFT

    def has_started(self, now=None) -> bool:
        return self.opens_at <= (now or timezone.now())

    @property
    def retention_ends(self):
        return self.closes_at + datetime.timedelta(days=self.retention_days)

    def current_mandate(self) -> "MandateVersion | None":
        return self.mandates.order_by("-number").first()

    def cache_key(self) -> str:
        return f"complaints:counters:{self.pk}"


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class MandateVersion(models.Model):
    """One wording of the mandate. Never edited: a change makes a new version, and each
    signatory keeps a reference to the version (and its hash) they accepted."""

    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="mandates", verbose_name=_("campaign")
    )
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"), max_length=50000, help_text=_("In Markdown."))
    content_hash = models.CharField(_("SHA-256 of the text"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["campaign", "number"]
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="one_number_per_version")]
        verbose_name = _("mandate version")
        verbose_name_plural = _("mandate versions")

    def __str__(self) -> str:
        return _("version %(number)s") % {"number": self.number}

    def save(self, *args, **kwargs) -> None:
        if self.pk:
            raise ValidationError(_("A mandate version is never edited: create a new version."))
        self.content_hash = content_hash(self.text)
        super().save(*args, **kwargs)


class Grievance(models.Model):
    """One complaint inside a campaign, joinable on its own (e.g. facial recognition by the police)."""

    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="grievances", verbose_name=_("campaign")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, max_length=20000, help_text=_("In Markdown.")
    )
    dossiers = models.ManyToManyField(
        "registry.Dossier",
        blank=True,
        related_name="grievances",
        verbose_name=_("supporting dossiers"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["campaign", "position", "pk"]
        verbose_name = _("grievance")
        verbose_name_plural = _("grievances")

    def __str__(self) -> str:
        return self.title


class Signatory(models.Model):
    """A person who gave (or is confirming) their mandate. Personal fields are sealed."""

    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="signatories", verbose_name=_("campaign")
    )
    mandate = models.ForeignKey(
        MandateVersion, models.PROTECT, related_name="signatories", verbose_name=_("mandate accepted")
    )
    mandate_hash = models.CharField(_("SHA-256 of the mandate accepted"), max_length=64)
    grievances = models.ManyToManyField(Grievance, related_name="signatories", verbose_name=_("grievances"))
    # Sealed to the campaign's public key (lib.sealing): the server cannot open these.
    first_name_sealed = models.TextField(_("first name (sealed to the campaign key)"))
    last_name_sealed = models.TextField(_("last name (sealed to the campaign key)"))
    address_sealed = models.TextField(_("address or commune (sealed to the campaign key)"), blank=True)
    email_filing_sealed = models.TextField(_("email for the filing (sealed to the campaign key)"), blank=True)
    # Sealed with the server's keys (lib.crypto), kept only while the platform must write to the
    # signatory: an email owed, or the campaign's news they asked for. Empty otherwise.
    email_sealed = models.TextField(_("email to write to (sealed, kept while needed)"), blank=True)
    mail_name_sealed = models.TextField(
        _("first name for the greeting (sealed, kept while needed)"), blank=True
    )
    wants_news = models.BooleanField(_("wants the campaign's news"), default=False)
    email_index = models.CharField(_("keyed hash of the email"), max_length=64)
    department = models.ForeignKey(
        "registry.Department",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
        help_text=_("Kept readable for the per-department counter only."),
    )
    language = models.CharField(_("language"), max_length=10, default="fr")
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # NULL, not "": many rows have no pending link and the column is unique.
    confirm_token_hash = models.CharField(_("confirmation link hash"), max_length=64, null=True, unique=True)  # noqa: DJ001
    confirm_expires_at = models.DateTimeField(_("confirmation link expires at"), null=True)
    # The spent link's hash, so a second click says "already confirmed" rather than "invalid".
    used_confirm_token_hash = models.CharField(  # noqa: DJ001
        _("used confirmation link hash"), max_length=64, null=True, blank=True, db_index=True
    )
    links_secret = models.CharField(
        _("links secret"),
        max_length=64,
        help_text=_("Random; the withdrawal link is an HMAC of it, only the link's hash is stored."),
    )
    withdraw_token_hash = models.CharField(_("withdrawal link hash"), max_length=64, unique=True)
    # The outbox: the email this signatory is owed, written in the same transaction as the
    # sign-up (or the resend), cleared once the mail server accepted it. One task sweeps many.
    mail_kind = models.CharField(_("email owed"), max_length=10, choices=MailKind, blank=True)
    mail_due_at = models.DateTimeField(
        _("email due at"),
        null=True,
        blank=True,
        help_text=_("When the owed email is next tried; empty once sent (or given up)."),
    )
    mail_attempts = models.PositiveSmallIntegerField(_("failed email attempts"), default=0)

    objects = SignatoryQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "email_index"], name="one_signature_per_email"),
        ]
        # Only rows that still owe an email are indexed: the sweep's look-up stays small.
        indexes = [
            models.Index(
                fields=["mail_due_at"],
                name="signatory_mail_due",
                condition=models.Q(mail_due_at__isnull=False),
            )
        ]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")

    def __str__(self) -> str:
        return _("signatory #%(pk)s") % {"pk": self.pk}

    @property
    def email(self) -> str:
        """The address to write to, while the platform keeps it ("" once it no longer must)."""
        return crypto.unseal(self.email_sealed)

    @property
    def mail_name(self) -> str:
        return crypto.unseal(self.mail_name_sealed)


class SignatoryChange(models.Model):
    """A correction a signatory asked for on their own page, applied once they confirm it by
    email. Sealed like the signatory: the server cannot read the new name or address either."""

    signatory = models.OneToOneField(
        Signatory, models.CASCADE, related_name="pending_change", verbose_name=_("signatory")
    )
    mandate = models.ForeignKey(
        MandateVersion, models.PROTECT, related_name="+", verbose_name=_("mandate accepted")
    )
    grievances = models.ManyToManyField(Grievance, related_name="+", verbose_name=_("grievances"))
    first_name_sealed = models.TextField(_("first name (sealed to the campaign key)"), blank=True)
    last_name_sealed = models.TextField(_("last name (sealed to the campaign key)"), blank=True)
    address_sealed = models.TextField(_("address or commune (sealed to the campaign key)"), blank=True)
    department = models.ForeignKey(
        "registry.Department",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    token_hash = models.CharField(_("confirmation link hash"), max_length=64, null=True, unique=True)  # noqa: DJ001
    expires_at = models.DateTimeField(_("confirmation link expires at"), null=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signatory's change")
        verbose_name_plural = _("signatories' changes")

    def __str__(self) -> str:
        return _("change of signatory #%(pk)s") % {"pk": self.signatory_id}


class BlockedAddress(models.Model):
    """An address whose owner said "not me": it cannot be signed up to this campaign again.
    Only the keyed hash is kept, never the address."""

    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="blocked_addresses", verbose_name=_("campaign")
    )
    email_index = models.CharField(_("keyed hash of the email"), max_length=64)
    created_at = models.DateTimeField(_("blocked at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "email_index"], name="one_block_per_address"),
        ]
        verbose_name = _("blocked address")
        verbose_name_plural = _("blocked addresses")

    def __str__(self) -> str:
        return _("blocked address #%(pk)s") % {"pk": self.pk}


class ExportLog(models.Model):
    """Who exported which signatories, when: written once, never changed nor deleted by staff."""

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="exports", verbose_name=_("campaign"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("exported by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    grievance = models.CharField(_("grievance filter"), max_length=200, blank=True)
    file_format = models.CharField(_("format"), max_length=10)
    rows = models.PositiveIntegerField(_("signatories exported"))

    class Meta:
        ordering = ["-at"]
        default_permissions = ("view",)
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.campaign}"

    def save(self, *args, **kwargs) -> None:
        if self.pk:
            raise ValidationError(_("The export log cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The export log cannot be deleted."))


class CampaignNews(models.Model):
    """News the organisers send to the signatories who asked for it (and show on the campaign's
    page). Sending walks the signatories in key order and records how far it got, so a worker
    that dies resumes where it stopped: at most one chunk is sent twice, nobody is skipped."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="news", verbose_name=_("campaign"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=20000, help_text=_("Plain text, sent as written."))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    send_requested_at = models.DateTimeField(_("sending asked at"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    sent_count = models.PositiveIntegerField(_("emails sent"), default=0, editable=False)
    # The last signatory written to: sending resumes after it.
    cursor = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("campaign news")
        verbose_name_plural = _("campaign news")

    def __str__(self) -> str:
        return self.title
