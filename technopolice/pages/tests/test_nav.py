from technopolice.testing.cases import BaseTestCase


class NavTests(BaseTestCase):
    def test_it_links_every_part_of_the_platform(self):
        response = self.client.get("/")
        for href in ("/dossiers/", "/carte/", "/technologies/", "/organisations/", "/decisions/",
                     "/documents/", "/plaintes/", "/recherche/", "/proposer/"):  # fmt: skip
            self.assertContains(response, f'href="{href}"')

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
