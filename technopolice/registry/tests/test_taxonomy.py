from collections import Counter

from django.test import TestCase

from technopolice.lib.text import fold
from technopolice.registry.models import Technology

REQUIRED = [
    "cctv",
    "algorithmic-video-surveillance",
    "facial-recognition",
    "licence-plate-readers",
    "drones",
    "audio-sensors",
    "predictive-policing",
    "police-files",
    "urban-supervision-centres",
]


class TaxonomyTests(TestCase):
    """The data migration gives every database the taxonomy, test databases included."""

    def test_every_database_has_the_taxonomy(self):
        slugs = set(Technology.objects.values_list("slug", flat=True))
        self.assertTrue(set(REQUIRED) <= slugs, set(REQUIRED) - slugs)

    def test_every_technology_is_explained_in_both_languages(self):
        for tech in Technology.objects.all():
            for field in ("name", "summary", "stakes"):
                self.assertTrue(
                    getattr(tech, f"{field}_fr") and getattr(tech, f"{field}_en"), (tech.slug, field)
                )

    def test_an_alias_names_one_technology_only(self):
        names = Counter()
        for tech in Technology.objects.all():
            names.update(
                {fold(a) for a in [tech.name_fr, tech.name_en, *tech.aliases.splitlines()] if fold(a)}
            )
        self.assertEqual([n for n, count in names.items() if count > 1], [])

    def test_positions_order_the_list(self):
        self.assertEqual(Technology.objects.first().slug, "cctv")
