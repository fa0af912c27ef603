from django.core.cache import cache

from technopolice.accounts import views
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
        for _ in range(views.LOGINS_PER_HOUR):
            self.client.post(URL, {"username": "Alice", "password": "nope"})
        # Even the right password is refused until the window passes.
        response = self.client.post(URL, {"username": "alice", "password": PASSWORD})
        self.assertContains(response, "Too many attempts", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_logout_refuses_get(self):
        self.login(self.alice)
        self.assertEqual(self.client.get("/en/comptes/deconnexion/").status_code, 405)
        self.assertIn("_auth_user_id", self.client.session)
