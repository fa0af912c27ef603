from unittest import mock

from django.contrib.auth.models import User
from django.core.cache import cache

from technopolice.accounts import views
from technopolice.accounts.roles import CONTRIBUTORS
from technopolice.testing.cases import BaseTestCase

URL = "/en/comptes/inscription/"
GOOD = {
    "username": "dora",
    "password1": "a long pass phrase 42",
    "password2": "a long pass phrase 42",
    "website": "",
}


class SignupTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()

    def test_it_creates_a_contributor_and_logs_them_in(self):
        response = self.client.post(URL, GOOD)
        self.assertRedirects(response, "/en/", fetch_redirect_response=False)
        dora = User.objects.get(username="dora")
        self.assertEqual([g.name for g in dora.groups.all()], [CONTRIBUTORS])
        self.assertFalse(dora.is_staff)
        self.assertEqual(int(self.client.session["_auth_user_id"]), dora.pk)

    def test_it_refuses_a_weak_password_clearly(self):
        response = self.client.post(URL, GOOD | {"password1": "123", "password2": "123"})
        self.assertContains(response, "This password is too short")
        self.assertFalse(User.objects.filter(username="dora").exists())

    def test_it_refuses_a_filled_honeypot(self):
        response = self.client.post(URL, GOOD | {"website": "spam"})
        self.assertContains(response, "A field meant to catch robots was filled in", status_code=400)
        self.assertFalse(User.objects.filter(username="dora").exists())

    def test_it_answers_429_after_too_many_sign_ups(self):
        for i in range(views.SIGNUPS_PER_HOUR):
            self.client.post(URL, GOOD | {"username": f"user{i}"})
            self.client.logout()
        response = self.client.post(URL, GOOD)
        self.assertEqual(response.status_code, 429)
        self.assertFalse(User.objects.filter(username="dora").exists())

    def test_robots_do_not_use_up_the_quota_of_people_at_the_same_address(self):
        with mock.patch.object(views, "SIGNUPS_PER_HOUR", 1):
            for _ in range(3):
                self.assertEqual(self.client.post(URL, GOOD | {"website": "spam"}).status_code, 400)
            self.assertEqual(self.client.post(URL, GOOD).status_code, 302)

    def test_forms_sent_back_with_errors_do_not_use_up_the_quota(self):
        with mock.patch.object(views, "SIGNUPS_PER_HOUR", 1):
            for _ in range(3):
                weak = GOOD | {"password1": "123", "password2": "123"}
                self.assertContains(self.client.post(URL, weak), "This password is too short")
            self.assertEqual(self.client.post(URL, GOOD).status_code, 302)

    def test_it_refuses_a_forged_post(self):
        self.assertEqual(self.csrf_client.post(URL, GOOD).status_code, 403)
        self.assertFalse(User.objects.filter(username="dora").exists())

    def test_it_refuses_put(self):
        self.assertEqual(self.client.put(URL).status_code, 405)
