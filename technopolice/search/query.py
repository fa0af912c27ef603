"""What a visitor typed, as stems: loose words (all required) and "quoted phrases" (words in order)."""

import re
from dataclasses import dataclass, field

from .stemming import stems

_PHRASE = re.compile(r'"([^"]*)"')
MAX_WORDS = 20


@dataclass
class Query:
    terms: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.terms or self.phrases)

    @property
    def parts(self) -> list[tuple[str, ...]]:
        """Words and phrases alike: what must each be found, and is each weighed, in a page."""
        return [(term,) for term in self.terms] + [tuple(phrase) for phrase in self.phrases]

    @property
    def all_stems(self) -> set[str]:
        return set(self.terms) | {s for phrase in self.phrases for s in phrase}


def parse(text: str) -> Query:
    """Stems of the query; an unclosed quote counts as plain words, and long queries are cut."""
    query = Query()
    for phrase in _PHRASE.findall(text):
        words = stems(phrase)[:MAX_WORDS]
        if len(words) > 1:
            query.phrases.append(words)
        else:
            query.terms += words
    rest = _PHRASE.sub(" ", text).replace('"', " ")
    query.terms += [s for s in stems(rest) if s not in query.terms]
    query.terms = query.terms[:MAX_WORDS]
    return query
