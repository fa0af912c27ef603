"""Two-factor authentication: optional for contributors, required of moderators and administrators
before the queue, the admin or any page; throttled codes; recovery codes that work once."""

import datetime
import time

from django.core.cache import cache
from django.test import Client, override_settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from technopolice.accounts import twofactor
from technopolice.testing.cases import PASSWORD, BaseTestCase, current_code, totp_device

LOGIN = "/en/comptes/connexion/"
SETUP = "/en/comptes/deux-facteurs/"
VERIFY = "/en/comptes/deux-facteurs/verifier/"
QUEUE = "/en/moderation/"
ADMIN = "/en/admin/"


class EnforcementTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()

    def password_login(self, user, next_url=""):
        data = {"username": user.username, "password": PASSWORD, "next": next_url}
        return self.client.post(LOGIN, data)

    def test_a_moderator_without_a_second_factor_reaches_no_queue_but_its_set_up(self):
        self.password_login(self.bob)
        response = self.client.get(QUEUE)
        self.assertRedirects(response, SETUP + "?next=%2Fen%2Fmoderation%2F", fetch_redirect_response=False)
        self.assertRedirects(self.client.get("/en/"), SETUP + "?next=%2Fen%2F", fetch_redirect_response=False)
        page = self.client.get(SETUP)
        self.assertContains(page, "Moderators and administrators need a second factor")
        self.assertContains(page, "<svg")  # the QR code, drawn on the server

    def test_an_administrator_without_a_second_factor_reaches_no_admin(self):
        self.password_login(self.carol)
        response = self.client.get(ADMIN)
        self.assertRedirects(response, SETUP + "?next=%2Fen%2Fadmin%2F", fetch_redirect_response=False)
        self.assertEqual(self.client.post(ADMIN + "auth/user/add/", {}).status_code, 302)

    def test_the_admins_login_page_leads_to_the_second_factor_too(self):
        device = totp_device(self.carol)
        self.client.post(ADMIN + "login/", {"username": "carol", "password": PASSWORD, "next": ADMIN})
        self.assertRedirects(
            self.client.get(ADMIN), VERIFY + "?next=%2Fen%2Fadmin%2F", fetch_redirect_response=False
        )
        response = self.client.post(VERIFY, {"token": current_code(device), "next": ADMIN})
        self.assertRedirects(response, ADMIN, fetch_redirect_response=False)
        self.assertEqual(self.client.get(ADMIN).status_code, 200)

    def test_a_moderator_with_a_device_must_type_a_code_after_the_password(self):
        device = totp_device(self.bob)
        self.password_login(self.bob, QUEUE)
        response = self.client.get(QUEUE)
        self.assertRedirects(response, VERIFY + "?next=%2Fen%2Fmoderation%2F", fetch_redirect_response=False)
        # Setting up another device instead of typing a code is not a way around it.
        self.assertRedirects(self.client.get(SETUP), VERIFY, fetch_redirect_response=False)
        wrong = self.client.post(
            VERIFY, {"token": "000000" if current_code(device) != "000000" else "111111"}
        )
        self.assertContains(wrong, "This code is not valid")
        self.assertEqual(self.client.get(QUEUE).status_code, 302)
        time.sleep(1.1)  # django-otp's own delay after a wrong code on a device: one second
        ok = self.client.post(VERIFY, {"token": current_code(device), "next": QUEUE})
        self.assertRedirects(ok, QUEUE, fetch_redirect_response=False)
        self.assertEqual(self.client.get(QUEUE).status_code, 200)

    def test_setting_up_the_second_factor_opens_the_queue_and_gives_recovery_codes(self):
        self.password_login(self.bob)
        self.client.get(SETUP)
        device = TOTPDevice.objects.get(user=self.bob, confirmed=False)
        response = self.client.post(SETUP, {"token": current_code(device), "next": QUEUE})
        self.assertContains(response, "Recovery codes")
        self.assertEqual(StaticToken.objects.filter(device__user=self.bob).count(), twofactor.RECOVERY_CODES)
        codes = list(StaticToken.objects.filter(device__user=self.bob).values_list("token", flat=True))
        for code in codes:
            self.assertContains(response, code)
        self.assertEqual(self.client.get(QUEUE).status_code, 200)
        # Next login: a recovery code works, once.
        self.client.logout()
        self.password_login(self.bob)
        self.assertRedirects(
            self.client.post(VERIFY, {"token": codes[0]}),
            "/en/comptes/compte/",
            fetch_redirect_response=False,
        )
        self.assertEqual(self.client.get(QUEUE).status_code, 200)
        self.client.logout()
        self.password_login(self.bob)
        self.assertContains(self.client.post(VERIFY, {"token": codes[0]}), "This code is not valid")

    def test_a_wrong_first_code_is_explained_and_turns_nothing_on(self):
        self.password_login(self.bob)
        self.client.get(SETUP)
        response = self.client.post(SETUP, {"token": "abc"})
        self.assertContains(response, "This code is not the one your app shows now")
        self.assertFalse(twofactor.has_second_factor(self.bob))
        self.assertContains(self.client.post(SETUP, {"token": ""}), "Enter a code.")
        self.assertEqual(self.client.post(SETUP, {"token": "9" * 5000}).status_code, 200)

    def test_a_contributor_may_go_without(self):
        self.password_login(self.alice)
        self.assertEqual(self.client.get("/en/comptes/compte/").status_code, 200)

    def test_a_contributor_who_turned_it_on_must_pass_it(self):
        device = totp_device(self.alice)
        self.password_login(self.alice)
        self.assertRedirects(
            self.client.get("/en/comptes/compte/"),
            VERIFY + "?next=%2Fen%2Fcomptes%2Fcompte%2F",
            fetch_redirect_response=False,
        )
        self.client.post(VERIFY, {"token": current_code(device)})
        self.assertEqual(self.client.get("/en/comptes/compte/").status_code, 200)

    def test_a_contributor_turns_it_off_with_the_password_but_a_moderator_cannot(self):
        self.login(self.alice)
        totp_device(self.alice)
        self.login(self.alice)
        wrong = self.client.post("/en/comptes/deux-facteurs/desactiver/", {"password": "nope"})
        self.assertContains(wrong, "This is not your current password.")
        self.client.post("/en/comptes/deux-facteurs/desactiver/", {"password": PASSWORD})
        self.assertFalse(twofactor.has_second_factor(self.alice))
        self.login(self.bob)
        self.client.post("/en/comptes/deux-facteurs/desactiver/", {"password": PASSWORD})
        self.assertTrue(twofactor.has_second_factor(self.bob))

    def test_a_french_visitor_reads_the_messages_in_french_and_never_a_500(self):
        self.password_login(self.bob)
        response = self.client.get("/moderation/")
        self.assertRedirects(
            response, "/comptes/deux-facteurs/?next=%2Fmoderation%2F", fetch_redirect_response=False
        )
        page = self.client.get("/comptes/deux-facteurs/")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, 'lang="fr"')


@override_settings(RATELIMIT_SECOND_FACTOR_FAILURES_PER_HOUR=3)
class ThrottleTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()

    def test_wrong_codes_are_throttled_and_the_page_says_when_to_retry(self):
        device = totp_device(self.bob)
        self.client.post(LOGIN, {"username": "bob", "password": PASSWORD})
        good = current_code(device)
        bad = "000000" if good != "000000" else "111111"
        for _attempt in range(3):
            self.assertEqual(self.client.post(VERIFY, {"token": bad}).status_code, 200)
        refused = self.client.post(VERIFY, {"token": good})
        self.assertEqual(refused.status_code, 429)
        self.assertContains(refused, "Too many wrong codes", status_code=429)
        self.assertContains(refused, "You may try again in", status_code=429)
        self.assertTrue(refused["Retry-After"].isdigit())
        self.assertEqual(self.client.get(QUEUE).status_code, 302)

    def test_the_account_counter_holds_across_browsers(self):
        device = totp_device(self.bob)
        bad = "000000" if current_code(device) != "000000" else "111111"
        for number in range(3):
            client = Client(REMOTE_ADDR=f"203.0.113.{number + 1}")
            client.post(LOGIN, {"username": "bob", "password": PASSWORD})
            client.post(VERIFY, {"token": bad})
        other = Client(REMOTE_ADDR="203.0.113.99")
        other.post(LOGIN, {"username": "bob", "password": PASSWORD})
        response = other.post(VERIFY, {"token": current_code(device)})
        self.assertContains(response, "Too many wrong codes for this account", status_code=429)

    @override_settings(RATELIMIT_SECOND_FACTOR_FAILURES_PER_HOUR=10)
    def test_the_right_code_refused_by_the_authenticators_own_delay_says_how_long_to_wait(self):
        """django-otp refuses every code for a doubling delay after wrong ones in a row; the person
        typing the right code then is told to wait, not that the code is wrong."""
        device = totp_device(self.bob)
        self.client.post(LOGIN, {"username": "bob", "password": PASSWORD})
        good = current_code(device)
        bad = "000000" if good != "000000" else "111111"
        first = self.client.post(VERIFY, {"token": bad})
        self.assertContains(first, "This code is not valid")
        self.client.post(VERIFY, {"token": bad})  # two in a row: locked for 2 seconds
        waiting = self.client.post(VERIFY, {"token": good})
        self.assertContains(waiting, "Too many wrong codes in a row: wait")
        self.assertEqual(self.client.get(QUEUE).status_code, 302)
        device.refresh_from_db()
        device.throttling_failure_timestamp -= datetime.timedelta(seconds=10)
        device.save()
        self.assertRedirects(
            self.client.post(VERIFY, {"token": good}), "/en/comptes/compte/", fetch_redirect_response=False
        )
