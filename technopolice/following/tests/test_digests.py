"""Digests through a real SMTP server on loopback: exactly what changed since the last one, each
activity once, under the narrowest follow; a run killed halfway resumes without duplicates or
gaps; the unsubscribe link and headers turn digests off, a forged one changes nothing."""

import re
from io import StringIO
from unittest import mock

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import TransactionTestCase, override_settings

from technopolice.activity import actions as activity_actions
from technopolice.activity import subjects
from technopolice.following import actions, tokens
from technopolice.following.models import DigestSubscription, Frequency
from technopolice.lib import mail
from technopolice.registry.tests.factories import CommuneFactory, DossierFactory, TechnologyFactory
from technopolice.testing import smtp
from technopolice.testing.cases import BaseTestCase

from .helpers import ensure_kinds, happen, run, time_passes

PORT = smtp.free_port()
SITE = "https://technopolice.example"


@override_settings(MAILERS=smtp.mailers(PORT), SITE_URL=SITE)
class DigestTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        ensure_kinds()
        controller, self.inbox = smtp.start(PORT)
        self.addCleanup(controller.stop)
        self.commune = CommuneFactory()
        self.technology = TechnologyFactory()
        self.dossier = DossierFactory(communes=[self.commune], technologies=[self.technology])
        self.c, self.t, self.d = (subjects.key(o) for o in (self.commune, self.technology, self.dossier))

    def texts(self, address: str) -> list[str]:
        return [m.get_body(("plain",)).get_content() for m in self.inbox.messages if m["To"] == address]

    def test_two_periods_each_tell_exactly_what_happened_since_the_last(self):
        before = happen(self.dossier, "before-following", self.c)
        actions.follow(self.alice, self.c)
        first = [happen(self.dossier, f"first-{n}", self.c) for n in range(3)]
        happen(self.dossier, "elsewhere", "commune:99999")
        self.assertIn("1 digests sent", run())
        time_passes()
        second = [happen(self.dossier, f"second-{n}", self.c) for n in range(2)]
        run()
        one, two = self.texts("alice@example.org")
        for text, told, untold in ((one, first, second + [before]), (two, second, first + [before])):
            self.assertEqual(
                sorted(re.findall(r"(?:first|second|before-following)-?\d*", text)),
                sorted(a.title for a in told),
            )
            for activity in untold:
                self.assertNotIn(activity.title, text)
            self.assertNotIn("elsewhere", text)

    def test_nothing_new_sends_nothing_and_the_watermark_still_moves(self):
        actions.follow(self.alice, self.c)
        happen(self.dossier, "elsewhere", "commune:99999")
        self.assertIn("0 digests sent, 1 with nothing new", run())
        self.assertEqual(self.inbox.messages, [])
        subscription = DigestSubscription.objects.get(user=self.alice)
        self.assertEqual(subscription.last_activity_id, activity_actions.Activity.objects.latest("id").id)

    def test_an_activity_covered_by_several_follows_comes_once_under_the_narrowest(self):
        for key in (self.c, self.t, self.d):
            actions.follow(self.alice, key)
        happen(self.dossier, "covered-thrice", self.c, self.t, self.d)
        happen(self.dossier, "commune-only", self.c)
        run()
        (text,) = self.texts("alice@example.org")
        self.assertEqual(text.count("covered-thrice"), 1)
        dossier_section = text.index(f"== {self.dossier} ==")
        commune_section = text.index(f"== {self.commune} ==")
        self.assertLess(dossier_section, text.index("covered-thrice"))
        self.assertLess(text.index("covered-thrice"), commune_section)
        self.assertLess(commune_section, text.index("commune-only"))
        self.assertNotIn(f"== {self.technology} ==", text)  # nothing left under it

    def test_a_retracted_activity_is_not_in_the_digest(self):
        actions.follow(self.alice, self.c)
        hidden = CommuneFactory(insee="75056", name="Paris")  # any object of its own
        activity_actions.record("comment", hidden, title="hidden-comment", path="/x/", subjects=[self.c])
        happen(self.dossier, "kept", self.c)
        activity_actions.retract(hidden)
        run()
        (text,) = self.texts("alice@example.org")
        self.assertIn("kept", text)
        self.assertNotIn("hidden-comment", text)

    def test_who_gets_no_digest(self):
        for user in (self.alice, self.mallory, self.carol, self.bob):
            actions.follow(user, self.c)
        self.mallory.email = ""
        self.mallory.save()
        actions.set_frequency(self.carol, Frequency.WEEKLY)
        actions.set_frequency(self.bob, Frequency.OFF)
        happen(self.dossier, "news", self.c)
        run("daily")
        self.assertEqual([m["To"] for m in self.inbox.messages], ["alice@example.org"])
        run("daily")  # the last one is too recent
        self.assertEqual(len(self.inbox.messages), 1)
        run("weekly")
        self.assertEqual([m["To"] for m in self.inbox.messages], ["alice@example.org", "carol@example.org"])

    def test_links_are_absolute_in_the_readers_language_and_text_is_not_escaped(self):
        actions.follow(self.alice, self.c, language="en")
        happen(self.dossier, "L'Intérieur & <b>co</b>", self.c)
        run()
        (message,) = self.inbox.messages
        text = message.get_body(("plain",)).get_content()
        self.assertIn("L'Intérieur & <b>co</b>", text)
        self.assertIn(f"{SITE}/en{self.dossier.get_absolute_url()}", text)
        self.assertIn(f"{SITE}/en/suivre/mes-suivis/", text)
        self.assertIn("new item about what you follow", str(message["Subject"]))

    def test_a_run_killed_halfway_resumes_without_duplicates_or_gaps(self):
        users = [User.objects.create_user(f"u{n}", f"u{n}@example.org", "x") for n in range(6)]
        for user in users:
            actions.follow(user, self.c)
        happen(self.dossier, "period-1", self.c)
        real_send = mail.send

        def dies_after_three(message):
            if len(self.inbox.messages) == 3:  # the server's count: a resend on a new connection is one
                raise SystemExit("the worker is killed")
            real_send(message)

        with mock.patch.object(mail, "send", dies_after_three), self.assertRaises(SystemExit):
            run()
        happen(self.dossier, "period-2", self.c)  # happens while nobody runs
        run()
        by_user = {u.email: self.texts(u.email) for u in users}
        done, rest = [u.email for u in users[:3]], [u.email for u in users[3:]]
        for address in done:
            (text,) = by_user[address]
            self.assertIn("period-1", text)
            self.assertNotIn("period-2", text)  # not due yet: told next time
        for address in rest:
            (text,) = by_user[address]
            self.assertIn("period-1", text)
            self.assertIn("period-2", text)
        time_passes()
        run()
        for address in done:
            self.assertEqual(len(by_user[address]) + 1, len(self.texts(address)))
            self.assertIn("period-2", self.texts(address)[-1])
            self.assertNotIn("period-1", self.texts(address)[-1])
        for address in rest:
            self.assertEqual(len(self.texts(address)), 1)  # nothing new for them

    def test_the_unsubscribe_link_and_headers_turn_digests_off(self):
        actions.follow(self.alice, self.c)
        happen(self.dossier, "news", self.c)
        run()
        (message,) = self.inbox.messages
        self.assertEqual(message["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        link = re.fullmatch(r"<(.+)>", str(message["List-Unsubscribe"])).group(1)
        self.assertTrue(link.startswith(f"{SITE}/suivre/desabonner/"))
        self.assertIn(link, message.get_body(("plain",)).get_content())
        path = link.removeprefix(SITE)
        self.client.logout()
        self.assertContains(self.client.get(path), '<form method="post"')
        self.assertEqual(DigestSubscription.objects.get(user=self.alice).frequency, Frequency.DAILY)
        # A mail client's one-click POST (RFC 8058): no cookie, no CSRF token.
        response = self.csrf_client.post(path, {"List-Unsubscribe": "One-Click"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(DigestSubscription.objects.get(user=self.alice).frequency, Frequency.OFF)

    def test_a_forged_or_tampered_token_is_refused_and_changes_nothing(self):
        actions.follow(self.alice, self.c)
        genuine = tokens.make(self.alice.pk)
        from django.core import signing

        for token in (
            genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB"),
            signing.dumps({"u": self.alice.pk, "p": "digests-off"}, salt="another"),
            signing.dumps({"u": self.alice.pk, "p": "login"}, salt=tokens.SALT),
            "nonsense",
        ):
            with self.subTest(token=token):
                for method in (self.client.get, self.client.post):
                    response = method(f"/en/suivre/desabonner/{token}/")
                    self.assertContains(response, "This unsubscribe link is not valid", status_code=400)
        self.assertEqual(DigestSubscription.objects.get(user=self.alice).frequency, Frequency.DAILY)


@override_settings(TASKS=settings.TASKS, MAILERS=smtp.mailers(PORT))
class CommandTests(TransactionTestCase):
    """What the timer runs: the command queues the task, the real worker sends."""

    def setUp(self):
        ensure_kinds()
        controller, self.inbox = smtp.start(PORT)
        self.addCleanup(controller.stop)

    def test_the_command_queues_the_digest_and_the_worker_sends_it(self):
        user = User.objects.create_user("zoe", "zoe@example.org", "x")
        commune = CommuneFactory()
        actions.follow(user, subjects.key(commune))
        happen(commune, "news", subjects.key(commune))
        out = StringIO()
        call_command("send_digests", "--frequency", "daily", stdout=out)
        self.assertIn("daily", out.getvalue())
        self.assertEqual(self.inbox.messages, [])
        call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
        self.assertEqual([m["To"] for m in self.inbox.messages], ["zoe@example.org"])

    def test_a_bad_frequency_is_refused(self):
        from django.core.management.base import CommandError

        with self.assertRaisesMessage(CommandError, "--frequency doit valoir daily ou weekly."):
            call_command("send_digests", "--frequency", "hourly", stdout=StringIO())
