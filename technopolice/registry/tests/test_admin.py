from django.urls import reverse

from technopolice.registry import actions
from technopolice.registry.models import Dossier, OrganisationLink, Technology
from technopolice.testing.cases import BaseTestCase

from .factories import CommuneFactory, OrganisationFactory, dossier_payload

MODELS = [
    "region",
    "department",
    "commune",
    "technology",
    "organisation",
    "organisationlink",
    "dossier",
    "revision",
]


class RegistryAdminTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dossier = actions.publish_dossier(dossier_payload(), cls.bob)
        cls.commune = CommuneFactory()
        cls.vendor = OrganisationFactory(kind="vendor")
        cls.buyer = OrganisationFactory(
            name="ville de Saint-Étienne", kind="public_body", commune=cls.commune
        )
        OrganisationLink.objects.create(subject=cls.buyer, relation="client_of", object=cls.vendor)

    def objects(self) -> dict:
        return {
            "region": self.commune.department.region,
            "department": self.commune.department,
            "commune": self.commune,
            "technology": Technology.objects.get(slug="audio-sensors"),
            "organisation": self.buyer,
            "organisationlink": OrganisationLink.objects.get(),
            "dossier": self.dossier,
            "revision": self.dossier.revisions.get(),
        }

    def test_it_shows_every_registry_list_and_record_to_an_administrator(self):
        self.login(self.carol)
        for model, obj in self.objects().items():
            with self.subTest(model=model):
                self.assertEqual(
                    self.client.get(reverse(f"admin:registry_{model}_changelist")).status_code, 200
                )
                self.assertEqual(
                    self.client.get(reverse(f"admin:registry_{model}_change", args=[obj.pk])).status_code, 200
                )

    def test_it_filters_and_searches_lists(self):
        self.login(self.carol)
        response = self.client.get(
            reverse("admin:registry_commune_changelist"), {"q": "Saint-Étienne", "kind": "COM"}
        )
        self.assertContains(response, "42218")
        response = self.client.get(
            reverse("admin:registry_organisation_changelist"), {"kind__exact": "vendor"}
        )
        self.assertContains(response, "Serenicity")
        self.assertNotContains(response, "ville de Saint-Étienne")

    def test_an_administrator_edits_a_technology(self):
        self.login(self.carol)
        tech = Technology.objects.get(slug="drones")
        url = reverse("admin:registry_technology_change", args=[tech.pk])
        form = {
            f: getattr(tech, f) for f in ["slug", "position", "aliases", "name_fr", "summary_fr", "stakes_fr"]
        }
        form |= {"name_en": "Police drones", "summary_en": tech.summary_en, "stakes_en": tech.stakes_en}
        response = self.client.post(url, form)
        self.assertRedirects(response, reverse("admin:registry_technology_changelist"))
        tech.refresh_from_db()
        self.assertEqual(tech.name_en, "Police drones")

    def test_an_administrator_cannot_delete_a_technology_nor_edit_a_dossier(self):
        self.login(self.carol)
        tech = Technology.objects.get(slug="drones")
        self.assertEqual(
            self.client.post(reverse("admin:registry_technology_delete", args=[tech.pk])).status_code, 403
        )
        url = reverse("admin:registry_dossier_change", args=[self.dossier.pk])
        self.assertEqual(self.client.post(url, {"title": "Changed behind moderation"}).status_code, 403)
        self.assertTrue(Technology.objects.filter(pk=tech.pk).exists())
        self.assertEqual(Dossier.objects.get().title, dossier_payload()["title"])

    def test_contributors_moderators_and_outsiders_are_kept_out(self):
        for user in (self.alice, self.bob, self.mallory):
            self.login(user)
            for model in MODELS:
                with self.subTest(user=user.username, model=model):
                    response = self.client.get(reverse(f"admin:registry_{model}_changelist"))
                    self.assertRedirects(
                        response,
                        f"{reverse('admin:login')}?next={reverse(f'admin:registry_{model}_changelist')}",
                    )

    def test_a_forged_post_without_csrf_token_changes_nothing(self):
        client = self.login(self.carol, self.csrf_client)
        url = reverse("admin:registry_organisation_change", args=[self.vendor.pk])
        self.assertEqual(
            client.post(url, {"name": "Hacked", "slug": "hacked", "kind": "vendor"}).status_code, 403
        )
        self.vendor.refresh_from_db()
        self.assertEqual(self.vendor.name, "Serenicity")
