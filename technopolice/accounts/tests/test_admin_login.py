"""The admin's login page guards the staff accounts (those that export signatories): its failed
attempts are throttled like the site's login, on the admin's own page."""

import time
from unittest import mock

from django.core.cache import cache
from django.test import Client

from technopolice.accounts import throttle
from technopolice.testing.cases import PASSWORD, BaseTestCase

URL = "/en/admin/login/"


class AdminLoginTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()

    def post(self, client: Client, password: str):
        return client.post(URL, {"username": "carol", "password": password, "next": "/en/admin/"})

    def test_it_is_still_the_admins_page_and_logs_staff_in(self):
        self.assertContains(self.client.get(URL), 'id="login-form"')
        response = self.post(self.client, PASSWORD)
        self.assertRedirects(response, "/en/admin/", fetch_redirect_response=False)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.carol.pk)

    def test_fifty_wrong_passwords_then_the_right_one_is_refused_until_the_window_passes(self):
        answers = [self.post(self.client, f"guess {n}").status_code for n in range(50)]
        self.assertEqual(answers.count(200), throttle.visitor_limit())
        response = self.post(self.client, PASSWORD)
        self.assertContains(response, "Too many attempts", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)
        with mock.patch("technopolice.lib.ratelimit.time.time", return_value=time.time() + 3600):
            self.assertEqual(self.post(self.client, PASSWORD).status_code, 302)

    def test_guesses_from_many_machines_do_not_lock_carol_out_of_her_own_browser(self):
        browser = Client(REMOTE_ADDR="203.0.113.5")
        self.assertEqual(self.post(browser, PASSWORD).status_code, 302)
        browser.post("/en/admin/logout/")
        for n in range(throttle.account_limit() + 5):
            self.post(Client(REMOTE_ADDR=f"198.51.100.{n + 1}"), f"guess {n}")
        self.assertEqual(self.post(Client(REMOTE_ADDR="203.0.113.6"), PASSWORD).status_code, 429)
        self.assertEqual(self.post(browser, PASSWORD).status_code, 302)
