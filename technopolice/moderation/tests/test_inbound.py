"""The inbound entry point: receive_email dispatches by plus-address prefix, keeps what no mailbox
takes (never drops it), and asks the mail server to retry when the database is down."""

import os
import subprocess
import sys
from email.message import EmailMessage
from io import BytesIO, StringIO

from django.core.management import call_command
from django.test import TestCase

from technopolice.moderation import inbound
from technopolice.moderation.models import HeldMessage
from technopolice.testing.cases import BaseTestCase


def received(raw: bytes, *args) -> str:
    out = StringIO()
    call_command("receive_email", *args, stdin=BytesIO(raw), stdout=out)
    return out.getvalue()


def message(to: str, body: str = "Bonjour", **headers) -> bytes:
    mail = EmailMessage()
    mail["From"] = "someone@example.net"
    mail["To"] = to
    mail["Subject"] = headers.pop("subject", "Un sujet")
    for name, value in headers.items():
        mail[name.replace("_", "-")] = value
    mail.set_content(body)
    return mail.as_bytes()


class MailboxTests(TestCase):
    def setUp(self):
        self.seen = []
        saved = dict(inbound._mailboxes)
        self.addCleanup(lambda: (inbound._mailboxes.clear(), inbound._mailboxes.update(saved)))
        inbound.register_mailbox("test", lambda rest, mail: self.seen.append((rest, inbound.text_body(mail))))

    def test_it_dispatches_to_the_mailbox_of_the_prefix(self):
        self.assertEqual(received(message("Box <test+abc123@example.org>", "Salut")), "handled\n")
        self.assertEqual(self.seen, [("abc123", "Salut\n")])
        self.assertFalse(HeldMessage.objects.exists())

    def test_it_reads_delivered_to_before_the_to_header(self):
        received(message("list@example.org", Delivered_To="test+fromenvelope@example.org"))
        self.assertEqual(self.seen[0][0], "fromenvelope")

    def test_the_recipient_argument_wins(self):
        received(message("test+header@example.org"), "--recipient", "test+argument@example.org")
        self.assertEqual(self.seen[0][0], "argument")

    def test_an_address_no_mailbox_takes_is_held_with_exit_status_0(self):
        raw = message("nobody+abc@example.org")
        self.assertIn("held", received(raw))
        held = HeldMessage.objects.get()
        self.assertEqual(bytes(held.raw), raw)
        self.assertEqual(held.reason, "no mailbox for this address")
        self.assertEqual(held.subject, "Un sujet")

    def test_a_handler_may_hold_a_message_with_its_reason(self):
        def refuse(rest, mail):
            raise inbound.Hold("unknown relay address")

        inbound.register_mailbox("refuse", refuse)
        received(message("refuse+x@example.org"))
        self.assertEqual(HeldMessage.objects.get().reason, "unknown relay address")

    def test_garbage_bytes_are_held_not_dropped(self):
        raw = b"\xff\xfe\x00garbage\x80\x81 no headers at all\r\n\r\n\xc3\x28"
        self.assertIn("held", received(raw))
        self.assertEqual(bytes(HeldMessage.objects.get().raw), raw)

    def test_a_badly_encoded_message_still_reaches_its_mailbox(self):
        raw = (
            b"From: x@example.net\r\nTo: test+enc@example.org\r\nSubject: =?x-unknown?q?caf=E9?=\r\n"
            b"Content-Type: text/plain; charset=x-unknown\r\n"
            b"Content-Transfer-Encoding: 8bit\r\n\r\ncaf\xe9\r\n"
        )
        received(raw)
        self.assertEqual(self.seen[0][0], "enc")

    def test_a_prefix_with_a_plus_is_refused(self):
        with self.assertRaises(ValueError):
            inbound.register_mailbox("a+b", lambda rest, mail: None)

    def test_text_body_prefers_the_plain_part_and_strips_html_otherwise(self):
        mail = EmailMessage()
        mail.set_content("<p>Seul <b>HTML</b></p>", subtype="html")
        self.assertEqual(inbound.text_body(mail).strip(), "Seul HTML")
        mail.add_alternative("Texte", subtype="plain")
        self.assertEqual(inbound.text_body(mail).strip(), "Texte")


class DatabaseDownTests(TestCase):
    def test_exit_status_75_when_the_database_is_unavailable(self):
        # A real process against a database server that is not there: the mail server must retry.
        env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/nothing"}
        process = subprocess.run(
            [sys.executable, "-m", "technopolice", "receive_email"],
            input=message("relay+abc@example.org"),
            env=env,
            capture_output=True,
            timeout=60,
            check=False,
        )
        self.assertEqual(process.returncode, 75, process.stderr.decode(errors="replace"))


class HeldPagesTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.held = HeldMessage.objects.create(
            raw=message("relay+zz@example.org", subject="<script>x</script>"),
            recipient="relay+zz@example.org",
            reason="unknown relay address",
        )

    def test_moderators_list_and_read_held_emails(self):
        self.login(self.bob)
        self.assertContains(self.client.get("/moderation/"), 'href="/moderation/courrier/"')
        response = self.client.get("/moderation/courrier/")
        self.assertContains(response, "unknown relay address")
        self.assertContains(response, "&lt;script&gt;x&lt;/script&gt;")
        response = self.client.get(f"/moderation/courrier/{self.held.pk}/")
        self.assertContains(response, "relay+zz@example.org")
        self.assertNotContains(response, "<script>x")

    def test_a_moderator_discards_one(self):
        client = self.login(self.bob, self.csrf_client)
        page = client.get(f"/moderation/courrier/{self.held.pk}/")
        token = (
            page.cookies["csrftoken"].value
            if "csrftoken" in page.cookies
            else client.cookies["csrftoken"].value
        )
        response = client.post(
            f"/moderation/courrier/{self.held.pk}/supprimer/", {"csrfmiddlewaretoken": token}
        )
        self.assertRedirects(response, "/moderation/courrier/")
        self.assertFalse(HeldMessage.objects.exists())

    def test_discarding_needs_post_and_csrf(self):
        client = self.login(self.bob, self.csrf_client)
        self.assertEqual(client.get(f"/moderation/courrier/{self.held.pk}/supprimer/").status_code, 405)
        self.assertEqual(client.post(f"/moderation/courrier/{self.held.pk}/supprimer/").status_code, 403)
        self.assertTrue(HeldMessage.objects.exists())

    def test_others_cannot_read_them(self):
        self.login(self.mallory)
        self.assertEqual(self.client.get("/moderation/courrier/").status_code, 403)
        self.assertEqual(self.client.post(f"/moderation/courrier/{self.held.pk}/supprimer/").status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(f"/moderation/courrier/{self.held.pk}/").status_code, 302)
        self.assertTrue(HeldMessage.objects.exists())
