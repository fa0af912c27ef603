from technopolice.test import BaseTestCase


class HomeTests(BaseTestCase):
    def test_it_is_french_by_default(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<html lang="fr">')

    def test_it_offers_english_one_click_away(self):
        response = self.client.get("/")
        self.assertContains(response, 'href="/en/"')
        self.assertContains(self.client.get("/en/"), '<html lang="en">')

    def test_it_forbids_other_hosts_in_the_security_policy(self):
        response = self.client.get("/")
        self.assertIn("default-src 'self'", response["Content-Security-Policy"])
