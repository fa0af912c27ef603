"""Dossiers: documented deployments of surveillance, each claim backed by sources."""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from technopolice.lib.text import fold

from .provenance import Provenance, ProvenanceQuerySet


class DossierStatus(models.TextChoices):
    ANNOUNCED = "announced", _("announced")
    EXPERIMENTATION = "experimentation", _("in experimentation")
    DEPLOYED = "deployed", _("deployed")
    SUSPENDED = "suspended", _("suspended")
    ABANDONED = "abandoned", _("abandoned")
    STRUCK_DOWN = "struck_down", _("struck down by a court")
    UNKNOWN = "unknown", _("unknown")


class Dossier(Provenance):
    """One deployment of surveillance somewhere: who runs it, who sold it, what it costs.

    A dossier exists in the registry only once a moderator accepted it; what visitors
    propose waits in the moderation queue as a payload (see moderation.Proposal), and
    every accepted change is kept as a Revision.
    """

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DossierStatus, default=DossierStatus.UNKNOWN
    )
    description = models.TextField(_("description"), blank=True, max_length=50000, help_text=_("Markdown."))
    technologies = models.ManyToManyField(
        "registry.Technology", related_name="dossiers", blank=True, verbose_name=_("technologies")
    )
    communes = models.ManyToManyField(
        "registry.Commune", related_name="dossiers", blank=True, verbose_name=_("communes")
    )
    departments = models.ManyToManyField(
        "registry.Department", related_name="dossiers", blank=True, verbose_name=_("departments")
    )
    regions = models.ManyToManyField(
        "registry.Region", related_name="dossiers", blank=True, verbose_name=_("regions")
    )
    is_national = models.BooleanField(
        _("national"), default=False, help_text=_("Covers the whole country, like the TAJ and TES files.")
    )
    operator = models.ForeignKey(
        "registry.Organisation",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="operated_dossiers",
        verbose_name=_("operator"),
        help_text=_("The public body that runs it."),
    )
    vendors = models.ManyToManyField(
        "registry.Organisation", related_name="supplied_dossiers", blank=True, verbose_name=_("vendors")
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    budget_eur = models.DecimalField(
        _("budget (euros)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    funding = models.CharField(
        _("funding source"), max_length=300, blank=True, help_text=_("For example the state fund FIPD.")
    )
    camera_count = models.PositiveIntegerField(_("number of cameras"), null=True, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True, max_length=5000)
    is_example = models.BooleanField(
        _("example"), default=False, help_text=_("Demo data: not a real documented deployment.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_text = models.TextField(_("folded text"), blank=True, editable=False)
    # The proposals that edit it or published it; they go when the dossier goes.
    proposals = GenericRelation(
        "moderation.Proposal", content_type_field="target_type", object_id_field="target_id"
    )
    # What feeds and digests said about it: deleted with it, so a deleted dossier is in no feed.
    activities = GenericRelation(
        "activity.Activity", content_type_field="object_type", object_id_field="object_id"
    )

    objects = ProvenanceQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        # The default order (newest change first: the admin, feeds) reads this index backwards.
        # National dossiers are few and listed on every place page.
        indexes = [
            models.Index(fields=["updated_at"], name="dossier_updated_at"),
            models.Index(
                fields=["start_date"], condition=models.Q(is_national=True), name="dossier_national"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget_eur__gte=0) | models.Q(budget_eur__isnull=True),
                name="dossier_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="dossier_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("registry:dossier", args=[self.slug])

    @classmethod
    def link_table(cls, field: str):
        """The table of one of its many-to-many relations (``"communes"``, ``"technologies"``...)."""
        return cls._meta.get_field(field).remote_field.through

    def reindex(self) -> None:
        """Store the folded text that search matches against (accents and case ignored)."""
        parts = [self.title, self.description, self.funding, self.legal_basis]
        parts += [c.name for c in self.communes.all()]
        parts += [d.name for d in self.departments.all()] + [r.name for r in self.regions.all()]
        parts += [o.name for o in self.vendors.all()] + ([self.operator.name] if self.operator else [])
        parts += [t.name_fr + " " + t.name_en for t in self.technologies.all()]
        self.search_text = fold(" ".join(parts))
        Dossier.objects.filter(pk=self.pk).update(search_text=self.search_text)

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date comes before the start date.")})


class SourceKind(models.TextChoices):
    PRESS = "press", _("press article")
    OFFICIAL_ACT = "official_act", _("official act")
    DELIBERATION = "deliberation", _("council deliberation")
    RECORDS_ANSWER = "records_answer", _("answer to a public-records request")
    COURT_DECISION = "court_decision", _("court decision")
    OPERATOR = "operator", _("the operator's own communication")
    OTHER = "other", _("other")


class Source(models.Model):
    """Where a claim of a dossier comes from. No dossier is published without one."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="sources", verbose_name=_("dossier"))
    url = models.URLField(_("URL"), max_length=1000)
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind, default=SourceKind.PRESS)

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.title


class EventKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", _("announcement")
    DELIBERATION = "deliberation", _("council deliberation")
    CONTRACT = "contract", _("contract signed")
    DEPLOYMENT = "deployment", _("deployment")
    EXPERIMENT_STARTED = "experiment_started", _("experiment started")
    COURT_DECISION = "court_decision", _("court decision")
    CNIL_OPINION = "cnil_opinion", _("CNIL opinion")
    CONTRACT_CANCELLED = "contract_cancelled", _("contract cancelled")
    EXPERIMENT_ENDED = "experiment_ended", _("experiment ended")
    OTHER = "other", _("other")


# Outcomes are the events that settle something: the campaign's victories and defeats.
OUTCOME_KINDS = [
    EventKind.COURT_DECISION,
    EventKind.CNIL_OPINION,
    EventKind.CONTRACT_CANCELLED,
    EventKind.EXPERIMENT_ENDED,
]


class OutcomeVerdict(models.TextChoices):
    VICTORY = "victory", _("victory")
    DEFEAT = "defeat", _("defeat")
    MIXED = "mixed", _("mixed")


class EventQuerySet(models.QuerySet):
    def outcomes(self):
        return self.filter(kind__in=OUTCOME_KINDS)


class Event(models.Model):
    """A dated step in a dossier's timeline; court decisions and cancellations are outcomes."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="events", verbose_name=_("dossier"))
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind, default=EventKind.OTHER)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    verdict = models.CharField(
        _("for the campaign"),
        max_length=10,
        choices=OutcomeVerdict,
        blank=True,
        help_text=_("For outcomes: a victory or a defeat for civil liberties."),
    )
    source_url = models.URLField(_("source URL"), max_length=1000, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.date}: {self.title}"

    @property
    def is_outcome(self) -> bool:
        return self.kind in OUTCOME_KINDS
