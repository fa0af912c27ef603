import base64
import json
import re
import shutil
import tempfile
import zoneinfo
from io import StringIO
from unittest import mock

from django.contrib.auth.models import User
from django.core.management import call_command, load_command_class
from django.test import Client, SimpleTestCase, TestCase, override_settings
from django.utils import timezone, translation
from django_otp.oath import totp

from technopolice.activity.models import Activity
from technopolice.collectives.models import Collective, Membership
from technopolice.demo import steps
from technopolice.events import models as events
from technopolice.registry import demo
from technopolice.registry.models import Commune, Dossier, Event, Organisation, Revision

PASSWORD = "demo-password-for-tests"  # noqa: S105 (a test fixture)


def load_demo() -> str:
    out = StringIO()
    with translation.override("en"):  # the assertions read the English messages
        call_command("load_demo", stdout=out)
    return out.getvalue()


class LoadDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        # The demo writes the campaign's private key into DATA_DIR: a folder of the test's own,
        # not the checkout's var/, where a later real demo would find and reuse it.
        data_dir = tempfile.mkdtemp(prefix="tp-demo-")
        cls.addClassCleanup(shutil.rmtree, data_dir)
        with mock.patch.dict("os.environ", {"DEMO_PASSWORD": PASSWORD}), override_settings(DATA_DIR=data_dir):
            cls.output = load_demo()

    def test_it_runs_each_step_in_order_and_says_so(self):
        names = [name for name, _step in steps.demo_steps()]
        expected = [
            "accounts",
            "communes",
            "graph",
            "dossiers",
            "cameras",
            "complaints",
            "collectives",
            "events",
            "discussion",
            "following",
        ]
        self.assertEqual(names, expected)
        for number, name in enumerate(names, start=1):
            self.assertIn(f"[{number}/{len(names)}] {name}: ", self.output)
        self.assertIn("Demo data loaded in", self.output)

    def test_it_loads_communes_and_the_graph(self):
        self.assertGreater(Commune.objects.count(), 34000)
        self.assertEqual(Organisation.objects.get(slug="ville-de-nice").commune.insee, "06088")

    def test_it_publishes_the_example_dossiers_with_revisions_and_sources(self):
        entries = json.loads(demo.DEMO_DOSSIERS.read_text(encoding="utf-8"))
        self.assertTrue(6 <= len(entries) <= 10)
        self.assertEqual(Dossier.objects.count(), len(entries))
        moderator = User.objects.get(username="moderatrice")
        for dossier in Dossier.objects.all():
            with self.subTest(dossier=dossier.title):
                self.assertTrue(dossier.is_example)
                self.assertTrue(dossier.title.startswith("[Exemple] "))
                self.assertIn("Dossier d'exemple", dossier.description)
                self.assertTrue(dossier.sources.exists())
                self.assertEqual(dossier.revisions.get().moderator, moderator)
                self.assertEqual(dossier.vouched_by, moderator)

    def test_examples_carry_dated_outcomes(self):
        outcomes = Event.objects.outcomes()
        self.assertTrue(outcomes.filter(kind="court_decision", verdict="victory").exists())
        self.assertTrue(outcomes.filter(kind="cnil_opinion").exists())
        taj = Dossier.objects.get(title__contains="TAJ")
        self.assertTrue(taj.is_national)
        self.assertEqual(taj.operator.name, "Ministère de l'Intérieur")

    def test_it_creates_a_moderator_and_an_administrator_and_prints_their_password_once(self):
        self.assertIn(f"moderatrice created with the password {PASSWORD}", self.output)
        moderator, admin = User.objects.get(username="moderatrice"), User.objects.get(username="admin")
        self.assertTrue(moderator.has_perm("moderation.moderate_proposal"))
        self.assertFalse(moderator.is_staff)
        self.assertTrue(admin.is_staff and admin.check_password(PASSWORD))
        self.assertTrue(self.client.login(username="moderatrice", password=PASSWORD))

    def test_it_prints_what_logs_the_staff_in_past_the_second_factor(self):
        for username in ("moderatrice", "admin"):
            with self.subTest(username=username):
                client = Client()
                self.assertTrue(client.login(username=username, password=PASSWORD))
                self.assertEqual(client.get("/en/moderation/").status_code, 302)  # a code first
                printed = re.search(
                    rf"{username} created with the password \S+ \(second factor: TOTP secret (\w+), "
                    r"code now \d{6}, recovery codes ([\w ]+)\)",
                    self.output,
                )
                self.assertIsNotNone(printed, self.output)
                secret, codes = printed.group(1), printed.group(2).split()
                self.assertEqual(len(codes), 10)
                code = f"{totp(base64.b32decode(secret)):06d}"
                client.post("/en/comptes/deux-facteurs/verifier/", {"token": code})
                self.assertEqual(client.get("/en/moderation/").status_code, 200)
                client.logout()
                self.assertTrue(client.login(username=username, password=PASSWORD))
                client.post("/en/comptes/deux-facteurs/verifier/", {"token": codes[0]})
                self.assertEqual(client.get("/en/moderation/").status_code, 200)

    def test_it_lists_example_collectives_with_an_organiser_who_can_be_reached(self):
        collectives = Collective.objects.listed().filter(is_example=True)
        self.assertEqual(collectives.count(), 3)
        self.assertEqual(collectives.filter(is_dormant=True).count(), 1)
        nice = collectives.get(communes__insee="06088")
        self.assertIn("exemple", nice.description)
        organiser = nice.memberships.get(role="organiser", status="active").user
        self.assertEqual(
            (organiser.username, organiser.email), ("organisatrice", "organisatrice@example.org")
        )
        self.assertTrue(organiser.check_password(PASSWORD))
        self.assertIn("organisatrice created with the password", self.output)
        self.assertTrue(nice.memberships.filter(status="requested").exists())  # a request waits for her

    def test_it_dates_an_upcoming_meeting_a_council_session_and_a_past_event(self):
        upcoming = events.Event.objects.upcoming().filter(is_example=True)
        meeting = upcoming.get(kind="meeting")
        paris = meeting.starts_at.astimezone(zoneinfo.ZoneInfo("Europe/Paris"))
        self.assertEqual((paris.hour, paris.minute), (19, 0))
        self.assertTrue(14 <= (meeting.starts_at - timezone.now()).days <= 21)
        council = upcoming.get(kind="council")
        self.assertIn("Nice", council.dossier.title)
        self.assertEqual(council.department.code, "06")
        self.assertEqual(events.Event.objects.past().filter(is_example=True).count(), 1)

    def test_the_feeds_have_the_examples_activity(self):
        kinds = set(Activity.objects.values_list("kind", flat=True))
        self.assertLessEqual({"dossier_published", "outcome", "collective_listed", "event", "comment"}, kinds)
        self.assertEqual(Activity.objects.filter(kind="dossier_published").count(), Dossier.objects.count())

    def test_a_second_run_duplicates_nothing_and_keeps_passwords(self):
        counts = (Dossier.objects.count(), Revision.objects.count(), Organisation.objects.count())
        counts += (Collective.objects.count(), Membership.objects.count(), events.Event.objects.count())
        counts += (Activity.objects.count(),)
        output = load_demo()
        self.assertEqual(
            (Dossier.objects.count(), Revision.objects.count(), Organisation.objects.count())
            + (Collective.objects.count(), Membership.objects.count(), events.Event.objects.count())
            + (Activity.objects.count(),),
            counts,
        )
        self.assertIn("moderatrice exists, password unchanged", output)
        self.assertNotIn("password demo", output)
        self.assertIn("0 published or updated", output)
        self.assertTrue(User.objects.get(username="admin").check_password(PASSWORD))

    def test_an_edited_example_is_published_as_a_new_revision(self):
        dossier = Dossier.objects.get(title__contains="Moirans")
        dossier.status = "abandoned"
        dossier.save()
        load_demo()
        dossier.refresh_from_db()
        self.assertEqual((dossier.status, dossier.revisions.count()), ("deployed", 2))

    def test_a_new_importer_joins_with_one_step(self):
        extended = [*demo.STEPS, ("extra", lambda: "extra data loaded")]
        total = len(steps.demo_steps()) + 1
        with mock.patch.object(demo, "STEPS", extended):
            output = load_demo()
        self.assertIn(f"[5/{total}] extra: extra data loaded", output)


class LoadDemoHelpTests(SimpleTestCase):
    def test_the_help_is_translated_and_names_the_password_variable(self):
        for language, words in (("en", "Load the demo data"), ("fr", "Charge les données de démonstration")):
            with self.subTest(language=language), translation.override(language):
                parser = load_command_class("technopolice.demo", "load_demo").create_parser(
                    "technopolice", "load_demo"
                )
                self.assertIn("DEMO_PASSWORD", parser.format_help())
                self.assertIn(words, " ".join(parser.format_help().split()))
