from django.core.cache import cache
from django.urls import reverse

from technopolice.collectives.tests.factories import CollectiveFactory
from technopolice.discussion import actions
from technopolice.registry.tests.factories import CommuneFactory, DossierFactory, TechnologyFactory
from technopolice.testing.cases import BaseTestCase

POST_URL = reverse("discussion:post")


class DiscussionTestCase(BaseTestCase):
    """A dossier in Saint-Étienne and a collective there, and a form to post under them."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.commune = CommuneFactory()
        cls.technology = TechnologyFactory()
        cls.dossier = DossierFactory(communes=[cls.commune], technologies=[cls.technology])
        cls.collective = CollectiveFactory(communes=[cls.commune])

    def setUp(self) -> None:
        super().setUp()
        cache.clear()  # the posting limits count in the cache

    def form(self, target, body: str, parent=None) -> dict:
        from django.contrib.contenttypes.models import ContentType

        data = {
            "target_type": ContentType.objects.get_for_model(target).pk,
            "target_id": target.pk,
            "body": body,
        }
        if parent is not None:
            data["parent"] = parent.pk
        return data

    def say(self, body: str, user=None, target=None, parent=None):
        return actions.post(user or self.alice, target or self.dossier, body, parent)


def said(message: str, language: str = "fr") -> str:
    """``message`` as the site says it in ``language`` (up to its first placeholder): what a test
    looks for, whether or not the translation is written yet."""
    from django.utils import translation

    with translation.override(language):
        return translation.gettext(message).split("%(")[0]
