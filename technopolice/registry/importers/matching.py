"""Resolve a town council's free-text name ("ville de Nîmes") to one commune, or say why not.

A name is matched only when exactly one commune (preferring communes over arrondissements)
has that folded name. Homonyms and typos are reported with the candidates or a suggestion,
never guessed: a wrong commune on a public record is worse than none.
"""

import bisect
import difflib
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from technopolice.lib.text import fold

# "ville de X", "Ville d'X", "commune du X", "mairie des X", "métropole de la X"...
_TOWN = re.compile(
    r"^(?:ville|commune|mairie|m[ée]tropole)\s+(?P<article>de\s+la\s+|de\s+l['’]\s*|d['’]\s*|du\s+|des\s+|de\s+)"
    r"(?P<name>.+)$",
    re.IGNORECASE,
)
_METROPOLE_SUFFIX = re.compile(r"\s+m[ée]tropole$", re.IGNORECASE)
# The article folded into the name, as the gazetteer writes it: "du Havre" is "Le Havre".
_ARTICLES = {"de la": "la ", "de l": "l ", "d": "", "du": "le ", "des": "les ", "de": ""}
COMMUNE, ARRONDISSEMENT = "COM", "ARM"


@dataclass(frozen=True)
class Entry:
    insee: str
    name: str
    kind: str
    department: str

    def __str__(self) -> str:
        return f"{self.name} ({self.department})"


@dataclass(frozen=True)
class Resolution:
    """The commune a name stands for, or (commune None) the reason it has none."""

    town: str
    commune: Entry | None = None
    problem: str = ""


def town_name(name: str) -> tuple[str, str] | None:
    """(the town as written, its folded form with the article) when the name is a town council's."""
    match = _TOWN.match(name.strip())
    if not match:
        return None
    town = _METROPOLE_SUFFIX.sub("", match["name"]).strip()
    article = _ARTICLES[fold(match["article"])]
    return town, fold(article + town)


class CommuneIndex:
    """Folded commune names → communes, built once per import."""

    def __init__(self, entries: list[Entry]) -> None:
        self.by_name: dict[str, list[Entry]] = {}
        for entry in entries:
            self.by_name.setdefault(fold(entry.name), []).append(entry)
        self.names = sorted(self.by_name)

    def __len__(self) -> int:
        return len(self.names)

    def resolve(self, name: str) -> Resolution | None:
        """None when the name is not a town council's; else the match or the problem."""
        parsed = town_name(name)
        if parsed is None:
            return None
        town, folded = parsed
        found = self.by_name.get(folded, [])
        towns = [e for e in found if e.kind == COMMUNE] or found
        if len(towns) == 1:
            return Resolution(town, towns[0])
        if towns:
            listed = ", ".join(f"{e} [{e.insee}]" for e in towns)
            return Resolution(town, problem=_("several communes are named so: %(list)s") % {"list": listed})
        return Resolution(town, problem=self._no_commune(folded))

    def _no_commune(self, folded: str) -> str:
        suggestions = self.suggest(folded)
        if not suggestions:
            return _("no commune of that name")
        names = _(" or ").join(str(e) for e in suggestions)
        return _("no commune of that name; did you mean %(names)s?") % {"names": names}

    def suggest(self, folded: str, limit: int = 3) -> list[Entry]:
        """Communes named like the folded name: longer ("levallois" → Levallois-Perret), shorter
        ("morzine avoriaz" → Morzine) or spelled almost alike ("nime" → Nîmes)."""
        start = bisect.bisect_left(self.names, folded + " ")
        longer = [n for n in self.names[start : start + limit] if n.startswith(folded + " ")]
        words = folded.split(" ")
        parts = [" ".join(words[:i]) for i in range(len(words) - 1, 0, -1)]
        shorter = [
            p for p in parts + [" ".join(words[i:]) for i in range(1, len(words))] if p in self.by_name
        ]
        close = difflib.get_close_matches(folded, self.names, n=limit, cutoff=0.8)
        names = list(dict.fromkeys(longer + shorter + close))
        return [e for n in names for e in self.by_name[n] if e.kind == COMMUNE][:limit]
