"""An account's email address, confirmed by a link; password reset and change by email. The
emails go through a real SMTP server on loopback and are read back as the recipient gets them."""

import re

from django.core.cache import cache
from django.test import override_settings

from technopolice.testing import smtp
from technopolice.testing.cases import PASSWORD, BaseTestCase

PORT = smtp.free_port()
LINK = re.compile(r"https?://\S+")


@override_settings(MAILERS=smtp.mailers(PORT), SITE_URL="http://testserver")
class EmailTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()
        controller, self.inbox = smtp.start(PORT)
        self.addCleanup(controller.stop)

    def link(self, index=-1) -> str:
        return LINK.search(self.inbox.text(index)).group(0).replace("http://testserver", "")

    def test_an_address_is_kept_only_once_confirmed_and_the_old_one_is_told(self):
        self.login(self.alice)
        response = self.client.post(
            "/en/comptes/compte/adresse/", {"email": "alice.new@example.net", "password": PASSWORD}
        )
        self.assertRedirects(response, "/en/comptes/compte/", fetch_redirect_response=False)
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.email, "alice@example.org")  # nothing changes before the link
        message = self.inbox.messages[-1]
        self.assertEqual(message["To"], "alice.new@example.net")
        self.assertEqual(message["Subject"], "Confirm your email address")
        link = self.link()
        self.assertEqual(self.client.get(link).status_code, 200)  # a scanner's GET confirms nothing
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.email, "alice@example.org")
        self.client.post(link)
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.email, "alice.new@example.net")
        notice = self.inbox.messages[-1]
        self.assertEqual(notice["To"], "alice@example.org")
        self.assertNotIn("alice.new@example.net", self.inbox.text())
        # The link worked once.
        self.assertContains(self.client.post(link), "This link is not valid", status_code=400)

    def test_a_forged_or_altered_link_is_refused_clearly(self):
        response = self.client.get("/en/comptes/compte/adresse/forged/")
        self.assertContains(response, "This link is not valid", status_code=400)
        self.login(self.alice)
        self.client.post("/en/comptes/compte/adresse/", {"email": "a2@example.net", "password": PASSWORD})
        link = self.link()
        self.assertContains(self.client.post(link[:-3] + "xyz/"), "This link is not valid", status_code=400)

    def test_bad_input_gets_messages_in_the_users_language(self):
        self.login(self.alice)
        response = self.client.post(
            "/en/comptes/compte/adresse/", {"email": "not-an-address", "password": "x"}
        )
        self.assertContains(response, "Enter a valid email address.")
        self.assertContains(response, "This is not your current password.")
        response = self.client.post("/comptes/compte/adresse/", {"email": "x" * 300, "password": ""})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Saisissez une adresse de courriel valide")
        self.assertEqual(self.inbox.messages, [])

    def test_an_address_another_account_uses_is_refused_at_confirmation(self):
        self.login(self.alice)
        self.client.post(
            "/en/comptes/compte/adresse/", {"email": "MALLORY@example.org", "password": PASSWORD}
        )
        link = self.link()
        self.assertContains(self.client.post(link), "already used by another account")
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.email, "alice@example.org")

    @override_settings(RATELIMIT_ACCOUNT_EMAILS_PER_HOUR=2)
    def test_confirmation_emails_are_limited_per_account(self):
        self.login(self.alice)
        for number in range(2):
            self.client.post(
                "/en/comptes/compte/adresse/", {"email": f"a{number}@example.net", "password": PASSWORD}
            )
        response = self.client.post(
            "/en/comptes/compte/adresse/", {"email": "a9@example.net", "password": PASSWORD}
        )
        self.assertContains(response, "You may try again in", status_code=429)
        self.assertEqual(len(self.inbox.messages), 2)

    def test_a_password_reset_by_email_without_escaping(self):
        self.alice.username = "l'alice"
        self.alice.save()
        response = self.client.post("/en/comptes/mot-de-passe-oublie/", {"email": "ALICE@example.org"})
        self.assertRedirects(
            response, "/en/comptes/mot-de-passe-oublie/envoye/", fetch_redirect_response=False
        )
        self.assertEqual(self.inbox.messages[-1]["To"], "alice@example.org")
        self.assertIn("Hello l'alice,", self.inbox.text())  # plain text: no &#x27;
        link = self.link()
        form = self.client.get(link, follow=True)
        self.assertContains(form, "new_password1")
        new = "another horse battery staple"
        done = self.client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
        self.assertEqual(done.status_code, 302)
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password(new))
        again = self.client.get(link, follow=True)
        self.assertContains(again, "This link is not valid")

    def test_an_unknown_address_gets_the_same_answer_and_no_email(self):
        response = self.client.post("/en/comptes/mot-de-passe-oublie/", {"email": "nobody@example.net"})
        self.assertRedirects(
            response, "/en/comptes/mot-de-passe-oublie/envoye/", fetch_redirect_response=False
        )
        self.assertEqual(self.inbox.messages, [])

    @override_settings(RATELIMIT_PASSWORD_RESETS_PER_HOUR=2)
    def test_reset_requests_are_limited_per_visitor(self):
        for _attempt in range(2):
            self.client.post("/en/comptes/mot-de-passe-oublie/", {"email": "alice@example.org"})
        response = self.client.post("/en/comptes/mot-de-passe-oublie/", {"email": "alice@example.org"})
        self.assertContains(response, "You may try again in", status_code=429)

    def test_a_password_change_needs_the_old_one_and_the_address_is_told(self):
        self.login(self.alice)
        new = "another horse battery staple"
        wrong = self.client.post(
            "/en/comptes/compte/mot-de-passe/",
            {"old_password": "nope", "new_password1": new, "new_password2": new},
        )
        self.assertContains(wrong, "Your old password was entered incorrectly")
        self.client.post(
            "/en/comptes/compte/mot-de-passe/",
            {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        )
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password(new))
        self.assertEqual(self.inbox.messages[-1]["To"], "alice@example.org")
        self.assertEqual(self.inbox.messages[-1]["Subject"], "Your password was changed")
        self.assertEqual(self.client.get("/en/comptes/compte/").status_code, 200)  # still logged in

    def test_the_address_is_never_shown_to_others(self):
        self.login(self.bob)
        for url in ("/en/", "/en/moderation/", "/en/comptes/compte/"):
            self.assertNotContains(self.client.get(url), "alice@example.org")
