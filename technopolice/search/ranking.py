"""BM25 over the candidates of a search, computed in Python from their own stems, the same on both engines.

The engines' own ranking functions were the cost that grew with the corpus: SQLite's bm25()
counts every page holding each word or phrase (its rarity) at each query, a pass over the
whole index, however few the candidates and however fast they are read. Here the counts
come from the candidates' stems (folded and stemmed as the index is, so a word or phrase is
found in them exactly where the engine found it) and the rarity of each part of the query
from an estimate the backend makes without reading the whole index (``Backend.share``). For a
query of one word or one phrase the rarity multiplies every score alike, so it is not even
estimated.

The formula is FTS5's bm25 (k1 = 1.2, b = 0.75, a title occurrence weighing as five body ones,
the page's length counting both), with Lucene's always-positive IDF, so that a word on most
pages still weighs a little, and the candidates' average length for the corpus'. Records are
then ranked by their best page, as before.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

K1 = 1.2
B = 0.75
TITLE_WEIGHT = 5.0


@dataclass(frozen=True)
class Hit:
    entry_id: int
    score: float
    pages_matched: int


@dataclass(frozen=True)
class Candidate:
    """A matching page (or record) as the backend read it: its identity and its stems."""

    id: int
    entry_type: str
    object_id: int
    page: int
    title_stems: str
    body_stems: str


def occurrences(stems: str, part: Sequence[str]) -> int:
    """How many times a word, or a phrase's words in a row, occur in a space-separated stem text."""
    return counter(part)(stems)


def counter(part: Sequence[str]) -> Callable[[str], int]:
    """``occurrences`` of one part, with what does not depend on the text made once.

    str.count() is the fast path (about two microseconds a page). It counts occurrences that do
    not overlap, so two side by side ("dron dron", sharing the space between them) are counted
    again with every stem given its own spaces; a phrase that could overlap itself ("a b a" in
    "a b a b a") is counted stem by stem. A search counts each part in 500 candidates' titles
    and texts: the needles are made once per part, not once per page.
    """
    words = list(part)
    if len(set(words)) < len(words):
        size = len(words)

        def by_stem(stems: str) -> int:
            tokens = stems.split()
            return sum(1 for i in range(len(tokens) - size + 1) if tokens[i : i + size] == words)

        return by_stem
    phrase = " ".join(words)
    inner, head, tail = f" {phrase} ", f"{phrase} ", f" {phrase}"
    side_by_side, spaced = f" {phrase} {phrase} ", f" {'  '.join(words)} "

    def count(stems: str) -> int:
        found = stems.count(inner) + stems.startswith(head) + stems.endswith(tail)
        if found and side_by_side in f" {stems} ":
            found = f" {stems.replace(' ', '  ')} ".count(spaced)
        return found or int(stems == phrase)

    return count


def idf(share: float, pages: int) -> float:
    """The weight of a part of the query from the share of pages holding it (Lucene's BM25 IDF)."""
    holding = share * pages
    return math.log(1 + (pages - holding + 0.5) / (holding + 0.5))


def scores(
    candidates: Sequence[Candidate], parts: Sequence[Sequence[str]], weights: Sequence[float]
) -> list[float]:
    """Each candidate's BM25 score for the query's parts (words and phrases), each with its weight."""
    # Lengths in characters, not stems: proportional to them on average, and free to compute.
    lengths = [len(c.title_stems) + len(c.body_stems) for c in candidates]
    average = sum(lengths) / len(lengths) if lengths else 1.0
    counted = [(counter(part), weight) for part, weight in zip(parts, weights, strict=True)]
    result = []
    for candidate, size in zip(candidates, lengths, strict=True):
        norm = K1 * (1 - B + B * size / max(average, 1.0))
        score = 0.0
        for count, weight in counted:
            freq = TITLE_WEIGHT * count(candidate.title_stems) + count(candidate.body_stems)
            score += weight * freq * (K1 + 1) / (freq + norm)
        result.append(score)
    return result


def best_pages(candidates: Sequence[Candidate], page_scores: Sequence[float]) -> list[Hit]:
    """One hit per record, on its best page (the first page among equals), best records first."""
    best: dict[tuple[str, int], tuple[float, int, int]] = {}  # record: (score, -page, -id), the greatest
    pages: dict[tuple[str, int], int] = {}
    for candidate, score in zip(candidates, page_scores, strict=True):
        record = (candidate.entry_type, candidate.object_id)
        pages[record] = pages.get(record, 0) + 1
        mine = (score, -candidate.page, -candidate.id)
        if record not in best or mine > best[record]:
            best[record] = mine
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], -item[1][2]))
    return [Hit(-entry_id, score, pages[record]) for record, (score, _page, entry_id) in ranked]
