"""The demo set-up: an ordered list of steps, each loading one kind of data from samples/.

Another importer joins the demo with one line in STEPS, for instance
``("cameras", command_step("import_cameras", "paris-cameras/cameras-geocoded.csv"))``.
Every step is idempotent, so ``load_demo`` can run on every start.
"""

import json
import os
import secrets
from collections.abc import Callable
from io import StringIO

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import transaction
from django.utils.translation import gettext as _

from technopolice.accounts.roles import ADMINISTRATORS, MODERATORS
from technopolice.lib.text import fold
from technopolice.registry import actions, snapshots
from technopolice.registry.models import Dossier, Organisation, OrganisationKind

from .graph import organisation_slug

SAMPLES = settings.BASE_DIR / "samples"
DEMO_DOSSIERS = SAMPLES / "demo" / "dossiers.json"
MODERATOR, ADMIN = "moderatrice", "admin"


def command_step(name: str, *paths: str) -> Callable[[], str]:
    """A step that runs an import command on sample files and returns its summary (last) line."""

    def step() -> str:
        out = StringIO()
        call_command(name, *[str(SAMPLES / p) for p in paths], stdout=out, stderr=StringIO(), verbosity=0)
        lines = out.getvalue().strip().splitlines()
        return lines[-1] if lines else ""

    return step


def create_accounts() -> str:
    """A moderator and an administrator; a password is printed only when its account is created."""
    password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
    lines = [
        _account(MODERATOR, MODERATORS, password, staff=False),
        _account(ADMIN, ADMINISTRATORS, password, staff=True),
    ]
    return "; ".join(lines)


def _account(username: str, group: str, password: str, staff: bool) -> str:
    user, created = User.objects.get_or_create(username=username, defaults={"is_staff": staff})
    user.groups.add(Group.objects.get(name=group))
    if not created:
        return _("%(user)s exists, password unchanged") % {"user": username}
    # The demo administrator is the one account that can grant roles, so it is a superuser.
    user.is_superuser = username == ADMIN
    user.set_password(password)
    user.save()
    return _("%(user)s created with the password %(password)s") % {"user": username, "password": password}


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


STEPS: list[tuple[str, Callable[[], str]]] = [
    ("communes", command_step("import_communes", "communes")),
    ("graph", command_step("import_graph", "technopolice-graph")),
    ("accounts", create_accounts),
    ("dossiers", load_dossiers),
]
