"""How an activity is shown to people: its kind in words, and its page in their language.

The feeds and the digests both show activities; they sit side by side in the layers and may not
import each other, so what they share lives here.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

KIND_LABELS = {
    "dossier_published": _("New dossier"),
    "dossier_changed": _("Dossier changed"),
    "outcome": _("Outcome"),
    "document": _("Document"),
    "event": _("Event"),
    "event_cancelled": _("Event cancelled"),
    "collective_listed": _("Collective"),
    "comment": _("Comment"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def localized(path: str, language: str) -> str:
    """A site path without language prefix (as activities store them) under ``language``'s prefix."""
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"
