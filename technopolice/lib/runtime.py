"""How a serving process settles its memory once the application is loaded."""

import gc

# Collections of the youngest generation happen after this many new objects (CPython: 700).
YOUNG_THRESHOLD = 10_000


def settle_after_startup() -> None:
    """Hide the loaded application from the garbage collector and collect less often.

    A page allocates tens of thousands of short-lived objects (querysets, rows, template
    contexts). With CPython's default thresholds the collector ran every few requests, and
    each older-generation pass re-walked everything Django had loaded: pauses that showed in
    the slowest requests of the registry benchmark (bench/registry_pages.py).
    ``gc.freeze()`` moves what exists now to a permanent generation, which no pass walks
    again (Instagram's recipe for Django); cycles created later are still collected.
    Called by the WSGI and ASGI entry points, once per worker process.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, 20, 20)
