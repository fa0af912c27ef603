from django.utils import translation

from technopolice.testing.cases import BaseTestCase

from .factories import EventFactory, OrganisationLinkFactory, SourceFactory
from .world import build_world

PAGES = [
    "/",
    "/dossiers/",
    "/dossiers/?region=auvergne-rhone-alpes&national=1&sort=place&q=drones",
    "/dossiers/micros/",
    "/dossiers/taj/",
    "/communes/saint-etienne-42218/",
    "/communes/paris/",
    "/communes/paris-12/",
    "/departements/loire/",
    "/regions/auvergne-rhone-alpes/",
    "/technologies/",
    "/technologies/drones/",
    "/organisations/",
    "/organisations/ville-de-nice/",
    "/decisions/",
    "/a-reverifier/",
    "/a-reverifier/?record=organisations",
    "/dossiers/?year=abc",
]


class EveryPageInBothLanguagesTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_world(cls)
        SourceFactory(dossier=cls.micros)
        EventFactory(dossier=cls.micros)
        OrganisationLinkFactory(subject=cls.town_of_nice, object=cls.serenicity)

    def test_every_page_renders_in_french_and_in_english(self):
        for path in PAGES:
            for prefix, language in (("", "fr"), ("/en", "en")):
                with self.subTest(path=path, language=language):
                    response = self.client.get(prefix + path)
                    self.assertIn(response.status_code, (200, 400))
                    self.assertContains(
                        response, f'<html lang="{language}">', status_code=response.status_code
                    )
        translation.activate("fr")
