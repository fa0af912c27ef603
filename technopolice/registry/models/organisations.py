"""Organisations (vendors, public buyers, lobbies) and who buys from, joins or owns whom."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .provenance import Provenance, ProvenanceQuerySet


class OrganisationKind(models.TextChoices):
    VENDOR = "vendor", _("vendor")
    PUBLIC_BODY = "public_body", _("public body")
    LOBBY = "lobby", _("lobby or trade association")
    SHAREHOLDER = "shareholder", _("shareholder")
    OTHER = "other", _("other")


class Organisation(Provenance):
    """A company, public body or association that takes part in deploying surveillance."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=OrganisationKind, default=OrganisationKind.OTHER
    )
    commune = models.ForeignKey(
        "registry.Commune",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("commune"),
        help_text=_("For a town council: the commune it runs."),
    )
    technologies = models.ManyToManyField(
        "registry.Technology",
        blank=True,
        related_name="organisations",
        verbose_name=_("technologies"),
        help_text=_("What it sells, makes or uses."),
    )
    description = models.TextField(_("description"), blank=True, max_length=20000)
    website = models.URLField(_("website"), blank=True)
    dataset = models.CharField(
        _("dataset"), max_length=100, blank=True, help_text=_("The imported dataset this record comes from.")
    )
    search_text = models.TextField(_("folded text"), blank=True, editable=False)

    objects = ProvenanceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:organisation", args=[self.slug])


class Relation(models.TextChoices):
    """How the subject of a link relates to its object, always read subject → object."""

    CLIENT_OF = "client_of", _("is a client of")
    MEMBER_OF = "member_of", _("is a member of")
    LOBBIES = "lobbies", _("lobbies")
    WORKS_WITH = "works_with", _("works with")
    SUPPLIED_BY = "supplied_by", _("is supplied by")
    SHAREHOLDER_OF = "shareholder_of", _("is a shareholder of")
    MANUFACTURER_OF = "manufacturer_of", _("manufactures for")
    INTEGRATOR_OF = "integrator_of", _("integrates for")
    SUBCONTRACTOR_OF = "subcontractor_of", _("is a subcontractor of")
    USED_BY = "used_by", _("is used by")
    BIDDER_FOR = "bidder_for", _("bid for")


class OrganisationLink(models.Model):
    """One sourced fact of the influence graph: subject —relation→ object."""

    subject = models.ForeignKey(
        Organisation, models.CASCADE, related_name="links_out", verbose_name=_("subject")
    )
    relation = models.CharField(_("relation"), max_length=30, choices=Relation)
    object = models.ForeignKey(
        Organisation, models.CASCADE, related_name="links_in", verbose_name=_("object")
    )
    source_url = models.CharField(
        _("source"),
        max_length=1000,
        blank=True,
        help_text=_("A URL, or the name of a document when the dataset gives only that."),
    )
    other_sources = models.TextField(
        _("other sources"),
        blank=True,
        default="",
        max_length=5000,
        help_text=_("Further sources of the same fact, one per line: URLs or document names."),
    )
    dataset = models.CharField(_("dataset"), max_length=100, blank=True)

    class Meta:
        ordering = ["subject__name", "relation", "object__name"]
        verbose_name = _("organisation link")
        verbose_name_plural = _("organisation links")
        constraints = [
            models.UniqueConstraint(fields=["subject", "relation", "object"], name="unique_organisation_link")
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.get_relation_display()} {self.object}"

    @property
    def source_is_url(self) -> bool:
        return self.source_url.startswith(("http://", "https://"))

    @property
    def other_source_list(self) -> list[str]:
        return [line for line in self.other_sources.splitlines() if line.strip()]
