"""The registry says what happened to dossiers, and to whom it matters, in the same transaction."""

from django.core.exceptions import ValidationError

from technopolice.activity import querysets, subjects
from technopolice.activity.models import Activity
from technopolice.registry import actions
from technopolice.registry.models import Commune, Organisation, Technology
from technopolice.testing.cases import BaseTestCase

from .factories import DepartmentFactory, OrganisationFactory, RegionFactory, dossier_payload

COURT = {
    "date": "2020-02-27",
    "kind": "court_decision",
    "title": "Le tribunal annule la délibération",
    "description": "Une victoire.",
    "verdict": "victory",
    "source_url": "",
}


def kinds(queryset) -> list[str]:
    return list(queryset.values_list("kind", flat=True))


class DossierActivityTests(BaseTestCase):
    def test_it_records_a_new_dossier_for_its_places_technologies_and_organisations(self):
        OrganisationFactory(name="Ville de Saint-Étienne")
        OrganisationFactory(name="Serenicity")
        var = DepartmentFactory(code="83", name="Var", region=RegionFactory(code="93", name="PACA"))
        data = dossier_payload(operator="ville-de-saint-etienne", vendors=["serenicity"], departments=["83"])
        dossier = actions.publish_dossier(data, self.bob)
        commune = Commune.objects.get(insee="42218")
        activity = Activity.objects.get(kind="dossier_published")
        self.assertEqual((activity.title, activity.path), (dossier.title, f"/dossiers/{dossier.slug}/"))
        self.assertEqual(activity.object, dossier)
        expected = {
            "site",
            f"dossier:{dossier.pk}",
            f"commune:{commune.pk}",
            f"department:{commune.department_id}",
            f"region:{commune.department.region_id}",
            f"department:{var.pk}",
            f"region:{var.region_id}",
            f"technology:{Technology.objects.get(slug='audio-sensors').pk}",
            *(f"organisation:{pk}" for pk in Organisation.objects.values_list("pk", flat=True)),
        }
        self.assertEqual(set(activity.subjects.values_list("key", flat=True)), expected)

    def test_a_new_dossier_with_an_outcome_records_the_outcome(self):
        dossier = actions.publish_dossier(dossier_payload(), self.bob)
        self.assertEqual(kinds(querysets.about(subjects.key(dossier))), ["outcome", "dossier_published"])
        outcome = Activity.objects.get(kind="outcome")
        self.assertIn("La CNIL met en garde la ville", outcome.title)

    def test_an_accepted_change_records_a_change_and_only_the_outcome_it_adds(self):
        dossier = actions.publish_dossier(dossier_payload(), self.bob)
        first = Activity.objects.order_by("-id").first().pk
        events = [*dossier_payload()["events"], COURT]
        actions.publish_dossier(dossier_payload(status="struck_down", events=events), self.bob, dossier)
        new = Activity.objects.filter(pk__gt=first)
        self.assertEqual(kinds(new), ["outcome", "dossier_changed"])
        self.assertIn("Le tribunal annule", new.get(kind="outcome").title)
        self.assertEqual(new.get(kind="outcome").summary, "Une victoire.")

    def test_a_change_that_keeps_its_outcomes_records_no_outcome(self):
        dossier = actions.publish_dossier(dossier_payload(), self.bob)
        first = Activity.objects.order_by("-id").first().pk
        actions.publish_dossier(dossier_payload(title="Micros, suite"), self.bob, dossier)
        self.assertEqual(kinds(Activity.objects.filter(pk__gt=first)), ["dossier_changed"])

    def test_a_revert_records_a_change(self):
        dossier = actions.publish_dossier(dossier_payload(), self.bob)
        actions.publish_dossier(dossier_payload(title="Renamed", events=[]), self.bob, dossier)
        first = Activity.objects.order_by("-id").first().pk
        actions.revert_dossier(dossier, 1, self.bob)
        # Revision 1 had the CNIL opinion, the version before the revert did not: it is new again.
        self.assertEqual(kinds(Activity.objects.filter(pk__gt=first)), ["outcome", "dossier_changed"])

    def test_a_refused_publication_records_nothing(self):
        with self.assertRaises(ValidationError):
            actions.publish_dossier(dossier_payload(communes=["99999"]), self.bob)
        self.assertFalse(Activity.objects.exists())


class SubjectKindTests(BaseTestCase):
    def test_the_registry_names_its_subjects(self):
        dossier = actions.publish_dossier(dossier_payload(), self.bob)
        commune = Commune.objects.get(insee="42218")
        found = subjects.resolve([f"dossier:{dossier.pk}", f"commune:{commune.pk}", "technology:999999"])
        self.assertEqual(found, {f"dossier:{dossier.pk}": dossier, f"commune:{commune.pk}": commune})
        self.assertEqual(str(subjects.get_kind("department").label), "département")
