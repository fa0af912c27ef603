"""What a process keeps of the registry between requests, and how it knows it is still true.

The registry has a version number that database triggers raise on every write to dossiers,
their relations, communes and departments (migration 0005). A value built from the registry
(the facet index, registry.facets) is kept in the process with the version it was built at,
and built again when the version moved. Reading the version is a primary-key read.
"""

import time
from collections.abc import Callable

from django.db import connection

# Rebuilt at least this often even if the version did not move: a database restored from a
# backup may start again from an older version number.
MAX_AGE_SECONDS = 300


def registry_state() -> int:
    """The registry's version (see the module's docstring)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM registry_state WHERE id = 1")
        return cursor.fetchone()[0]


class KeptPerState[T]:
    """A value built from the whole registry, kept in this process while the registry stays
    as it was.

    Kept in the process, not in Django's cache: every cache backend pickles, and unpickling
    10,000 entries on each request cost more than the work the value saves. What is held is
    one tuple, replaced whole, so a thread never sees a value beside another state's number.
    """

    def __init__(self, build: Callable[[], T]):
        self._build = build
        self._held: tuple[int, float, T] | None = None

    def get(self) -> T:
        state, held = registry_state(), self._held
        if held is None or held[0] != state or time.monotonic() - held[1] >= MAX_AGE_SECONDS:
            held = self._held = (state, time.monotonic(), self._build())
        return held[2]

    def forget(self) -> None:
        self._held = None
