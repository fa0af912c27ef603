"""Following from a page's button: POST only, CSRF-protected, for accounts with an email, and only
what is public; the follows page and the digest's rhythm."""

from technopolice.activity import subjects
from technopolice.following.models import DigestSubscription, Follow, Frequency
from technopolice.registry.tests.factories import CommuneFactory, DossierFactory
from technopolice.testing.cases import BaseTestCase

from .helpers import ensure_kinds, happen


class FollowTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        ensure_kinds()
        self.commune = CommuneFactory()
        self.key = subjects.key(self.commune)
        self.page = self.commune.get_absolute_url()

    def test_it_follows_and_goes_back_to_the_page(self):
        self.login(self.alice)
        response = self.client.post("/suivre/", {"key": self.key, "next": self.page})
        self.assertRedirects(response, self.page, fetch_redirect_response=False)
        self.assertTrue(Follow.objects.filter(user=self.alice, key=self.key).exists())
        self.assertEqual(DigestSubscription.objects.get(user=self.alice).frequency, Frequency.DAILY)

    def test_following_twice_is_following_once(self):
        self.login(self.alice)
        self.client.post("/suivre/", {"key": self.key})
        self.client.post("/suivre/", {"key": self.key})
        self.assertEqual(Follow.objects.filter(user=self.alice).count(), 1)

    def test_the_button_follows_then_unfollows(self):
        self.login(self.alice)
        page = self.client.get(f"/en{self.page}")
        self.assertContains(page, 'action="/en/suivre/"')
        self.assertContains(page, ">Follow</button>")
        self.client.post("/suivre/", {"key": self.key})
        page = self.client.get(f"/en{self.page}")
        self.assertContains(page, 'action="/en/suivre/arreter/"')
        self.assertContains(page, ">Unfollow</button>")
        self.assertContains(page, "1 follower<")
        self.client.post("/suivre/arreter/", {"key": self.key, "next": self.page})
        self.assertFalse(Follow.objects.exists())

    def test_a_post_without_csrf_token_is_refused(self):
        self.login(self.alice, self.csrf_client)
        response = self.csrf_client.post("/suivre/", {"key": self.key})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Follow.objects.exists())

    def test_a_post_with_the_pages_csrf_token_is_accepted(self):
        self.login(self.alice, self.csrf_client)
        self.csrf_client.get(self.page)
        token = self.csrf_client.cookies["csrftoken"].value
        response = self.csrf_client.post("/suivre/", {"key": self.key, "csrfmiddlewaretoken": token})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Follow.objects.filter(user=self.alice).exists())

    def test_a_visitor_is_sent_to_log_in_and_shown_a_link_on_the_page(self):
        self.assertContains(self.client.get(self.page), "/comptes/connexion/?next=")
        response = self.client.post("/suivre/", {"key": self.key, "next": self.page})
        self.assertEqual(response.status_code, 302)
        self.assertIn("/comptes/connexion/?next=", response["Location"])
        self.assertFalse(Follow.objects.exists())

    def test_an_account_without_email_is_asked_to_add_one(self):
        self.alice.email = ""
        self.alice.save()
        self.login(self.alice)
        self.assertContains(self.client.get(self.page), "/comptes/compte/adresse/")
        response = self.client.post("/suivre/", {"key": self.key})
        self.assertContains(response, "/comptes/compte/adresse/", status_code=403)
        self.assertFalse(Follow.objects.exists())

    def test_bad_keys_are_refused_with_a_clear_message(self):
        self.login(self.alice)
        for key in ("", "commune:999999", "commune:abc", "site", "user:1", "x" * 5000, "dossier:-1"):
            with self.subTest(key=key[:20]):
                response = self.client.post("/en/suivre/", {"key": key})
                self.assertContains(response, "follow", status_code=400)
        self.assertFalse(Follow.objects.exists())

    def test_there_is_a_cap_on_follows(self):
        Follow.objects.bulk_create(
            Follow(user=self.alice, key=f"commune:{n}") for n in range(10**6, 10**6 + 500)
        )
        self.login(self.alice)
        response = self.client.post("/en/suivre/", {"key": self.key})
        self.assertContains(response, "You follow 500 pages already", status_code=400)
        self.assertFalse(Follow.objects.filter(key=self.key).exists())

    def test_an_unsafe_next_goes_to_the_follows_page(self):
        self.login(self.alice)
        response = self.client.post("/suivre/", {"key": self.key, "next": "https://evil.example/"})
        self.assertRedirects(response, "/suivre/mes-suivis/", fetch_redirect_response=False)

    def test_get_is_not_allowed(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(f"/suivre/?key={self.key}").status_code, 405)


class MyFollowsTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        ensure_kinds()
        self.commune = CommuneFactory()
        self.dossier = DossierFactory(communes=[self.commune])
        self.login(self.alice)
        for obj in (self.commune, self.dossier):
            self.client.post("/suivre/", {"key": subjects.key(obj)})

    def test_it_lists_follows_and_the_activity_they_cover_newest_first_each_once(self):
        commune, dossier = subjects.key(self.commune), subjects.key(self.dossier)
        happen(self.dossier, "older", commune, dossier)
        happen(self.dossier, "newer", dossier)
        happen(self.dossier, "elsewhere", "commune:1234567")
        page = self.client.get("/suivre/mes-suivis/").content.decode()
        self.assertIn(self.commune.get_absolute_url(), page)
        self.assertIn(self.dossier.get_absolute_url(), page)
        self.assertEqual(page.count(">older<"), 1)
        self.assertLess(page.index(">newer<"), page.index(">older<"))
        self.assertNotIn("elsewhere", page)

    def test_it_sets_the_digest_rhythm(self):
        self.client.post("/suivre/frequence/", {"frequency": "weekly"})
        self.assertEqual(DigestSubscription.objects.get(user=self.alice).frequency, Frequency.WEEKLY)
        response = self.client.post("/en/suivre/frequence/", {"frequency": "hourly"})
        self.assertContains(response, "Choose daily, weekly or no email.", status_code=400)
        self.assertEqual(DigestSubscription.objects.get(user=self.alice).frequency, Frequency.WEEKLY)

    def test_it_needs_an_account(self):
        self.client.logout()
        self.assertEqual(self.client.get("/suivre/mes-suivis/").status_code, 302)
