from django.core.cache import cache
from django.test import RequestFactory, SimpleTestCase

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
