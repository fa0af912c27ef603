"""Fixtures for every test of the platform."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language():
    """Start every test in the default language: a test that activates English (to read a
    command's output, say) must not leave the next test's reverse() on /en/ URLs."""
    translation.deactivate()
    yield
    translation.deactivate()
