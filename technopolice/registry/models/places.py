"""French administrative places: regions, departments and communes (the INSEE gazetteer)."""

import math

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A region, identified by its INSEE code (e.g. 84 for Auvergne-Rhône-Alpes)."""

    code = models.CharField(_("INSEE code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:region", args=[self.slug])


class Department(models.Model):
    """A department, identified by its INSEE code (01 to 976, with 2A and 2B for Corsica)."""

    code = models.CharField(_("INSEE code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    region = models.ForeignKey(Region, models.PROTECT, related_name="departments", verbose_name=_("region"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("registry:department", args=[self.slug])


class CommuneKind(models.TextChoices):
    COMMUNE = "COM", _("commune")
    ARRONDISSEMENT = "ARM", _("municipal arrondissement")


class Commune(models.Model):
    """A commune of the INSEE code, or a municipal arrondissement of Paris, Lyon or Marseille.

    Arrondissements are kept because official camera lists locate sites by them; their
    parent commune (Paris, 75056) is a commune in its own right, with summed figures.
    """

    insee = models.CharField(_("INSEE code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=150, help_text=_("With its article: Le Havre."))
    slug = models.SlugField(_("slug"), max_length=170, unique=True)
    kind = models.CharField(_("kind"), max_length=3, choices=CommuneKind, default=CommuneKind.COMMUNE)
    parent = models.ForeignKey(
        "self",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="arrondissements",
        verbose_name=_("parent"),
    )
    department = models.ForeignKey(
        Department, models.PROTECT, related_name="communes", verbose_name=_("department")
    )
    postal_codes = models.CharField(_("postal codes"), max_length=200, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    latitude = models.FloatField(_("latitude of the centre"), null=True, blank=True)
    longitude = models.FloatField(_("longitude of the centre"), null=True, blank=True)
    search_name = models.CharField(_("folded name"), max_length=150, db_index=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        # "Near a commune" (collectives.nearby) asks for a box of centres: a latitude band read
        # from this index, not the 35,000 communes scanned (6 ms of the search's 30 ms).
        indexes = [models.Index(fields=["latitude", "longitude"], name="registry_commune_centre")]

    def __str__(self) -> str:
        return f"{self.name} ({self.department.code})" if self.department_id else self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:commune", args=[self.slug])

    @property
    def radius_km(self) -> float | None:
        """Radius of a disc with the commune's area: how far from its centre a point may lie."""
        if not self.area_km2:
            return None
        return math.sqrt(self.area_km2 / math.pi)
