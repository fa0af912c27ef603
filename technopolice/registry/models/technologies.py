"""The taxonomy of surveillance technologies, explained in French and English."""

from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Technology(models.Model):
    """A kind of surveillance technology (CCTV, algorithmic video surveillance, drones...).

    Texts exist in both languages because the taxonomy is edited by administrators,
    not translated through message catalogues.
    """

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    summary_fr = models.TextField(_("what it is (French)"), blank=True)
    summary_en = models.TextField(_("what it is (English)"), blank=True)
    stakes_fr = models.TextField(_("why it matters (French)"), blank=True)
    stakes_en = models.TextField(_("why it matters (English)"), blank=True)
    aliases = models.TextField(
        _("aliases"),
        blank=True,
        help_text=_("Other names, one per line, used to recognise this technology in imported data."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("technology")
        verbose_name_plural = _("technologies")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:technology", args=[self.slug])

    def _localised(self, field: str) -> str:
        english = (get_language() or "fr").startswith("en")
        value = getattr(self, f"{field}_en" if english else f"{field}_fr")
        return value or getattr(self, f"{field}_fr")

    @property
    def name(self) -> str:
        return self._localised("name")

    @property
    def summary(self) -> str:
        return self._localised("summary")

    @property
    def stakes(self) -> str:
        return self._localised("stakes")
