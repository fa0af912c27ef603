"""The shared browser test ground (technopolice/test.py) keeps its permission to itself: the
async-unsafe switch is on only while a browser class runs, then back to what it was."""

import os
import unittest

import pytest
from django.test import SimpleTestCase

from technopolice.testing.browser import ASYNC_UNSAFE, BrowserMixin


class _Probe(BrowserMixin, SimpleTestCase):
    """A throw-away browser class, run by the test below, that records what it saw."""

    __test__ = False  # run by BrowserMixinTests only
    seen: dict = {}

    @property
    def own_url(self) -> str:
        return "http://127.0.0.1:1"

    def test_probe(self):
        _Probe.seen["environ"] = os.environ.get(ASYNC_UNSAFE)
        page = self.new_page()
        page.set_content('<img src="http://127.0.0.1:1/own.png">', wait_until="load")
        self.assert_no_foreign_requests()
        page.set_content('<img src="http://192.0.2.1/elsewhere.png">', wait_until="load")
        _Probe.seen["requests"] = list(self.requests)
        self.assertRaises(AssertionError, self.assert_no_foreign_requests, inline=True)


@pytest.mark.browser
class BrowserMixinTests(SimpleTestCase):
    def run_probe(self) -> unittest.TestResult:
        result = unittest.TestResult()
        unittest.defaultTestLoader.loadTestsFromTestCase(_Probe).run(result)
        self.assertEqual(result.errors + result.failures, [])
        self.assertEqual(result.testsRun, 1)
        return result

    def test_the_switch_is_on_during_the_class_and_removed_after(self):
        previous = os.environ.pop(ASYNC_UNSAFE, None)
        self.addCleanup(lambda: previous is None or os.environ.__setitem__(ASYNC_UNSAFE, previous))
        self.run_probe()
        self.assertEqual(_Probe.seen["environ"], "true")
        self.assertNotIn(ASYNC_UNSAFE, os.environ)
        self.assertEqual(
            _Probe.seen["requests"], ["http://127.0.0.1:1/own.png", "http://192.0.2.1/elsewhere.png"]
        )

    def test_a_value_set_before_is_given_back(self):
        previous = os.environ.get(ASYNC_UNSAFE)
        os.environ[ASYNC_UNSAFE] = "before"
        self.addCleanup(lambda: os.environ.pop(ASYNC_UNSAFE) if previous is None else None)
        self.run_probe()
        self.assertEqual(os.environ[ASYNC_UNSAFE], "before")
