"""Readable differences between two snapshots: for history pages and moderators' reviews.

Text fields show the words removed and added inline (<del>/<ins>, escaped first);
lists (communes, sources...) show the entries removed and added; other fields show
the old and the new value. Only fields that changed appear.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from .models import Dossier
from .snapshots import RELATED_LISTS, SCALAR_FIELDS

TEXT_FIELDS = {"title", "description", "funding", "legal_basis", "dispute_reason"}
ROW_LISTS = {"sources": _("sources"), "events": _("events")}
TOKENS = re.compile(r"\w+|\s+|[^\w\s]+")


@dataclass
class Change:
    name: str
    label: str
    old: object = None
    new: object = None
    inline: SafeString | None = None
    removed: list = field(default_factory=list)
    added: list = field(default_factory=list)


def inline_diff(old: str, new: str) -> SafeString:
    """Word-level diff of two texts as escaped HTML with <del> and <ins>."""
    a, b = TOKENS.findall(old or ""), TOKENS.findall(new or "")
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def _label(name: str) -> str:
    return str(Dossier._meta.get_field(name).verbose_name)


def _shown(name: str, value):
    """A choice as people read it ("abandoned" becomes "Abandoned", or "abandonné" in French)."""
    choices = dict(Dossier._meta.get_field(name).flatchoices)
    return choices.get(value, value)


def _scalar_change(name: str, old, new) -> Change:
    change = Change(name, _label(name), _shown(name, old), _shown(name, new))
    if name in TEXT_FIELDS:
        change.inline = inline_diff(str(old or ""), str(new or ""))
    return change


def _row_text(row: dict) -> str:
    return " · ".join(str(row[key]) for key in ("date", "title", "url", "source_url") if row.get(key))


def _list_change(name: str, label, old: list, new: list, show=str) -> Change:
    removed = [show(item) for item in old if item not in new]
    added = [show(item) for item in new if item not in old]
    return Change(name, str(label), removed=removed, added=added)


def diff_snapshots(old: dict, new: dict) -> list[Change]:
    """The changes from ``old`` to ``new`` (either may be empty for a creation)."""
    changes = [_scalar_change(n, old.get(n), new.get(n)) for n in SCALAR_FIELDS if old.get(n) != new.get(n)]
    if old.get("operator") != new.get("operator"):
        changes.append(Change("operator", _label("operator"), old.get("operator"), new.get("operator")))
    for name in RELATED_LISTS:
        if sorted(old.get(name) or []) != sorted(new.get(name) or []):
            changes.append(_list_change(name, _label(name), old.get(name) or [], new.get(name) or []))
    for name, label in ROW_LISTS.items():
        if (old.get(name) or []) != (new.get(name) or []):
            changes.append(_list_change(name, label, old.get(name) or [], new.get(name) or [], _row_text))
    return changes
