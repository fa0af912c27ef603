"""The words of every dossier's folded text, which each process keeps (registry.matching), so
that a text search reads no table.

The dossier list's text search keeps the dossiers whose folded text holds every word of the
query (accents, case and punctuation folded on both sides, a word found inside a longer one
too: "etienne" finds "saint etienne"). In SQL that was a scan of every description on each
search, 22 to 28 ms at p50 for 10,000 dossiers on both databases, most of the search page's
time (docs/bench/registry.md).

Here each process keeps, for the current registry state (registry.state), the vocabulary of
the folded texts, each word with the ids of the dossiers that hold it. A folded text is words
separated by single spaces, and a query word has no space, so a query word is in a text
exactly when it is part of one of the text's words: looking for it in the vocabulary (a few
hundred kilobytes, one string) and joining the dossiers of the words it is part of gives the
same dossiers as the scan did.
"""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable

from .models import Dossier

# Joins the vocabulary's words: folding leaves only a-z, 0-9 and spaces, so a query word can
# never run across two of them.
SEPARATOR = "\n"


class TextIndex:
    """The vocabulary of a set of folded texts, and which dossiers hold each of its words."""

    def __init__(self, rows: Iterable[tuple[int, str]]):
        holders: dict[str, list[int]] = defaultdict(list)
        ids = []
        for pk, text in rows:
            ids.append(pk)
            for word in set(text.split()):
                holders[word].append(pk)
        self.ids: list[int] = ids
        self.holders: list[list[int]] = list(holders.values())
        self.vocabulary = SEPARATOR.join(holders)
        self.starts: list[int] = []  # where each word of the vocabulary starts in it
        offset = 0
        for word in holders:
            self.starts.append(offset)
            offset += len(word) + len(SEPARATOR)

    def __len__(self) -> int:
        return len(self.ids)

    def matching(self, words: list[str]) -> set[int]:
        """Ids of the dossiers whose text holds every one of ``words`` (no word: all)."""
        if not words:
            return set(self.ids)
        found = sorted((self._holding(word) for word in set(words)), key=len)
        return found[0].intersection(*found[1:])

    def _holding(self, word: str) -> set[int]:
        """The dossiers holding ``word``: those of every vocabulary word it is part of."""
        vocabulary, starts, last = self.vocabulary, self.starts, len(self.starts) - 1
        found: set[int] = set()
        position = vocabulary.find(word)
        while position != -1:
            i = bisect_right(starts, position) - 1
            found.update(self.holders[i])
            if i == last:
                break
            position = vocabulary.find(word, starts[i + 1])
        return found


def build_index() -> TextIndex:
    """Every dossier's folded text: the list's own query decides which dossiers are shown."""
    return TextIndex(Dossier.objects.order_by().values_list("pk", "search_text").iterator(2000))
