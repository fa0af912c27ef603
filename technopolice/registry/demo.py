"""The registry's part of the demo: the commune gazetteer, the vendors-and-buyers graph and the
example dossiers, all from the repository's samples/.

The demo loader (technopolice.demo) runs ``STEPS`` after the accounts' steps. Every step is
idempotent, so ``load_demo`` can run on every start.
"""

import json

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from technopolice.accounts.demo import MODERATOR
from technopolice.lib.commands import command_step
from technopolice.lib.text import fold

from . import actions, snapshots
from .importers.graph import organisation_slug
from .models import Dossier, Organisation, OrganisationKind

SAMPLES = settings.BASE_DIR / "samples"
DEMO_DOSSIERS = SAMPLES / "demo" / "dossiers.json"


def load_dossiers() -> str:
    """The example dossiers, published through moderation's own verb so they get revisions."""
    moderator = User.objects.filter(username=MODERATOR).first()
    entries = json.loads(DEMO_DOSSIERS.read_text(encoding="utf-8"))
    published = 0
    for entry in entries:
        with transaction.atomic():
            published += _publish(entry, moderator)
    return _("%(total)s example dossiers, %(published)s published or updated") % {
        "total": len(entries),
        "published": published,
    }


def _publish(entry: dict, moderator) -> bool:
    data = example_payload(entry)
    dossier = Dossier.objects.filter(is_example=True, title=data["title"]).first()
    if dossier is not None and snapshots.snapshot(dossier) == data:
        return False
    actions.publish_dossier(data, moderator, dossier, summary=_("Demo data"))
    return True


def example_payload(entry: dict) -> dict:
    """A full snapshot from a demo entry; organisations are named and created when missing."""
    data = {name: entry.get(name, _DEFAULTS.get(name, "")) for name in snapshots.SCALAR_FIELDS}
    data["is_example"] = True
    for key in ("technologies", "communes", "departments", "regions"):
        data[key] = sorted(entry.get(key, []))
    data["operator"] = (
        _organisation(entry["operator"], OrganisationKind.PUBLIC_BODY) if entry.get("operator") else None
    )
    data["vendors"] = sorted(
        _organisation(name, OrganisationKind.VENDOR) for name in entry.get("vendors", [])
    )
    data["sources"] = [{f: s.get(f) for f in snapshots.SOURCE_FIELDS} for s in entry["sources"]]
    data["events"] = sorted(
        ({f: e.get(f, "") for f in snapshots.EVENT_FIELDS} for e in entry.get("events", [])),
        key=lambda e: e["date"],
    )
    return data


_DEFAULTS = {"is_national": False, "disputed": False, "start_date": None, "end_date": None}
_DEFAULTS |= {"budget_eur": None, "camera_count": None, "status": "unknown"}


def _organisation(name: str, kind: str) -> str:
    slug = organisation_slug(name)
    Organisation.objects.get_or_create(
        slug=slug, defaults={"name": name, "kind": kind, "search_text": fold(name)}
    )
    return slug


STEPS = [
    ("communes", command_step("import_communes", str(SAMPLES / "communes"))),
    ("graph", command_step("import_graph", str(SAMPLES / "technopolice-graph"))),
    ("dossiers", load_dossiers),
]
