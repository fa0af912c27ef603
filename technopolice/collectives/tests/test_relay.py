"""The relay on a real SMTP server on loopback: a visitor writes, organisers answer, neither
sees the other's address; a failing server delays a message, never loses it."""

from django.conf import settings
from django.core.cache import cache
from django.test import TransactionTestCase, override_settings

from technopolice.collectives.models import Conversation, Direction, RelayMessage
from technopolice.collectives.relay import strip_quoted
from technopolice.collectives.relay_mail import relay_address
from technopolice.moderation.models import HeldMessage
from technopolice.testing import smtp

from .relay_helpers import (
    ORGANISER_EMAIL,
    VISITOR_EMAIL,
    collective_with_organiser,
    contact_data,
    receive,
    reply,
    start_smtp,
    time_passes,
    work,
)

PORT = smtp.free_port()


@override_settings(TASKS=settings.TASKS, MAILERS=smtp.mailers(PORT), RELAY_DOMAIN="relais.example.com")
class RelayTests(TransactionTestCase):
    def setUp(self):
        cache.clear()
        self.start_server()
        self.addCleanup(self.stop_server)
        self.collective, self.organiser = collective_with_organiser(name="Technopolice Quimper")

    def start_server(self):
        self.controller, self.inbox = start_smtp(PORT)

    def stop_server(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def write(self, **overrides):
        response = self.client.post(f"/collectifs/{self.collective.slug}/ecrire/", contact_data(**overrides))
        self.assertRedirects(response, f"/collectifs/{self.collective.slug}/ecrire/envoye/")
        return Conversation.objects.get()

    def test_it_relays_a_visitor_message_to_the_organisers_without_the_visitor_address(self):
        conversation = self.write()
        work()
        (index,) = self.inbox.to(ORGANISER_EMAIL)
        raw, message = self.inbox.raw[index], self.inbox.messages[index]
        address = f"relay+{conversation.token}@relais.example.com"
        self.assertNotIn(VISITOR_EMAIL.encode(), raw)
        self.assertNotIn(b"visiteuse", raw)
        self.assertEqual(message["Reply-To"].addresses[0].addr_spec, address)
        self.assertEqual(message["From"].addresses[0].addr_spec, address)
        self.assertEqual(message["From"].addresses[0].display_name, "Véra L'Hôte via Technopolice")
        self.assertIn("Caméras place de l'Église", str(message["Subject"]))
        self.assertIn("nous voulons vous rejoindre.", message.get_content())
        self.assertEqual(self.inbox.envelopes[index], [ORGANISER_EMAIL])
        sent = RelayMessage.objects.get()
        self.assertIsNone(sent.due_at)
        self.assertIsNotNone(sent.sent_at)

    def test_each_organiser_gets_an_email_that_shows_no_other_organiser(self):
        from django.contrib.auth.models import User

        from .factories import add_organiser

        add_organiser(self.collective, User.objects.create_user("paul", "paul.orga@example.org", "x" * 20))
        self.write()
        work()
        self.assertEqual(
            sorted(e[0] for e in self.inbox.envelopes),
            ["organisatrice.secrete@example.org", "paul.orga@example.org"],
        )
        for index in self.inbox.to("paul.orga@example.org"):
            self.assertNotIn(ORGANISER_EMAIL.encode(), self.inbox.raw[index])

    def test_an_organiser_reply_reaches_the_visitor_without_the_organiser_address(self):
        conversation = self.write()
        work()
        address = relay_address(conversation)
        answer = reply(ORGANISER_EMAIL, address, "Bienvenue ! Réunion jeudi.\n\n> Bonjour,\n> nous voulons")
        self.assertEqual(receive(answer.as_bytes()), "handled\n")
        work()
        (index,) = self.inbox.to(VISITOR_EMAIL)
        raw, message = self.inbox.raw[index], self.inbox.messages[index]
        self.assertNotIn(ORGANISER_EMAIL.encode(), raw)
        self.assertNotIn(b"organisatrice", raw)
        self.assertEqual(message["Reply-To"].addresses[0].addr_spec, address)
        self.assertEqual(message["From"].addresses[0].display_name, "Technopolice Quimper via Technopolice")
        self.assertIn("Bienvenue ! Réunion jeudi.", message.get_content())
        self.assertNotIn("nous voulons", message.get_content())
        self.assertEqual(
            list(conversation.messages.values_list("direction", flat=True)),
            [Direction.TO_ORGANISERS, Direction.TO_VISITOR],
        )

    def test_the_visitor_answer_goes_back_to_the_organisers(self):
        conversation = self.write()
        receive(reply(VISITOR_EMAIL.upper(), relay_address(conversation), "Merci, à jeudi.").as_bytes())
        work()
        indexes = self.inbox.to(ORGANISER_EMAIL)
        self.assertEqual(len(indexes), 2)
        self.assertIn("Merci, à jeudi.", self.inbox.messages[indexes[-1]].get_content())
        self.assertNotIn(VISITOR_EMAIL.encode(), self.inbox.raw[indexes[-1]])

    def test_an_unknown_sender_is_held_not_relayed(self):
        conversation = self.write()
        work()
        out = receive(reply("mallory@example.com", relay_address(conversation), "Spam").as_bytes())
        self.assertIn("held", out)
        self.assertEqual(HeldMessage.objects.get().reason, "unknown sender")
        self.assertEqual(conversation.messages.count(), 1)

    def test_an_automatic_reply_is_held_so_two_autoresponders_cannot_loop(self):
        conversation = self.write()
        work()
        answer = reply(ORGANISER_EMAIL, relay_address(conversation), "Je suis en congés.")
        answer["Auto-Submitted"] = "auto-replied"
        receive(answer.as_bytes())
        self.assertEqual(HeldMessage.objects.get().reason, "automatic reply")
        self.assertEqual(conversation.messages.count(), 1)

    def test_an_unknown_token_or_garbage_is_held_and_the_command_succeeds(self):
        self.assertIn(
            "held", receive(reply(ORGANISER_EMAIL, "relay+0000@relais.example.com", "?").as_bytes())
        )
        self.assertIn("held", receive(b"\x00\xff not an email", "--recipient", "relay+zz@relais.example.com"))
        self.assertEqual(
            list(HeldMessage.objects.values_list("reason", flat=True)), ["unknown relay address"] * 2
        )
        self.assertEqual(bytes(HeldMessage.objects.order_by("pk").last().raw), b"\x00\xff not an email")

    def test_the_envelope_recipient_wins_over_the_headers(self):
        conversation = self.write()
        answer = reply(ORGANISER_EMAIL, "list@example.org", "Par la liste.")
        receive(answer.as_bytes(), "--recipient", relay_address(conversation))
        self.assertEqual(conversation.messages.last().direction, Direction.TO_VISITOR)

    def test_a_refusing_server_delays_the_message_which_is_delivered_later(self):
        self.stop_server()
        self.write()
        work()
        message = RelayMessage.objects.get()
        self.assertEqual(message.attempts, 1)
        self.assertIsNotNone(message.due_at)
        self.assertIsNone(message.sent_at)
        time_passes()
        work()
        message.refresh_from_db()
        self.assertEqual(message.attempts, 2)
        self.start_server()
        time_passes()
        work()
        message.refresh_from_db()
        self.assertIsNotNone(message.sent_at)
        self.assertIsNone(message.due_at)
        self.assertEqual(len(self.inbox.to(ORGANISER_EMAIL)), 1)

    @override_settings(RELAY_MAIL_ATTEMPTS=1)
    def test_the_sweep_fails_loudly_after_too_many_attempts_and_keeps_the_message(self):
        from django_tasks_db.models import DBTaskResult

        self.stop_server()
        self.write()
        work()
        self.assertTrue(DBTaskResult.objects.filter(status="FAILED").exists())
        self.assertIsNotNone(RelayMessage.objects.get().due_at)

    def test_a_script_in_the_message_arrives_as_plain_text(self):
        self.write(message="<script>alert('x')</script> & co", subject="<b>Objet</b> & co")
        work()
        message = self.inbox.messages[0]
        self.assertEqual(message.get_content_type(), "text/plain")
        self.assertIn("<script>alert('x')</script> & co", message.get_content())
        self.assertIn("<b>Objet</b> & co", str(message["Subject"]))


class StripQuotedTests(TransactionTestCase):
    def test_it_drops_the_quoted_message_and_its_attribution(self):
        text = "Oui.\n\nLe jeudi 3, Véra a écrit :\n> Bonjour\n> à vous"
        self.assertEqual(strip_quoted(text), "Oui.")

    def test_it_keeps_a_message_without_quotes(self):
        self.assertEqual(strip_quoted("Voici nos dates :\n- lundi"), "Voici nos dates :\n- lundi")
