"""A collective's page: who sees it, who sees its members, what it links to, its logo."""

import io
import tempfile

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings
from PIL import Image

from technopolice.collectives.models import CollectiveStatus
from technopolice.mapdata.tests.mapview_helpers import many
from technopolice.registry.tests.factories import DossierFactory
from technopolice.testing.cases import BaseTestCase

from .factories import CollectiveFactory, add_member, add_organiser, ask_to_join
from .world import build_places


def page(collective) -> str:
    return f"/en/collectifs/{collective.slug}/"


class VisibilityTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.pending = CollectiveFactory(name="Nice en attente", status=CollectiveStatus.PENDING)
        add_organiser(self.pending, self.alice)

    def test_it_shows_a_listed_collective_to_anyone(self):
        collective = CollectiveFactory(name="Technopolice Nice")
        self.assertContains(self.client.get(page(collective)), "Technopolice Nice")

    def test_a_pending_or_refused_collective_is_a_404_for_visitors_and_outsiders(self):
        refused = CollectiveFactory(status=CollectiveStatus.REFUSED)
        for collective in (self.pending, refused):
            self.assertEqual(self.client.get(page(collective)).status_code, 404)
            self.assertEqual(self.login(self.mallory).get(page(collective)).status_code, 404)
            self.client.logout()

    def test_a_request_to_join_does_not_open_a_pending_collective(self):
        ask_to_join(self.pending, self.mallory)
        self.assertEqual(self.login(self.mallory).get(page(self.pending)).status_code, 404)

    def test_its_members_and_moderators_see_it_with_a_banner(self):
        for user in (self.alice, self.bob):
            response = self.login(user).get(page(self.pending))
            self.assertContains(response, "This collective is waiting for moderation")
        response = self.client.get(page(self.pending))
        self.assertNotContains(response, "Write to this collective")  # the relay is for listed ones

    def test_it_answers_only_to_reading(self):
        collective = CollectiveFactory()
        self.assertEqual(self.client.post(page(collective)).status_code, 405)


class MemberListTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.collective = CollectiveFactory(name="Technopolice Nice")
        add_organiser(self.collective, self.alice)
        add_member(self.collective, self.carol)
        ask_to_join(self.collective, self.mallory)

    def test_visitors_and_outsiders_see_how_many_members_not_who(self):
        for client in (self.client, self.login(self.mallory, self.csrf_client)):
            response = client.get(page(self.collective))
            self.assertContains(response, "2 members. Their names are shown to the members only.")
            self.assertIsNone(response.context["members"])
            for text in ("alice", "carol", "@example.org"):
                self.assertNotContains(response, text)

    def test_members_see_each_other_by_name_never_by_address(self):
        response = self.login(self.carol).get(page(self.collective))
        self.assertEqual([m.user.username for m in response.context["members"]], ["alice", "carol"])
        self.assertContains(response, "alice")
        self.assertNotContains(response, "@example.org")
        self.assertNotContains(response, "mallory")  # asked to join, not a member yet

    def test_organisers_get_their_links_and_outsiders_the_request_to_join(self):
        self.assertContains(self.login(self.alice).get(page(self.collective)), "Members and requests to join")
        response = self.login(self.bob, self.csrf_client).get(page(self.collective))
        self.assertContains(response, "Ask to join")
        self.assertNotContains(response, "Members and requests to join")


class ContentTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_places(cls)

    def test_the_description_is_sanitised_markdown(self):
        collective = CollectiveFactory(
            description="**Vigilance** <script>alert(1)</script> [site](javascript:x)"
        )
        response = self.client.get(page(collective))
        self.assertContains(response, "<strong>Vigilance</strong>", html=True)
        self.assertNotContains(response, "<script>alert")
        self.assertNotContains(response, "javascript:")

    def test_it_links_its_places_and_its_ways_to_be_reached(self):
        collective = CollectiveFactory(
            communes=[self.nice],
            departments=[self.alpes_maritimes],
            mastodon="@tp_nice@social.example.org",
            matrix="#tp-nice:matrix.example.org",
            signal="https://signal.group/#CjQKI",
            is_dormant=True,
            is_example=True,
        )
        response = self.client.get(page(collective))
        self.assertContains(response, f'href="{self.nice.get_absolute_url()}"')
        self.assertContains(response, 'href="/en/departements/alpes-maritimes/"')
        self.assertContains(response, 'href="https://social.example.org/@tp_nice"')
        self.assertContains(response, 'href="https://matrix.to/#/#tp-nice:matrix.example.org"')
        self.assertContains(response, 'href="https://signal.group/#CjQKI"')
        self.assertContains(response, f'href="/en/collectifs/{collective.slug}/ecrire/"')
        self.assertContains(response, "This collective is dormant")
        self.assertContains(response, '<span class="badge example"', count=1)

    def test_it_lists_the_dossiers_and_counts_the_cameras_of_its_area(self):
        collective = CollectiveFactory(communes=[self.nice], departments=[self.bouches])
        DossierFactory(title="Safe city à Nice", communes=[self.nice])
        DossierFactory(title="Drones des Bouches-du-Rhône", departments=[self.bouches])
        DossierFactory(title="Caméras de Marseille", communes=[self.marseille])
        DossierFactory(title="Micros de Saint-Étienne", communes=[self.saint_etienne])
        many([(43.70, 7.26)] * 3, commune=self.nice)
        many([(43.29, 5.37)] * 2, commune=self.marseille)
        many([(43.55, 7.01)] * 4, commune=self.cannes)
        response = self.client.get(page(collective))
        titles = {dossier.title for dossier in response.context["dossiers"].dossiers}
        self.assertEqual(titles, {"Safe city à Nice", "Drones des Bouches-du-Rhône", "Caméras de Marseille"})
        self.assertEqual(response.context["camera_count"], 5)
        self.assertContains(response, "5 cameras known to the platform in its area.")
        self.assertIn("/en/carte/?lat=43.", response.context["map_url"])

    def test_a_collective_without_places_says_so(self):
        response = self.client.get(page(CollectiveFactory()))
        self.assertContains(response, "This collective names no commune or department yet.")
        self.assertIsNone(response.context["map_url"])


@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="tp-logos-"))
class LogoTests(BaseTestCase):
    def store_logo(self, collective, extension="png"):
        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), "green").save(buffer, format="PNG" if extension == "png" else "WEBP")
        collective.logo = default_storage.save(
            f"collectives/logos/test.{extension}", ContentFile(buffer.getvalue())
        )
        collective.save()

    def test_it_serves_the_logo_with_its_type(self):
        collective = CollectiveFactory()
        self.store_logo(collective)
        response = self.client.get(page(collective) + "logo/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/png")
        self.assertEqual(b"".join(response.streaming_content)[:8], b"\x89PNG\r\n\x1a\n")
        self.assertContains(self.client.get(page(collective)), f'src="{page(collective)}logo/"')

    def test_a_pending_collective_logo_is_hidden_like_its_page(self):
        collective = CollectiveFactory(status=CollectiveStatus.PENDING)
        self.store_logo(collective, "webp")
        self.assertEqual(self.client.get(page(collective) + "logo/").status_code, 404)
        add_member(collective, self.mallory)
        response = self.login(self.mallory).get(page(collective) + "logo/")
        self.assertEqual(response["Content-Type"], "image/webp")
        self.assertEqual(response["Cache-Control"], "private, no-store")

    def test_no_logo_is_a_404(self):
        self.assertEqual(self.client.get(page(CollectiveFactory()) + "logo/").status_code, 404)
