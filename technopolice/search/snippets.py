"""Highlighted extracts: the passage of a text where the query's words are densest, words marked.

Computed in Python from the stored text, so both database backends show the same extract.
"""

import itertools
import re
from functools import lru_cache
from html import escape  # Django's own wraps each piece in a SafeString; the whole is marked safe below

from django.utils.safestring import SafeString, mark_safe

from technopolice.lib.text import fold

from .stemming import stems

_WORD = re.compile(r"\w+")
WIDTH = 30


@lru_cache(maxsize=100_000)
def _folded_stems(token: str) -> tuple[str, frozenset[str]]:
    """A word's folded form and stems; cached, since the same words recur on every page."""
    folded = token.lower() if token.isascii() else fold(token)
    return folded, frozenset(stems(folded))


def _matches(token: str, wanted: set[str], prefixes: tuple[str, ...]) -> bool:
    folded, token_stems = _folded_stems(token)
    return folded.startswith(prefixes) and not token_stems.isdisjoint(wanted)


def _best_start(hits: list[int]) -> int:
    """Start of the WIDTH-word window holding the most hits (two pointers over the sorted hits)."""
    best, best_count, j = 0, 0, 0
    for i, start in enumerate(hits):
        while j < len(hits) and hits[j] < start + WIDTH:
            j += 1
        if j - i > best_count:
            best, best_count = start, j - i
    return max(0, best - 5)


def _hits(words: list[str], wanted: set[str]) -> list[int]:
    """Positions of the words that match: each distinct word is checked once, as a page repeats
    most of its words (a third of them are distinct on a page of prose)."""
    prefixes = tuple(s[:3] for s in wanted) or ("",)
    matching = {word for word in set(words) if _matches(word, wanted, prefixes)}
    return [i for i, word in enumerate(words) if word in matching]


def snippet(text: str, wanted: set[str]) -> SafeString:
    words = _WORD.findall(text)
    if not words:
        return mark_safe("")  # noqa: S308 - empty string
    hits = _hits(words, wanted)
    start = _best_start(hits) if hits else 0
    window = list(itertools.islice(_WORD.finditer(text), start, start + WIDTH))
    hit_set = set(hits)
    parts, cursor = ["…" if start else ""], window[0].start() if start else 0
    for index, match in enumerate(window, start):
        parts.append(escape(text[cursor : match.start()]))
        word = escape(match.group())
        parts.append(f"<mark>{word}</mark>" if index in hit_set else word)
        cursor = match.end()
    parts.append("…" if start + WIDTH < len(words) else escape(text[cursor:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped
