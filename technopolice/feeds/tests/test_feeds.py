"""The Atom feeds: valid Atom, read by a feed library, one subject each, in the reader's language."""

from pathlib import Path

import feedparser
from lxml import etree

from technopolice.activity import actions as activity
from technopolice.collectives import actions as collectives
from technopolice.collectives.models import CollectiveStatus
from technopolice.collectives.tests.factories import CollectiveFactory
from technopolice.registry import actions as registry
from technopolice.registry.models import Commune, Department, Organisation, Region, Technology
from technopolice.registry.tests.factories import OrganisationFactory, SourceFactory, dossier_payload
from technopolice.testing.cases import BaseTestCase

ATOM = "{http://www.w3.org/2005/Atom}"
SCHEMA = etree.RelaxNG(etree.parse(Path(__file__).with_name("atom.rng")))


class FeedTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        OrganisationFactory(name="Serenicity")
        cls.dossier = registry.publish_dossier(dossier_payload(vendors=["serenicity"]), cls.bob)
        cls.commune = Commune.objects.get(insee="42218")
        cls.collective = CollectiveFactory(
            name="Technopolice Loire", status=CollectiveStatus.PENDING, communes=[cls.commune]
        )

    def fetch(self, url: str):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        self.assertEqual(response["Content-Type"], "application/atom+xml; charset=utf-8")
        return response.content

    def assertValidAtom(self, content: bytes):
        """RFC 4287's grammar, its two rules the grammar cannot say, and a feed reader's verdict."""
        root = etree.fromstring(content)
        self.assertTrue(SCHEMA.validate(root), SCHEMA.error_log)
        has_author = root.find(f"{ATOM}author") is not None
        for entry in root.iter(f"{ATOM}entry"):
            self.assertTrue(has_author or entry.find(f"{ATOM}author") is not None)
            links = [
                link for link in entry.iter(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"
            ]
            self.assertTrue(links or entry.find(f"{ATOM}content") is not None)
        parsed = feedparser.parse(content)
        self.assertEqual((parsed.bozo, parsed.version), (0, "atom10"))
        for entry in parsed.entries:
            self.assertTrue(entry.id and entry.title and entry.updated_parsed)
        return parsed


class SiteFeedTests(FeedTestCase):
    def test_it_is_valid_atom_with_everything_newest_first(self):
        parsed = self.assertValidAtom(self.fetch("/en/flux/site.atom"))
        titles = [entry.title for entry in parsed.entries]
        self.assertEqual(
            titles,
            [
                "Outcome: Micros de surveillance à Saint-Étienne — La CNIL met en garde la ville",
                "New dossier: Micros de surveillance à Saint-Étienne",
            ],
        )
        self.assertEqual(parsed.feed.title, "Technopolice: what happens on the platform")
        self.assertEqual(parsed.feed.link, "http://testserver/en/")
        french = self.assertValidAtom(self.fetch("/flux/site.atom"))
        self.assertEqual(french.entries[-1].title, "Nouveau dossier : Micros de surveillance à Saint-Étienne")

    def test_an_empty_feed_is_valid_too(self):
        activity.retract(self.dossier)
        parsed = self.assertValidAtom(self.fetch("/flux/site.atom"))
        self.assertEqual(parsed.entries, [])

    def test_entries_link_the_page_in_the_feeds_language_under_one_id(self):
        english = feedparser.parse(self.fetch("/en/flux/site.atom")).entries[-1]
        french = feedparser.parse(self.fetch("/flux/site.atom")).entries[-1]
        self.assertEqual(english.link, f"http://testserver/en/dossiers/{self.dossier.slug}/")
        self.assertEqual(french.link, f"http://testserver/dossiers/{self.dossier.slug}/")
        self.assertEqual(english.id, french.id)
        self.assertRegex(english.id, r"^tag:127\.0\.0\.1,\d{4}-\d{2}-\d{2}:activity:\d+$")

    def test_a_summary_is_text_never_markup(self):
        source = SourceFactory(dossier=self.dossier)
        activity.record(
            "comment", source, title="Un avis", path="/x/", subjects=[], summary="<script>x</script> & co"
        )
        content = self.fetch("/en/flux/site.atom")
        self.assertNotIn(b"<script>", content)
        self.assertEqual(
            feedparser.parse(content).entries[0].summary, "&lt;script&gt;x&lt;/script&gt; &amp; co"
        )

    def test_a_retracted_comment_is_in_no_feed(self):
        source = SourceFactory(dossier=self.dossier)  # stands for a comment: any object will do
        keys = [f"dossier:{self.dossier.pk}", f"commune:{self.commune.pk}"]
        activity.record("comment", source, title="Un commentaire caché", path="/x/", subjects=keys)
        urls = [
            "/flux/site.atom",
            f"/flux/dossier/{self.dossier.slug}.atom",
            "/flux/commune/saint-etienne-42218.atom",
        ]
        for url in urls:
            self.assertIn(b"Un commentaire cach", self.fetch(url))
        activity.retract(source)  # what discussion does when a moderator hides a comment
        for url in urls:
            self.assertNotIn(b"Un commentaire cach", self.fetch(url))

    def test_it_keeps_the_latest_fifty(self):
        for n in range(52):
            activity.record("dossier_changed", self.dossier, title=f"Change {n}", path="/x/", subjects=[])
        entries = feedparser.parse(self.fetch("/en/flux/site.atom")).entries
        self.assertEqual(len(entries), 50)
        self.assertEqual(entries[0].title, "Dossier changed: Change 51")


class SubjectFeedTests(FeedTestCase):
    def test_each_subject_has_a_valid_feed_of_its_own_activity(self):
        department = Department.objects.get(code="42")
        feeds = [
            f"/flux/commune/{self.commune.slug}.atom",
            f"/flux/departement/{department.slug}.atom",
            f"/flux/region/{Region.objects.get(pk=department.region_id).slug}.atom",
            "/flux/technologie/audio-sensors.atom",
            "/flux/organisation/serenicity.atom",
            f"/flux/dossier/{self.dossier.slug}.atom",
        ]
        for url in feeds:
            with self.subTest(url):
                parsed = self.assertValidAtom(self.fetch(url))
                self.assertEqual(len(parsed.entries), 2)

    def test_a_subject_hears_only_about_itself(self):
        other = Technology.objects.exclude(slug="audio-sensors").first()
        parsed = self.assertValidAtom(self.fetch(f"/en/flux/technologie/{other.slug}.atom"))
        self.assertEqual(parsed.entries, [])
        self.assertEqual(parsed.feed.title, f"Technopolice: {other.name_en}")
        self.assertEqual(parsed.feed.link, f"http://testserver/en/technologies/{other.slug}/")

    def test_a_collective_has_a_feed_once_listed(self):
        url = f"/flux/collectif/{self.collective.slug}.atom"
        self.assertEqual(self.client.get(url).status_code, 404)
        collectives.list_collective(self.collective.pk)
        parsed = self.assertValidAtom(self.fetch("/en" + url))
        self.assertEqual([e.title for e in parsed.entries], ["Collective: Technopolice Loire"])
        commune = self.assertValidAtom(self.fetch(f"/en/flux/commune/{self.commune.slug}.atom"))
        self.assertIn("Collective: Technopolice Loire", [e.title for e in commune.entries])

    def test_unknown_or_malformed_slugs_are_404(self):
        for url in [
            "/flux/commune/nulle-part.atom",
            "/flux/dossier/inconnu.atom",
            "/flux/organisation/%3Cscript%3E.atom",
            "/flux/commune/saint-etienne-42218.rss",
            "/flux/commune/.atom",
            "/flux/inconnu/x.atom",
            "/en/flux/dossier/" + "a" * 5000 + ".atom",
        ]:
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_refused_collective_has_no_feed(self):
        refused = CollectiveFactory(status=CollectiveStatus.REFUSED)
        self.assertEqual(self.client.get(f"/flux/collectif/{refused.slug}.atom").status_code, 404)


class FeedLinkTests(FeedTestCase):
    def assertLinksFeed(self, page: str, feed: str):
        html = self.client.get(page).content.decode()
        self.assertInHTML(
            f'<link rel="alternate" type="application/atom+xml" href="{feed}" title="{self.title_of(html)}">',
            html,
        )
        self.assertIn(f'<a rel="alternate" type="application/atom+xml" href="{feed}">', html)

    def title_of(self, html: str) -> str:
        start = html.index('type="application/atom+xml" title="') + len('type="application/atom+xml" title="')
        return html[start : html.index('"', start)]

    def test_every_followable_page_links_its_feed(self):
        department = Department.objects.get(code="42")
        organisation = Organisation.objects.get(slug="serenicity")
        pages = {
            "/en/": "/en/flux/site.atom",
            f"/en/communes/{self.commune.slug}/": f"/en/flux/commune/{self.commune.slug}.atom",
            f"/en/departements/{department.slug}/": f"/en/flux/departement/{department.slug}.atom",
            f"/en/regions/{department.region.slug}/": f"/en/flux/region/{department.region.slug}.atom",
            "/en/technologies/audio-sensors/": "/en/flux/technologie/audio-sensors.atom",
            f"/en/organisations/{organisation.slug}/": f"/en/flux/organisation/{organisation.slug}.atom",
            f"/dossiers/{self.dossier.slug}/": f"/flux/dossier/{self.dossier.slug}.atom",
        }
        for page, feed in pages.items():
            with self.subTest(page):
                self.assertLinksFeed(page, feed)
                self.assertEqual(self.client.get(feed).status_code, 200)

    def test_a_collective_links_its_feed_once_listed(self):
        page = f"/en/collectifs/{self.collective.slug}/"
        self.login(self.bob)  # moderators see a pending collective's page
        self.assertNotContains(self.client.get(page), "application/atom+xml")
        collectives.list_collective(self.collective.pk)
        self.assertLinksFeed(page, f"/en/flux/collectif/{self.collective.slug}.atom")


class DeletionTests(FeedTestCase):
    """What is deleted leaves the feeds with its activity (a generic relation on each recorded model)."""

    def test_a_deleted_dossier_or_collective_is_in_no_feed(self):
        activity.record(
            "collective_listed", self.collective, title="Technopolice Loire", path="/x/", subjects=[]
        )
        site = self.fetch("/en/flux/site.atom")
        self.assertIn(b"Micros de surveillance", site)
        self.assertIn(b"Technopolice Loire", site)
        self.dossier.delete()
        self.collective.delete()
        after = feedparser.parse(self.fetch("/en/flux/site.atom"))
        self.assertEqual(after.entries, [])
