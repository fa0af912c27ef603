"""The contact form: who may be written to, the spam traps and the limits, bad input. What
reaches the mail server is in test_relay.py."""

import html
import json
import re

import altcha
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone, translation
from django.utils.translation import ngettext

from technopolice.collectives.models import CollectiveStatus, Conversation, Direction, RelayMessage
from technopolice.testing.cases import BaseTestCase

from .factories import CollectiveFactory, add_member, add_organiser
from .relay_helpers import VISITOR_EMAIL, contact_data

FLOOD = (
    "Too many messages came from your connection this hour, and this one was not sent. "
    "Send it again in %(minutes)d minute."
)
FLOOD_PLURAL = FLOOD.replace("minute.", "minutes.")


def solved(page: str) -> str:
    """What the widget posts: the page's own challenge, solved."""
    challenge = re.search(r'<altcha-widget name="altcha" challenge="([^"]+)"', page).group(1)
    challenge = altcha.Challenge.from_dict(json.loads(html.unescape(challenge)))
    return altcha.Payload(challenge, altcha.solve_challenge(challenge)).to_base64()


@override_settings(ALTCHA_COST=1)
class ContactFormTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()
        self.collective = CollectiveFactory(name="Technopolice Brest")
        add_organiser(self.collective, self.alice)
        self.url = f"/collectifs/{self.collective.slug}/ecrire/"

    def post(self, prefix: str = "", address: str = "198.51.100.7", **overrides):
        return self.client.post(prefix + self.url, contact_data(**overrides), REMOTE_ADDR=address)

    def test_it_shows_the_form_with_the_proof_of_work(self):
        response = self.client.get(self.url)
        self.assertContains(response, "<altcha-widget")
        self.assertContains(response, 'name="website"')

    def test_it_stores_the_conversation_and_its_message_due_now_with_the_address_sealed(self):
        response = self.post()
        self.assertRedirects(response, self.url + "envoye/")
        conversation = Conversation.objects.get()
        self.assertEqual(conversation.visitor_email, VISITOR_EMAIL)
        self.assertNotIn(VISITOR_EMAIL, conversation.sealed_visitor_email)
        self.assertEqual((conversation.visitor_name, conversation.language), ("Véra L'Hôte", "fr"))
        message = RelayMessage.objects.get()
        self.assertEqual(message.direction, Direction.TO_ORGANISERS)
        self.assertLessEqual(message.due_at, timezone.now())
        sent = self.client.get(self.url + "envoye/")
        self.assertContains(sent, "ne leur est jamais montrée")

    def test_an_english_visitor_is_answered_in_english(self):
        self.post(prefix="/en")
        self.assertEqual(Conversation.objects.get().language, "en")

    def test_a_filled_honeypot_sends_nothing(self):
        response = self.post(website="http://spam.example")
        self.assertRedirects(response, self.url + "envoye/")
        self.assertFalse(Conversation.objects.exists())
        self.assertFalse(RelayMessage.objects.exists())

    def test_bad_input_is_sent_back_with_messages_and_escaped(self):
        response = self.post(
            prefix="/en",
            name="Eve\r\nBcc: all@example.org",
            email="not-an-address",
            subject="<script>x()</script>",
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Write this on one line", status_code=400)
        self.assertContains(response, "Enter a valid email address", status_code=400)
        self.assertContains(response, "&lt;script&gt;x()&lt;/script&gt;", status_code=400)
        self.assertNotContains(response, "<script>x()", status_code=400)
        self.assertFalse(Conversation.objects.exists())

    def test_an_oversized_message_is_refused(self):
        response = self.post(prefix="/en", message="x" * 10001)
        self.assertContains(response, "at most 10000 characters", status_code=400)
        self.assertFalse(Conversation.objects.exists())

    @override_settings(RELAY_MESSAGES_PER_VISITOR_PER_HOUR=2, RATELIMIT_NOSCRIPT_PROPOSALS_PER_HOUR=50)
    def test_a_flooding_visitor_is_told_in_french_when_to_try_again(self):
        for _ in range(2):
            self.assertEqual(self.post().status_code, 302)
        response = self.post()
        self.assertEqual(response.status_code, 429)
        self.assertIn("Retry-After", response)
        self.assertContains(response, '<html lang="fr">', status_code=429)
        with translation.override("fr"):
            expected = ngettext(FLOOD, FLOOD_PLURAL, 60) % {"minutes": 60}
        self.assertContains(response, expected.split("%")[0][:40], status_code=429)
        self.assertContains(
            response, "Caméras place de l&#x27;Église", status_code=429
        )  # kept what was typed
        self.assertEqual(Conversation.objects.count(), 2)

    @override_settings(RELAY_MESSAGES_PER_VISITOR_PER_HOUR=1, RATELIMIT_NOSCRIPT_PROPOSALS_PER_HOUR=50)
    def test_a_flooding_visitor_is_told_in_english_at_en(self):
        self.post(prefix="/en")
        response = self.post(prefix="/en")
        self.assertContains(response, '<html lang="en">', status_code=429)
        self.assertContains(
            response, "Too many messages came from your connection this hour", status_code=429
        )
        self.assertEqual(Conversation.objects.count(), 1)

    @override_settings(RELAY_MESSAGES_PER_COLLECTIVE_PER_HOUR=2, RATELIMIT_NOSCRIPT_PROPOSALS_PER_HOUR=50)
    def test_robots_rotating_addresses_meet_the_collective_limit(self):
        for n in range(2):
            self.assertEqual(self.post(address=f"198.51.100.{n}").status_code, 302)
        response = self.post(prefix="/en", address="203.0.113.9")
        self.assertContains(response, "This collective has received too many messages", status_code=429)
        self.assertEqual(Conversation.objects.count(), 2)

    @override_settings(RATELIMIT_NOSCRIPT_PROPOSALS_PER_HOUR=1)
    def test_without_the_proof_of_work_the_stricter_limit_applies_and_with_it_not(self):
        self.assertEqual(self.post().status_code, 302)
        self.assertEqual(self.post().status_code, 429)
        proof = solved(self.client.get(self.url).content.decode())
        self.assertEqual(self.post(altcha=proof).status_code, 302)
        self.assertEqual(self.post(altcha=proof).status_code, 429)  # a solution is used once

    def test_a_collective_without_organisers_or_closed_to_messages_says_so(self):
        for collective in (
            CollectiveFactory(accepts_messages=False),
            CollectiveFactory(),  # nobody to read it
        ):
            if collective.accepts_messages:
                add_member(collective, self.mallory)  # a member is not an organiser
            else:
                add_organiser(collective, self.mallory)
            url = f"/en/collectifs/{collective.slug}/ecrire/"
            self.assertContains(self.client.get(url), "does not receive messages through the site")
            self.assertEqual(self.client.post(url, contact_data()).status_code, 403)
        self.assertFalse(Conversation.objects.exists())

    def test_an_organiser_without_an_address_does_not_count(self):
        collective = CollectiveFactory()
        add_organiser(collective, User.objects.create_user("noaddress", "", "x" * 20))
        response = self.client.get(f"/en/collectifs/{collective.slug}/ecrire/")
        self.assertContains(response, "does not receive messages through the site")

    def test_an_unlisted_collective_cannot_be_written_to(self):
        collective = CollectiveFactory(status=CollectiveStatus.PENDING)
        add_organiser(collective, self.mallory)
        self.assertEqual(self.client.get(f"/collectifs/{collective.slug}/ecrire/").status_code, 404)
        self.assertEqual(
            self.client.post(f"/collectifs/{collective.slug}/ecrire/", contact_data()).status_code, 404
        )

    def test_other_methods_and_forged_posts_are_refused(self):
        self.assertEqual(self.client.put(self.url).status_code, 405)
        self.assertEqual(self.client.get(self.url + "envoye/").status_code, 200)
        self.assertEqual(self.client.post(self.url + "envoye/").status_code, 405)
        self.assertEqual(self.csrf_client.post(self.url, contact_data()).status_code, 403)
        self.assertFalse(Conversation.objects.exists())
