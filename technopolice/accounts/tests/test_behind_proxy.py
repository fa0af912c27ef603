"""The rate limits behind a real nginx, configured as docs/production.md says, in front of a live
server of the platform: visitors coming from different addresses through the proxy are counted
apart, and one who writes his own X-Forwarded-For does not escape his limit.

Each visitor connects to nginx from an address of its own on the loopback (127.0.0.2, 127.0.0.3),
so the platform only ever sees nginx's 127.0.0.1, as in production.
"""

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.cache import cache
from django.test import override_settings

from technopolice.testing.cases import PASSWORD, make_user
from technopolice.testing.nginx import Nginx, Visitor, loopback_aliases_work, nginx_binary

LOGIN = "/en/comptes/connexion/"
WRONG = "not the password"  # noqa: S105 - a wrong guess


@override_settings(RATELIMIT_LOGIN_FAILURES_PER_HOUR=3, RATELIMIT_ACCOUNT_LOGIN_FAILURES_PER_HOUR=100)
class BehindNginxTests(StaticLiveServerTestCase):
    @classmethod
    def setUpClass(cls):
        if nginx_binary() is None:
            raise AssertionError("These tests need nginx: install the Debian package 'nginx' (./dev does).")
        if not loopback_aliases_work():
            raise AssertionError("These tests need the loopback's 127.0.0.2 and 127.0.0.3 (Linux has them).")
        super().setUpClass()
        cls.nginx = Nginx(upstream=f"{cls.server_thread.host}:{cls.server_thread.port}").start()
        cls.addClassCleanup(cls.nginx.stop)

    def setUp(self):
        super().setUp()
        cache.clear()
        self.alice = make_user("alice")
        make_user("bob")
        self.first, self.second = Visitor(self.nginx.port, "127.0.0.2"), Visitor(self.nginx.port, "127.0.0.3")

    def log_in(self, visitor: Visitor, username: str, password: str, **headers) -> int:
        return visitor.post_form(LOGIN, {"username": username, "password": password}, headers)[0]

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_two_visitors_behind_the_proxy_do_not_share_a_quota(self):
        self.assertEqual([self.log_in(self.first, "alice", WRONG) for _ in range(4)], [200, 200, 200, 429])
        self.assertEqual(self.log_in(self.second, "bob", PASSWORD), 302)
        # Nor do the first visitor's guesses count against the second's, on the same account.
        self.assertEqual(self.log_in(Visitor(self.nginx.port, "127.0.0.3"), "alice", WRONG), 200)

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_a_forged_x_forwarded_for_does_not_escape_the_limit(self):
        answers = [
            self.log_in(self.first, "alice", WRONG, **{"X-Forwarded-For": f"198.51.100.{n}"})
            for n in range(6)
        ]
        self.assertEqual(answers, [200, 200, 200, 429, 429, 429])
        # Nor does pretending to be the other visitor.
        self.assertEqual(self.log_in(self.first, "bob", PASSWORD, **{"X-Forwarded-For": "127.0.0.3"}), 429)
        self.assertEqual(self.log_in(self.second, "bob", PASSWORD), 302)

    @override_settings(TRUSTED_PROXY_COUNT=0)
    def test_without_the_setting_everyone_behind_the_proxy_is_one_visitor(self):
        # What check --deploy (technopolice.E003) prevents: the proxy's address is everybody's.
        for _ in range(3):
            self.log_in(self.first, "alice", WRONG)
        self.assertEqual(self.log_in(self.second, "bob", PASSWORD), 429)
