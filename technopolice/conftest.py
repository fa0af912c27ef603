"""Fixtures for every test of the platform."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _nothing_kept_from_another_test():
    """What processes keep between requests (reference lists, the facet index) is dropped when
    this process saves; a test's rollback says nothing, so the next test must not see it."""
    from technopolice.registry import facets, reference

    reference.forget()
    facets.forget()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Start every test in the default language: a test that activates English (to read a
    command's output, say) must not leave the next test's reverse() on /en/ URLs."""
    translation.deactivate()
    yield
    translation.deactivate()
