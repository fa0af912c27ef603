"""Cameras on the map, and the datasets they come from (OpenStreetMap, official lists, contributions)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import mercator


class DatasetKind(models.TextChoices):
    OSM = "osm", _("OpenStreetMap")
    OFFICIAL = "official", _("official list")
    CONTRIBUTION = "contribution", _("contribution")


class CameraDataset(models.Model):
    """Where cameras come from: an OSM import, an official list, or the platform's contributors.

    Each keeps its licence and attribution, shown wherever its cameras are shown or exported.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=DatasetKind)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    licence = models.CharField(_("licence"), max_length=100, blank=True)
    attribution = models.CharField(_("attribution"), max_length=300, blank=True)
    url = models.URLField(_("address"), blank=True)
    imported_at = models.DateTimeField(_("last import"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("camera dataset")
        verbose_name_plural = _("camera datasets")

    def __str__(self) -> str:
        return self.name


class CameraQuerySet(models.QuerySet):
    def visible(self):
        """Cameras still present in their dataset: vanished ones are kept for history only."""
        return self.filter(removed_at__isnull=True)


class Camera(models.Model):
    """One surveillance device or site, with the tags of the OSM surveillance scheme.

    ``external_id`` is unique within its dataset ("node/123" for OSM, the row's key for an
    official list). ``x`` and ``y`` are Web-Mercator pixels at zoom 22 (see ``mercator``),
    kept in step with the position by ``save()``, for clustering.
    """

    dataset = models.ForeignKey(
        CameraDataset, models.PROTECT, related_name="cameras", verbose_name=_("dataset")
    )
    external_id = models.CharField(_("identifier in its dataset"), max_length=100)
    osm_type = models.CharField(_("OSM type"), max_length=8, blank=True)
    osm_id = models.BigIntegerField(_("OSM id"), null=True, blank=True)
    osm_version = models.PositiveIntegerField(_("OSM version"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    x = models.IntegerField(editable=False)
    y = models.IntegerField(editable=False)
    surveillance = models.CharField(
        _("surveillance"), max_length=50, blank=True, help_text=_("public, outdoor, indoor")
    )
    surveillance_type = models.CharField(_("surveillance type"), max_length=50, blank=True)
    camera_type = models.CharField(_("camera type"), max_length=50, blank=True)
    directions = models.JSONField(_("directions (degrees)"), default=list, blank=True)
    direction_raw = models.CharField(_("direction as tagged"), max_length=100, blank=True)
    camera_mount = models.CharField(_("mount"), max_length=50, blank=True)
    zone = models.CharField(_("zone"), max_length=50, blank=True)
    operator = models.CharField(_("operator"), max_length=200, blank=True)
    start_date = models.CharField(_("start date"), max_length=50, blank=True)
    check_date = models.CharField(_("check date"), max_length=50, blank=True)
    height = models.CharField(_("height"), max_length=50, blank=True)
    camera_angle = models.CharField(_("angle"), max_length=50, blank=True)
    tags = models.JSONField(_("all tags"), default=dict, blank=True)
    commune = models.ForeignKey(
        "registry.Commune",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="cameras",
        verbose_name=_("commune"),
    )
    first_seen = models.DateTimeField(_("first imported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    removed_at = models.DateTimeField(_("removed from its dataset"), null=True, blank=True)

    objects = CameraQuerySet.as_manager()

    class Meta:
        verbose_name = _("camera")
        verbose_name_plural = _("cameras")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "external_id"], name="camera_unique_in_dataset")
        ]
        indexes = [models.Index(fields=["x", "y"], name="camera_pixels")]

    def __str__(self) -> str:
        return f"{self.dataset.slug}:{self.external_id}"

    def save(self, *args, **kwargs):
        self.x, self.y = mercator.to_pixels(self.latitude, self.longitude)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "x", "y"}
        super().save(*args, **kwargs)


class Boundary(models.Model):
    """The contour of a commune, imported from OpenStreetMap or a GeoJSON file.

    Cameras are attached to the commune whose contour contains them; the bounding box
    lets an import load only the contours near its cameras.
    """

    commune = models.OneToOneField(
        "registry.Commune", models.CASCADE, related_name="boundary", verbose_name=_("commune")
    )
    geometry = models.JSONField(_("contour"), help_text=_("A GeoJSON Polygon or MultiPolygon, in WGS 84."))
    min_longitude = models.FloatField(_("west edge"))
    min_latitude = models.FloatField(_("south edge"))
    max_longitude = models.FloatField(_("east edge"))
    max_latitude = models.FloatField(_("north edge"))
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("The file it was imported from.")
    )
    imported_at = models.DateTimeField(_("imported"), auto_now=True)

    class Meta:
        verbose_name = _("commune boundary")
        verbose_name_plural = _("commune boundaries")
        indexes = [models.Index(fields=["min_longitude", "max_longitude"], name="boundary_bbox")]

    def __str__(self) -> str:
        return str(self.commune)
