import time
from unittest import mock

from django.core.cache import cache
from django.test import Client, override_settings

from technopolice.accounts import throttle
from technopolice.testing.cases import PASSWORD, BaseTestCase

URL = "/en/comptes/connexion/"


class LoginTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()

    def test_it_logs_in_and_out(self):
        response = self.client.post(URL, {"username": "alice", "password": PASSWORD})
        self.assertRedirects(response, "/en/", fetch_redirect_response=False)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.alice.pk)
        self.client.post("/en/comptes/deconnexion/")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_refuses_a_wrong_password_clearly(self):
        response = self.client.post(URL, {"username": "alice", "password": "nope"})
        self.assertContains(response, "Please enter a correct username and password")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_answers_429_after_too_many_attempts_on_one_account(self):
        for _ in range(throttle.visitor_limit()):
            self.client.post(URL, {"username": "Alice", "password": "nope"})
        # Even the right password is refused until the window passes.
        response = self.client.post(URL, {"username": "alice", "password": PASSWORD})
        self.assertContains(response, "Too many attempts", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_logout_refuses_get(self):
        self.login(self.alice)
        self.assertEqual(self.client.get("/en/comptes/deconnexion/").status_code, 405)
        self.assertIn("_auth_user_id", self.client.session)


@override_settings(RATELIMIT_LOGIN_FAILURES_PER_HOUR=3, RATELIMIT_ACCOUNT_LOGIN_FAILURES_PER_HOUR=5)
class FailedLoginTests(BaseTestCase):
    """Failed logins slow the guesser down; the account's owner, on a browser that logged in
    before, still gets in."""

    def setUp(self):
        super().setUp()
        cache.clear()

    def visitor(self, address: str) -> Client:
        return Client(REMOTE_ADDR=address)

    def guess(self, client: Client, username: str = "alice", password: str = "nope"):  # noqa: S107 - a wrong guess
        return client.post(URL, {"username": username, "password": password})

    def attack_alice_from_many_addresses(self, count: int = 5) -> list[int]:
        """One wrong guess from each of ``count`` addresses: the answers' status codes."""
        return [self.guess(self.visitor(f"198.51.100.{n + 1}")).status_code for n in range(count)]

    def test_successful_logins_do_not_count(self):
        for _ in range(10):
            self.assertEqual(self.guess(self.client, password=PASSWORD).status_code, 302)
            self.client.post("/en/comptes/deconnexion/")
        self.assertEqual(self.guess(self.client).status_code, 200)

    def test_an_empty_form_tries_no_password_and_does_not_count(self):
        for _ in range(10):
            self.assertEqual(self.client.post(URL, {"username": "alice"}).status_code, 200)
        self.assertEqual(self.guess(self.client, password=PASSWORD).status_code, 302)

    def test_one_visitor_guessing_many_accounts_is_held_back(self):
        for n in range(3):
            self.assertEqual(self.guess(self.client, username=f"someone{n}").status_code, 200)
        response = self.guess(self.client, username="someone-else")
        self.assertContains(response, "Too many failed logins from your connection.", status_code=429)
        # Another visitor is not.
        self.assertEqual(self.guess(self.visitor("203.0.113.5"), password=PASSWORD).status_code, 302)

    def test_many_machines_guessing_one_account_are_held_back_and_told_when_to_retry(self):
        self.attack_alice_from_many_addresses()
        response = self.guess(self.visitor("203.0.113.5"), password=PASSWORD)
        self.assertContains(response, "Too many failed logins on this account", status_code=429)
        self.assertRegex(response.content.decode(), r"You may try again in \d+ minutes?\.")
        self.assertLessEqual(int(response["Retry-After"]), 3600)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_owner_on_a_known_browser_still_gets_in(self):
        owner = self.visitor("203.0.113.5")
        self.assertEqual(self.guess(owner, password=PASSWORD).status_code, 302)
        owner.post("/en/comptes/deconnexion/")
        self.assertEqual(self.attack_alice_from_many_addresses(count=20), [200] * 5 + [429] * 15)
        # A typo of the owner's does not count against the account either.
        self.assertEqual(self.guess(owner).status_code, 200)
        response = self.guess(owner, password=PASSWORD)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(int(owner.session["_auth_user_id"]), self.alice.pk)

    def test_a_known_browser_is_still_limited_on_its_own(self):
        owner = self.visitor("203.0.113.5")
        self.guess(owner, password=PASSWORD)
        owner.post("/en/comptes/deconnexion/")
        for _ in range(3):
            self.assertEqual(self.guess(owner).status_code, 200)
        self.assertContains(self.guess(owner, password=PASSWORD), "from this browser", status_code=429)

    def test_a_forged_known_device_cookie_is_worth_nothing(self):
        self.attack_alice_from_many_addresses()
        forger = self.visitor("203.0.113.9")
        forger.cookies[throttle.device_cookie_name()] = "0" * 32 + "." + "f" * 32
        self.assertEqual(self.guess(forger, password=PASSWORD).status_code, 429)

    def test_a_password_change_forgets_the_known_browsers(self):
        old_browser = self.visitor("203.0.113.5")
        self.guess(old_browser, password=PASSWORD)
        old_browser.post("/en/comptes/deconnexion/")
        self.alice.set_password("a brand new pass phrase")
        self.alice.save()
        self.attack_alice_from_many_addresses()
        response = self.guess(old_browser, password="a brand new pass phrase")
        self.assertEqual(response.status_code, 429)

    def test_a_new_browser_gets_in_once_the_window_has_passed(self):
        self.attack_alice_from_many_addresses()
        newcomer = self.visitor("203.0.113.5")
        self.assertEqual(self.guess(newcomer, password=PASSWORD).status_code, 429)
        later = time.time() + 3600
        with mock.patch("technopolice.lib.ratelimit.time.time", return_value=later):
            self.assertEqual(self.guess(newcomer, password=PASSWORD).status_code, 302)

    def test_the_refusal_is_in_french_by_default(self):
        self.attack_alice_from_many_addresses()
        response = Client(REMOTE_ADDR="203.0.113.5").post(
            "/comptes/connexion/", {"username": "alice", "password": PASSWORD}
        )
        self.assertContains(response, "Trop de tentatives", status_code=429)
        self.assertContains(response, "Trop de connexions échouées sur ce compte", status_code=429)
        self.assertRegex(response.content.decode(), r"Vous pourrez réessayer dans \d+ minutes?\.")

    def test_the_known_browser_cookie_is_for_the_platform_only(self):
        response = self.guess(self.client, password=PASSWORD)
        cookie = response.cookies[throttle.device_cookie_name()]
        self.assertEqual((cookie["path"], cookie["samesite"], bool(cookie["httponly"])), ("/", "Lax", True))
        self.assertNotIn(str(self.alice.pk), cookie.value.split("."))  # an HMAC, not the account's id

    @override_settings(SESSION_COOKIE_SECURE=True)
    def test_over_https_the_cookie_takes_the_host_prefix(self):
        response = self.guess(self.client, password=PASSWORD)
        cookie = response.cookies["__Host-known-device"]
        self.assertTrue(cookie["secure"])
        self.assertEqual(cookie["path"], "/")
