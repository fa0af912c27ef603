from django.core.exceptions import ValidationError

from technopolice.registry import actions, snapshots
from technopolice.registry.models import Dossier
from technopolice.testing.cases import BaseTestCase

from .factories import dossier_payload


class PublishDossierTests(BaseTestCase):
    def test_it_publishes_a_dossier_as_revision_one(self):
        dossier = actions.publish_dossier(dossier_payload(), self.bob)
        dossier.refresh_from_db()
        self.assertEqual(dossier.vouched_by, self.bob)
        self.assertEqual(dossier.revisions.get().number, 1)
        self.assertEqual(dossier.sources.count(), 1)
        self.assertIn("saint etienne", dossier.search_text)
        self.assertEqual(snapshots.snapshot(dossier), dossier_payload())

    def test_it_refuses_a_dossier_without_source(self):
        with self.assertRaises(ValidationError):
            actions.publish_dossier(dossier_payload(sources=[]), self.bob)
        self.assertFalse(Dossier.objects.exists())

    def test_it_refuses_an_unknown_commune_and_saves_nothing(self):
        with self.assertRaises(ValidationError):
            actions.publish_dossier(dossier_payload(communes=["99999"]), self.bob)
        self.assertFalse(Dossier.objects.exists())

    def test_it_refuses_dates_in_the_wrong_order(self):
        with self.assertRaises(ValidationError):
            actions.publish_dossier(dossier_payload(start_date="2020-01-01", end_date="2019-01-01"), self.bob)
        self.assertFalse(Dossier.objects.exists())

    def test_it_reverts_to_an_earlier_revision_as_a_new_revision(self):
        dossier = actions.publish_dossier(dossier_payload(), self.bob)
        actions.publish_dossier(
            dossier_payload(title="Renamed", sources=[]) | {"sources": dossier_payload()["sources"]},
            self.bob,
            dossier,
        )
        revision = actions.revert_dossier(dossier, 1, self.bob)
        dossier.refresh_from_db()
        self.assertEqual(dossier.title, dossier_payload()["title"])
        self.assertEqual((revision.number, revision.reverted_to), (3, 1))
