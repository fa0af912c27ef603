from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from technopolice.documents import actions, cleaning
from technopolice.documents.models import Document
from technopolice.moderation.kinds import get_kind
from technopolice.registry.actions import publish_dossier
from technopolice.registry.tests.factories import OrganisationFactory, dossier_payload
from technopolice.testing.cases import BaseTestCase

from . import builders


class DocumentKindTests(builders.MediaMixin, BaseTestCase):
    def propose(self, data: bytes, **payload):
        values = {
            "title": "Convention",
            "date": "2022-03-04",
            "kind": "contract",
            "issuer": None,
            "dossiers": [],
        }
        values.update(payload)
        return actions.propose([cleaning.clean(data)], values, contributor=self.alice)

    def test_the_document_kind_is_registered_with_a_review_template(self):
        proposal, _token = self.propose(b"texte")
        html = render_to_string(
            get_kind("document").review_template, {"proposal": proposal, "payload": proposal.payload}
        )
        self.assertIn(f"/documents/{proposal.payload['documents'][0]['id']}/", html)

    def test_accepting_applies_the_metadata_and_dossier_links(self):
        dossier = publish_dossier(dossier_payload(), self.bob)
        OrganisationFactory(name="Ville", slug="ville")
        proposal, _token = self.propose(builders.pdf("Convention"), issuer="ville", dossiers=[dossier.slug])
        document = proposal.handler.apply(proposal, self.bob)
        document.refresh_from_db()
        self.assertEqual(
            (document.kind, str(document.date), document.issuer.slug), ("contract", "2022-03-04", "ville")
        )
        self.assertEqual(list(document.dossiers.all()), [dossier])
        self.assertContains(self.client.get(document.get_absolute_url()), dossier.title)

    def test_a_second_proposal_for_a_published_document_only_adds_links(self):
        first, _ = self.propose(b"meme texte", kind="contract")
        first.handler.apply(first, self.bob)
        dossier = publish_dossier(dossier_payload(), self.bob)
        second, _ = self.propose(b"meme texte", kind="report", dossiers=[dossier.slug])
        document = second.handler.apply(second, self.bob)
        self.assertEqual(Document.objects.count(), 1)
        self.assertEqual(document.kind, "contract")
        self.assertEqual(list(document.dossiers.all()), [dossier])

    def test_accepting_refuses_a_vanished_issuer(self):
        proposal, _ = self.propose(b"texte", issuer="disparu")
        with self.assertRaises(ValidationError):
            proposal.handler.apply(proposal, self.bob)
