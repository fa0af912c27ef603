"""Creating and running a collective: the form, the members' page, joining, leaving, and what a
closed account leaves behind. Emails go through a real SMTP server on loopback."""

import io
import tempfile

from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from technopolice.accounts.deletion import anonymise
from technopolice.collectives.models import Collective, CollectiveStatus, Membership, MembershipStatus, Role
from technopolice.collectives.tests.factories import CollectiveFactory, add_member, add_organiser, ask_to_join
from technopolice.lib.tests.test_images import AUTHOR, SERIAL, photo_with_metadata, pixel_flood
from technopolice.moderation.models import Proposal
from technopolice.registry.tests.factories import CommuneFactory, DepartmentFactory
from technopolice.testing import smtp
from technopolice.testing.cases import PASSWORD, BaseTestCase, make_user

CREATE = "/en/collectifs/nouveau/"
PORT = smtp.free_port()


def valid(**changes) -> dict:
    data = {
        "name": "Technopolice Saint-Étienne",
        "description": "Contre les **micros** dans la rue.",
        "communes": "Saint-Étienne (42)",
        "departments": "",
        "founded_on": "2019-03-01",
        "website": "https://technopolice42.example.org/",
        "mastodon": "@tp42@mastodon.example",
        "matrix": "#tp42:matrix.org",
        "signal": "https://signal.group/#CjQKIAbc",
        "accepts_messages": "on",
    }
    return {**data, **changes}


class MediaTestCase(BaseTestCase):
    """Logos go to a throw-away MEDIA_ROOT; emails to a loopback SMTP server."""

    def setUp(self):
        super().setUp()
        cache.clear()
        media = tempfile.TemporaryDirectory()
        self.addCleanup(media.cleanup)
        for override in (
            override_settings(MEDIA_ROOT=media.name),
            override_settings(MAILERS=smtp.mailers(PORT), SITE_URL="http://testserver"),
        ):
            override.enable()
            self.addCleanup(override.disable)
        controller, self.inbox = smtp.start(PORT)
        self.addCleanup(controller.stop)
        self.commune = CommuneFactory()


class CreateTests(MediaTestCase):
    def test_it_creates_a_pending_collective_with_its_organiser_and_a_proposal(self):
        response = self.login(self.alice).post(CREATE, valid(description="Hi <script>alert(1)</script>"))
        collective = Collective.objects.get()
        self.assertRedirects(response, f"/en/collectifs/{collective.slug}/", fetch_redirect_response=False)
        page = self.client.get(response["Location"])  # the creator sees it, pending, with a banner
        self.assertContains(page, "waiting for moderation")
        self.assertNotContains(page, "<script>alert(1)</script>")
        self.assertEqual(
            (collective.status, collective.slug), (CollectiveStatus.PENDING, "technopolice-saint-etienne")
        )
        self.assertEqual(list(collective.communes.all()), [self.commune])
        self.assertEqual(collective.mastodon, "@tp42@mastodon.example")
        membership = Membership.objects.get()
        self.assertEqual(
            (membership.user, membership.role, membership.status), (self.alice, "organiser", "active")
        )
        proposal = Proposal.objects.get()
        self.assertEqual(
            (proposal.kind, proposal.contributor, proposal.state), ("collective", self.alice, "pending")
        )
        self.assertEqual(proposal.payload["collective"], collective.pk)
        page = self.client.get("/en/collectifs/mes-collectifs/")
        self.assertContains(page, "waiting for a moderator")
        self.assertContains(page, "Technopolice Saint-Étienne")

    def test_the_slug_is_unique_and_never_a_reserved_path(self):
        CollectiveFactory(slug="technopolice-saint-etienne")
        self.login(self.alice).post(CREATE, valid())
        self.login(self.alice).post(CREATE, valid(name="Nouveau"))
        slugs = set(Collective.objects.values_list("slug", flat=True))
        self.assertIn("technopolice-saint-etienne-2", slugs)
        self.assertIn("nouveau-2", slugs)

    def test_it_needs_a_confirmed_email(self):
        nobody = make_user("noemail")
        nobody.email = ""
        nobody.save()
        response = self.login(nobody).get(CREATE)
        self.assertContains(response, "needs a confirmed email address", status_code=403)
        self.assertContains(response, 'href="/en/comptes/compte/adresse/"', status_code=403)
        self.client.post(CREATE, valid())
        self.assertFalse(Collective.objects.exists())

    def test_anonymous_visitors_are_sent_to_log_in(self):
        response = self.client.get(CREATE)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/comptes/connexion/", response["Location"])

    def test_links_are_checked_with_clear_messages(self):
        bad = valid(
            signal="https://evil.example/#x",
            mastodon="not a handle",
            matrix="room",
            website="javascript:alert(1)",
        )
        response = self.login(self.alice).post(CREATE, bad)
        self.assertEqual(response.status_code, 400)
        self.assertContains(
            response, "A Signal group link starts with https://signal.group/.", status_code=400
        )
        self.assertContains(response, "@name@server", status_code=400)
        self.assertContains(response, "#room:server", status_code=400)
        self.assertContains(response, "Enter a valid URL.", status_code=400)
        self.assertFalse(Collective.objects.exists())

    def test_a_place_is_required_and_unknown_ones_are_named(self):
        response = self.login(self.alice).post(CREATE, valid(communes="Atlantis (99)\n", departments="ZZ"))
        self.assertContains(response, "Unknown commune: Atlantis (99).", status_code=400)
        self.assertContains(response, "Unknown department code: ZZ.", status_code=400)
        response = self.client.post(CREATE, valid(communes=""))
        self.assertContains(response, "Name at least one commune or department", status_code=400)
        self.assertFalse(Collective.objects.exists())

    def test_departments_by_code_and_communes_by_insee_code(self):
        DepartmentFactory(code="69", name="Rhône")
        self.login(self.alice).post(CREATE, valid(communes="42218", departments="69"))
        collective = Collective.objects.get()
        self.assertEqual(list(collective.communes.values_list("insee", flat=True)), ["42218"])
        self.assertEqual(list(collective.departments.values_list("code", flat=True)), ["69"])

    def test_the_logo_is_stored_without_its_metadata(self):
        logo = SimpleUploadedFile("me-at-home.jpg", photo_with_metadata(), content_type="image/jpeg")
        self.login(self.alice).post(CREATE, valid(logo=logo))
        collective = Collective.objects.get()
        self.assertTrue(collective.logo.name.startswith("collectives/logos/"))
        self.assertNotIn("me-at-home", collective.logo.name)
        with default_storage.open(collective.logo.name, "rb") as handle:
            stored = handle.read()
        for secret in (SERIAL.encode(), AUTHOR.encode(), b"GPS", b"Exif"):
            self.assertNotIn(secret, stored)
        self.assertEqual(Image.open(io.BytesIO(stored)).getexif(), {})

    def test_an_oversized_logo_is_refused_clearly_and_nothing_is_stored(self):
        big = SimpleUploadedFile(
            "big.png", b"\x89PNG" + b"0" * (2 * 1024 * 1024 + 10), content_type="image/png"
        )
        response = self.login(self.alice).post(CREATE, valid(logo=big))
        self.assertContains(response, "The logo is too large: 2 MB at most.", status_code=400)
        self.assertFalse(Collective.objects.exists())
        self.assertFalse(
            default_storage.exists("collectives/logos") and default_storage.listdir("collectives/logos")[1]
        )

    def test_a_pixel_flood_or_a_non_image_is_refused_clearly(self):
        self.login(self.alice)
        flood = SimpleUploadedFile("flood.png", pixel_flood(), content_type="image/png")
        response = self.client.post(CREATE, valid(logo=flood))
        self.assertContains(response, "This image is too large", status_code=400)
        text = SimpleUploadedFile("logo.png", b"<script>alert(1)</script>", content_type="image/png")
        response = self.client.post(CREATE, valid(logo=text))
        self.assertContains(response, "This file is not a readable image.", status_code=400)
        self.assertFalse(Collective.objects.exists())

    def test_messages_are_in_french_at_the_root_whatever_the_browser_asks(self):
        bad = valid(communes="Atlantis (99)", website="pas une adresse")
        response = self.login(self.alice).post("/collectifs/nouveau/", bad, HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(response, 'lang="fr"', status_code=400)
        self.assertContains(response, "Commune inconnue : Atlantis (99).", status_code=400)
        self.assertContains(response, "Saisissez une URL valide.", status_code=400)
        self.assertContains(response, "Certains champs demandent votre attention", status_code=400)
        english = self.client.post(CREATE, bad, HTTP_ACCEPT_LANGUAGE="fr")
        self.assertContains(english, "Unknown commune: Atlantis (99).", status_code=400)

    def test_it_answers_405_to_other_methods(self):
        self.assertEqual(self.login(self.alice).put(CREATE).status_code, 405)

    def test_the_form_checks_csrf(self):
        self.login(self.alice, self.csrf_client)
        self.assertEqual(self.csrf_client.post(CREATE, valid()).status_code, 403)
        self.assertFalse(Collective.objects.exists())


class EditTests(MediaTestCase):
    def setUp(self):
        super().setUp()
        self.collective = CollectiveFactory(communes=[self.commune], name="Before")
        add_organiser(self.collective, self.alice)
        self.url = f"/en/collectifs/{self.collective.slug}/modifier/"

    def test_the_form_starts_from_the_collective_and_saves_at_once(self):
        response = self.login(self.alice).get(self.url)
        self.assertContains(response, "Saint-Étienne (42)")
        slug = self.collective.slug
        response = self.client.post(self.url, valid(name="After", is_dormant="on"))
        self.assertRedirects(response, f"/en/collectifs/{slug}/")
        self.collective.refresh_from_db()
        self.assertEqual((self.collective.name, self.collective.is_dormant), ("After", True))
        self.assertEqual(self.collective.slug, slug)  # links to it keep working

    def test_a_new_logo_replaces_the_old_file(self):
        self.login(self.alice)
        first = SimpleUploadedFile("a.jpg", photo_with_metadata(), content_type="image/jpeg")
        self.client.post(self.url, valid(logo=first))
        self.collective.refresh_from_db()
        old = self.collective.logo.name
        with self.captureOnCommitCallbacks(execute=True):
            second = SimpleUploadedFile("b.png", photo_with_metadata("PNG"), content_type="image/png")
            self.client.post(self.url, valid(logo=second))
        self.collective.refresh_from_db()
        self.assertTrue(self.collective.logo.name.endswith(".png"))
        self.assertFalse(default_storage.exists(old))
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.url, valid(remove_logo="on"))
        self.collective.refresh_from_db()
        self.assertEqual(self.collective.logo.name, "")

    def test_a_moderator_may_edit_it_too(self):
        response = self.login(self.bob).post(self.url, valid(name="Fixed by a moderator"))
        self.assertEqual(response.status_code, 302)
        self.collective.refresh_from_db()
        self.assertEqual(self.collective.name, "Fixed by a moderator")


class JoinTests(MediaTestCase):
    def setUp(self):
        super().setUp()
        self.collective = CollectiveFactory(name="Technopolice Loire")
        add_organiser(self.collective, self.alice)
        self.join = f"/en/collectifs/{self.collective.slug}/rejoindre/"

    def test_asking_to_join_tells_the_organisers_without_any_address(self):
        response = self.login(self.mallory).post(self.join)
        self.assertEqual(response.status_code, 302)
        membership = Membership.objects.get(user=self.mallory)
        self.assertEqual((membership.status, membership.role), (MembershipStatus.REQUESTED, Role.MEMBER))
        message = self.inbox.messages[-1]
        self.assertEqual(message["To"], "alice@example.org")
        self.assertEqual(message["Subject"], "mallory asks to join Technopolice Loire")
        self.assertIn(f"http://testserver/en/collectifs/{self.collective.slug}/membres/", self.inbox.text())
        self.assertNotIn("mallory@example.org", self.inbox.text())

    def test_asking_twice_sends_one_email(self):
        self.login(self.mallory).post(self.join)
        self.client.post(self.join)
        self.assertEqual(len(self.inbox.messages), 1)
        self.assertEqual(Membership.objects.filter(user=self.mallory).count(), 1)

    def test_joining_needs_a_confirmed_email_and_post(self):
        mallory = self.login(self.mallory)
        self.assertEqual(mallory.get(self.join).status_code, 405)
        self.mallory.email = ""
        self.mallory.save()
        self.assertEqual(self.client.post(self.join).status_code, 403)
        self.assertFalse(Membership.objects.filter(user=self.mallory).exists())

    def test_a_pending_collective_cannot_be_joined(self):
        pending = CollectiveFactory(status=CollectiveStatus.PENDING)
        response = self.login(self.mallory).post(f"/en/collectifs/{pending.slug}/rejoindre/")
        self.assertEqual(response.status_code, 404)

    def test_a_forged_join_for_another_user_joins_only_the_sender(self):
        self.login(self.mallory).post(self.join, {"user": self.bob.pk, "user_id": self.bob.pk})
        self.assertEqual(
            list(Membership.objects.filter(role=Role.MEMBER).values_list("user", flat=True)),
            [self.mallory.pk],
        )

    def test_a_mail_server_that_is_down_loses_the_email_not_the_request(self):
        with (
            override_settings(MAILERS=smtp.mailers(smtp.free_port())),
            self.assertLogs("technopolice.collectives"),
        ):
            response = self.login(self.mallory).post(self.join)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(
            Membership.objects.filter(user=self.mallory, status=MembershipStatus.REQUESTED).exists()
        )

    def test_an_accepted_requester_is_told(self):
        membership = ask_to_join(self.collective, self.mallory)
        url = f"/en/collectifs/{self.collective.slug}/membres/{membership.pk}/accept/"
        self.login(self.alice).post(url)
        membership.refresh_from_db()
        self.assertEqual(membership.status, MembershipStatus.ACTIVE)
        self.assertIsNotNone(membership.joined_at)
        message = self.inbox.messages[-1]
        self.assertEqual(
            (message["To"], message["Subject"]),
            ("mallory@example.org", "You are a member of Technopolice Loire"),
        )
        self.assertIn("Technopolice Loire", self.inbox.text())

    def test_an_email_is_rendered_without_html_escaping(self):
        self.collective.name = "Collectif l'Œil"
        self.collective.save()
        self.login(self.mallory).post(self.join)
        self.assertIn("Collectif l'Œil", self.inbox.messages[-1]["Subject"])
        self.assertIn("Collectif l'Œil", self.inbox.text())


class MembersTests(MediaTestCase):
    def setUp(self):
        super().setUp()
        self.collective = CollectiveFactory()
        self.organiser = add_organiser(self.collective, self.alice)
        self.members = f"/en/collectifs/{self.collective.slug}/membres/"

    def action(self, membership, verb):
        return f"{self.members}{membership.pk}/{verb}/"

    def test_the_organisers_page_shows_requests_and_members(self):
        ask_to_join(self.collective, self.mallory)
        add_member(self.collective, self.bob)
        response = self.login(self.alice).get(self.members)
        self.assertEqual([m.user for m in response.context["requests"]], [self.mallory])
        self.assertEqual({m.user for m in response.context["members"]}, {self.alice, self.bob})
        self.assertNotContains(response, "@example.org")

    def test_refuse_make_organiser_and_remove(self):
        request = ask_to_join(self.collective, self.mallory)
        member = add_member(self.collective, self.carol)
        self.login(self.alice)
        self.client.post(self.action(request, "refuse"))
        self.assertFalse(Membership.objects.filter(pk=request.pk).exists())
        self.client.post(self.action(member, "organiser"))
        member.refresh_from_db()
        self.assertEqual(member.role, Role.ORGANISER)
        response = self.client.post(self.action(member, "remove"), follow=True)
        self.assertContains(response, "An organiser cannot be removed")
        member.role = Role.MEMBER
        member.save()
        self.client.post(self.action(member, "remove"))
        self.assertFalse(Membership.objects.filter(pk=member.pk).exists())

    def test_a_request_is_not_made_organiser_before_it_is_accepted(self):
        request = ask_to_join(self.collective, self.mallory)
        response = self.login(self.alice).post(self.action(request, "organiser"), follow=True)
        self.assertContains(response, "accept their request first")
        request.refresh_from_db()
        self.assertEqual(request.role, Role.MEMBER)

    def test_handing_the_role_on_then_stepping_down(self):
        member = add_member(self.collective, self.mallory)
        self.login(self.alice)
        refused = self.client.post(f"{self.members}ne-plus-organiser/", follow=True)
        self.assertContains(refused, "You are the last organiser")
        self.client.post(self.action(member, "organiser"))
        self.client.post(f"{self.members}ne-plus-organiser/")
        self.organiser.refresh_from_db()
        self.assertEqual(self.organiser.role, Role.MEMBER)
        self.assertEqual(self.client.get(self.members).status_code, 403)  # no longer an organiser

    def test_the_last_organiser_cannot_leave_without_handing_on(self):
        leave = f"/en/collectifs/{self.collective.slug}/quitter/"
        response = self.login(self.alice).post(leave, follow=True)
        self.assertContains(
            response, "You are the last organiser: make another member an organiser before you leave."
        )
        self.assertTrue(Membership.objects.filter(pk=self.organiser.pk).exists())
        french = self.client.post(f"/collectifs/{self.collective.slug}/quitter/", follow=True)
        self.assertContains(french, "Vous êtes la dernière personne à organiser ce collectif")

    def test_a_member_leaves_at_any_time(self):
        member = add_member(self.collective, self.mallory)
        response = self.login(self.mallory).post(f"/en/collectifs/{self.collective.slug}/quitter/")
        self.assertRedirects(response, "/en/collectifs/mes-collectifs/")
        self.assertFalse(Membership.objects.filter(pk=member.pk).exists())

    def test_my_collectives_lists_memberships_and_requests(self):
        other = CollectiveFactory(name="Another one")
        ask_to_join(other, self.alice)
        response = self.login(self.alice).get("/en/collectifs/mes-collectifs/")
        self.assertContains(response, self.collective.name)
        self.assertContains(response, "You asked to join")
        self.assertContains(response, f"/en/collectifs/{self.collective.slug}/membres/")
        self.assertNotContains(response, f"/en/collectifs/{other.slug}/membres/")


class AccountDeletionTests(BaseTestCase):
    def test_a_closed_account_leaves_no_membership(self):
        collective = CollectiveFactory()
        add_organiser(collective, self.alice)
        add_member(collective, self.mallory)
        ask_to_join(CollectiveFactory(), self.mallory)
        self.login(self.mallory).post(
            "/en/comptes/compte/supprimer/", {"password": PASSWORD, "confirm": "on"}
        )
        self.assertTrue(User.objects.get(pk=self.mallory.pk).username.startswith("deleted-"))
        self.assertFalse(Membership.objects.filter(user=self.mallory).exists())
        self.assertTrue(Membership.objects.filter(user=self.alice).exists())

    def test_a_collective_whose_only_organiser_left_remains_for_moderators_to_fix(self):
        collective = CollectiveFactory()
        add_organiser(collective, self.alice)
        member = add_member(collective, self.mallory)
        anonymise(self.alice)
        self.assertTrue(Collective.objects.filter(pk=collective.pk, status=CollectiveStatus.LISTED).exists())
        self.assertEqual(list(collective.memberships.all()), [member])
        # A moderator gives it a new organiser from the members' page.
        self.login(self.bob).post(f"/en/collectifs/{collective.slug}/membres/{member.pk}/organiser/")
        member.refresh_from_db()
        self.assertEqual(member.role, Role.ORGANISER)
