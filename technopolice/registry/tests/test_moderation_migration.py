"""Moderation's move from a dossier foreign key to a generic target keeps every proposal's link.

Run on a database holding proposals of every kind (new and edited dossiers, pending and
decided, cameras, documents), forward then backward, on the test run's own engine.
"""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

from technopolice.moderation.models import Proposal

from .factories import DossierFactory

BEFORE = [("moderation", "0001_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return [("moderation", MigrationExecutor(connection).loader.graph.leaf_nodes("moderation")[0][1])]


class ProposalTargetMigrationTests(TransactionTestCase):
    def setUp(self) -> None:
        self.edited, self.published = DossierFactory(title="Edited"), DossierFactory(title="Published")
        old = migrate(BEFORE).get_model("moderation", "Proposal")
        rows = {
            "new dossier": dict(kind="dossier", payload={"title": "New"}),
            "edit": dict(kind="dossier", payload={"title": "Edit"}, dossier_id=self.edited.pk),
            "accepted new": dict(
                kind="dossier", payload={"title": "Published"}, dossier_id=self.published.pk, state="accepted"
            ),
            "rejected edit": dict(
                kind="dossier", payload={"title": "No"}, dossier_id=self.edited.pk, state="rejected"
            ),
            "camera": dict(kind="camera", payload={"latitude": 43.7, "longitude": 7.4}),
            "document": dict(kind="document", payload={"title": "Rapport", "documents": []}),
        }
        self.ids = {
            name: old.objects.create(token_hash=f"{index:064d}", **row).pk
            for index, (name, row) in enumerate(rows.items())
        }
        self.addCleanup(migrate, latest())

    def test_forward_each_dossier_becomes_the_target_and_nothing_else_changes(self):
        migrate(latest())
        proposals = {name: Proposal.objects.get(pk=pk) for name, pk in self.ids.items()}
        targets = {name: proposal.target for name, proposal in proposals.items()}
        self.assertEqual(
            targets,
            {
                "new dossier": None,
                "edit": self.edited,
                "accepted new": self.published,
                "rejected edit": self.edited,
                "camera": None,
                "document": None,
            },
        )
        self.assertEqual(proposals["camera"].payload, {"latitude": 43.7, "longitude": 7.4})
        self.assertEqual([p.kind for p in proposals.values()], ["dossier"] * 4 + ["camera", "document"])
        self.assertEqual(
            list(self.edited.proposals.order_by("pk")), [proposals["edit"], proposals["rejected edit"]]
        )

    def test_backward_every_dossier_link_comes_back(self):
        migrate(latest())
        old = migrate(BEFORE).get_model("moderation", "Proposal")
        links = {name: old.objects.get(pk=pk).dossier_id for name, pk in self.ids.items()}
        self.assertEqual(
            links,
            {
                "new dossier": None,
                "edit": self.edited.pk,
                "accepted new": self.published.pk,
                "rejected edit": self.edited.pk,
                "camera": None,
                "document": None,
            },
        )
