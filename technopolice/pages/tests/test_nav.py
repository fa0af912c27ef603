from django.test import override_settings

from technopolice.test import BaseTestCase


class NavWithoutOtherAppsTests(BaseTestCase):
    def test_it_leaves_out_links_to_views_not_written_yet(self):
        response = self.client.get("/")
        self.assertContains(response, 'href="/dossiers/"')
        self.assertContains(response, 'href="/decisions/"')
        self.assertNotContains(response, 'href="/carte/"')


@override_settings(ROOT_URLCONF="technopolice.pages.tests.nav_urls")
class NavTests(BaseTestCase):
    def test_it_links_to_the_map_once_it_exists(self):
        self.assertContains(self.client.get("/"), 'href="/carte/"')

    def test_it_shows_the_moderation_queue_to_moderators_only(self):
        self.assertNotContains(self.client.get("/"), 'href="/moderation/"')
        self.login(self.alice)
        self.assertNotContains(self.client.get("/"), 'href="/moderation/"')
        self.login(self.bob)
        self.assertContains(self.client.get("/"), 'href="/moderation/"')

    def test_it_offers_login_to_visitors_and_logout_as_a_post_to_members(self):
        self.assertContains(self.client.get("/"), 'href="/comptes/connexion/"')
        self.login(self.alice)
        response = self.client.get("/")
        self.assertContains(response, 'method="post" action="/comptes/deconnexion/"')
        self.assertNotContains(response, 'href="/comptes/connexion/"')
