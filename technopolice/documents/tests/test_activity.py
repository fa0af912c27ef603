"""A document becomes activity when it becomes public: accepted by a moderator or imported."""

from technopolice.activity.models import Activity
from technopolice.documents import actions, cleaning
from technopolice.registry.actions import publish_dossier
from technopolice.registry.models import Commune
from technopolice.registry.tests.factories import OrganisationFactory, dossier_payload
from technopolice.testing.cases import BaseTestCase

from . import builders, test_moderation


def subjects_of(activity: Activity) -> set[str]:
    return set(activity.subjects.values_list("key", flat=True))


class DocumentActivityTests(builders.MediaMixin, BaseTestCase):
    def propose(self, data: bytes, **payload):
        proposal, _token = test_moderation.DocumentKindTests.propose(self, data, **payload)
        return proposal

    def test_an_accepted_document_concerns_its_dossiers_subjects_and_its_issuer(self):
        dossier = publish_dossier(dossier_payload(), self.bob)
        issuer = OrganisationFactory(name="Ville", slug="ville")
        proposal = self.propose(b"texte", issuer="ville", dossiers=[dossier.slug])
        self.assertFalse(Activity.objects.filter(kind="document").exists())  # waiting is not public
        document = proposal.handler.apply(proposal, self.bob)
        activity = Activity.objects.get(kind="document")
        self.assertEqual((activity.object, activity.title), (document, "Convention"))
        self.assertEqual(activity.path, f"/documents/{document.pk}/")
        commune = Commune.objects.get(insee="42218")
        expected = {f"dossier:{dossier.pk}", f"commune:{commune.pk}", f"organisation:{issuer.pk}", "site"}
        self.assertLessEqual(expected, subjects_of(activity))

    def test_a_document_already_public_is_not_announced_again(self):
        first = self.propose(b"meme texte")
        first.handler.apply(first, self.bob)
        second = self.propose(b"meme texte")
        second.handler.apply(second, self.bob)
        self.assertEqual(Activity.objects.filter(kind="document").count(), 1)

    def test_an_imported_document_is_announced_once(self):
        dossier = publish_dossier(dossier_payload(), self.bob)
        cleaned = cleaning.clean(b"rapport")
        document, _created = actions.import_file(cleaned, "Rapport", "report", dossier=dossier)
        actions.import_file(cleaned, "Rapport", "report", dossier=dossier)
        activity = Activity.objects.get(kind="document")
        self.assertEqual(activity.object, document)
        self.assertIn(f"dossier:{dossier.pk}", subjects_of(activity))
