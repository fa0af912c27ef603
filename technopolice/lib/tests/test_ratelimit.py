from django.core.cache import cache
from django.test import RequestFactory, SimpleTestCase, override_settings

from technopolice.lib import ratelimit


class RatelimitTests(SimpleTestCase):
    def setUp(self):
        cache.clear()

    def test_it_allows_up_to_the_limit_then_refuses(self):
        results = [ratelimit.allow("test", "k", limit=3) for _ in range(5)]
        self.assertEqual(results, [True, True, True, False, False])

    def test_it_counts_scopes_and_visitors_apart(self):
        factory = RequestFactory()
        one, two = factory.get("/", REMOTE_ADDR="192.0.2.1"), factory.get("/", REMOTE_ADDR="192.0.2.2")
        self.assertTrue(ratelimit.allow_visitor(one, "form", limit=1))
        self.assertFalse(ratelimit.allow_visitor(one, "form", limit=1))
        self.assertTrue(ratelimit.allow_visitor(two, "form", limit=1))
        self.assertTrue(ratelimit.allow_visitor(one, "other", limit=1))

    def test_its_keys_do_not_contain_the_address(self):
        request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1")
        key = ratelimit.visitor_key(request)
        self.assertNotIn("192.0.2.1", key)
        self.assertEqual(len(key), 32)

    def test_take_counts_only_what_is_not_given_back(self):
        for _ in range(5):
            ratelimit.give_back(ratelimit.take("test", "k", limit=2))
        first, second = ratelimit.take("test", "k", limit=2), ratelimit.take("test", "k", limit=2)
        self.assertIsNotNone(first)
        self.assertIsNotNone(second)
        self.assertIsNone(ratelimit.take("test", "k", limit=2))
        ratelimit.give_back(first)
        self.assertIsNotNone(ratelimit.take("test", "k", limit=2))

    def test_seconds_left_is_within_the_window(self):
        self.assertTrue(1 <= ratelimit.seconds_left(3600) <= 3600)


class ClientAddressTests(SimpleTestCase):
    """Behind N trusted proxies, the visitor is the N-th address from the right of X-Forwarded-For:
    what lies left of it was written by the visitor."""

    def address(self, forwarded: str | None = None, remote: str = "127.0.0.1") -> str:
        extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
        return ratelimit.client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))

    def test_without_trusted_proxies_the_header_is_ignored(self):
        self.assertEqual(self.address("203.0.113.9"), "127.0.0.1")

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_one_proxy_the_last_entry_is_the_visitor(self):
        self.assertEqual(self.address("192.0.2.7"), "192.0.2.7")
        # A visitor writing his own header only adds entries on the left.
        self.assertEqual(self.address("203.0.113.9, 192.0.2.7"), "192.0.2.7")
        self.assertEqual(self.address("203.0.113.9,192.0.2.7 "), "192.0.2.7")

    @override_settings(TRUSTED_PROXY_COUNT=2)
    def test_behind_two_proxies_the_second_entry_from_the_right(self):
        self.assertEqual(self.address("203.0.113.9, 192.0.2.7, 10.0.0.2"), "192.0.2.7")

    @override_settings(TRUSTED_PROXY_COUNT=2)
    def test_a_request_that_skipped_a_proxy_has_only_its_connection(self):
        self.assertEqual(self.address("192.0.2.7", remote="10.0.0.2"), "10.0.0.2")
        self.assertEqual(self.address(None, remote="10.0.0.2"), "10.0.0.2")

    @override_settings(TRUSTED_PROXY_COUNT=1, PROXY_CLIENT_HEADER="X-Real-IP")
    def test_another_header_can_be_named(self):
        request = RequestFactory().get(
            "/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="192.0.2.7", HTTP_X_FORWARDED_FOR="203.0.113.9"
        )
        self.assertEqual(ratelimit.client_address(request), "192.0.2.7")

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_visitors_behind_the_proxy_are_counted_apart(self):
        cache.clear()
        one = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.1")
        two = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.2")
        self.assertTrue(ratelimit.allow_visitor(one, "form", limit=1))
        self.assertTrue(ratelimit.allow_visitor(two, "form", limit=1))
        self.assertFalse(ratelimit.allow_visitor(one, "form", limit=1))
