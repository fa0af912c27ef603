"""French stems, accent- and case-free, computed in Python for the index and for queries alike.

Folding comes first ("Caméras" → "cameras") and stemming second ("cameras" → "cam"), so
"caméra", "camera" and "caméras" meet on one stem whatever the accents; both database
backends store and match these stems, so they cannot disagree on what matches.
"""

import threading

import snowballstemmer

from technopolice.lib.text import words

_local = threading.local()


def _stemmer():
    # Snowball stemmers keep state between calls: one per thread.
    if not hasattr(_local, "stemmer"):
        _local.stemmer = snowballstemmer.stemmer("french")
    return _local.stemmer


def stems(text: str) -> list[str]:
    return _stemmer().stemWords(words(text))


def stem_text(text: str) -> str:
    return " ".join(stems(text))
