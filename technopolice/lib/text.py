"""Text folding shared by search, matching and slugs.

Searches must not depend on accents, case or punctuation ("saint etienne" finds
"Saint-Étienne") and must behave the same on SQLite and PostgreSQL, so we fold
text in Python once, store the folded form, and fold queries the same way.
"""

import re

from unidecode import unidecode

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces."""
    return _NOT_WORD.sub(" ", unidecode(text or "").lower()).strip()


def words(text: str) -> list[str]:
    return [w for w in fold(text).split(" ") if w]
