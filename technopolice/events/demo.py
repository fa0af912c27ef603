"""The events' part of the demo: an upcoming public meeting of the example Nice collective, the
council session that votes Nice's example dossier, and a past debate in Marseille for the archive.

Dates are relative to the day the demo loads, at a fixed hour in Europe/Paris, and are moved on
every run (the demo loads on every start) so that the upcoming events stay upcoming. Each event
has a fixed uid, so a second run updates it rather than adding another.
"""

import datetime
import uuid
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from technopolice.accounts.demo import MODERATOR
from technopolice.collectives import demo as collectives_demo
from technopolice.collectives.models import Collective
from technopolice.registry.models import Commune, Dossier

from .actions import record
from .models import Event, EventKind

PARIS_TIME = ZoneInfo("Europe/Paris")
NAMESPACE = uuid.UUID("5f0c5a3e-2b7d-4c1e-9a51-7e0d3c9b8a11")  # the demo's events' uids derive from it

EVENTS = [
    {
        "key": "nice-meeting",
        "kind": EventKind.MEETING,
        "days": 17,  # from today, at "hour" in Paris, lasting "minutes"
        "hour": 19,
        "minutes": 120,
        "commune": "06088",
        "collective": collectives_demo.NICE,
        "title": "[Exemple] Réunion publique : que filment les caméras de Nice ?",
        "address": "Maison des associations (exemple), place Garibaldi, Nice",
        "description": "*Événement d'exemple, créé pour la démonstration.*\n\n"
        "Présentation de la carte des caméras de Nice, de ce que l'on sait du centre de supervision "
        "urbain, puis discussion ouverte. Entrée libre.",
    },
    {
        "key": "nice-council",
        "kind": EventKind.COUNCIL,
        "days": 24,
        "hour": 18,
        "minutes": 180,
        "commune": "06088",
        "dossier": "Nice : centre de supervision",  # a fragment of the example dossier's title
        "title": "[Exemple] Conseil municipal : extension du centre de supervision urbain",
        "address": "Hôtel de ville, 5 rue de l'Hôtel de Ville, Nice",
        "description": "*Événement d'exemple, créé pour la démonstration.*\n\n"
        "Le conseil municipal doit voter l'extension du réseau de caméras. La séance est publique : "
        "venez y assister.",
    },
    {
        "key": "marseille-debate",
        "kind": EventKind.DEBATE,
        "days": -40,
        "hour": 19,
        "minutes": 150,
        "commune": "13055",
        "collective": collectives_demo.MARSEILLE,
        "title": "[Exemple] Débat : la vidéosurveillance algorithmique après les Jeux",
        "address": "Bibliothèque de l'Alcazar (exemple), Marseille",
        "description": "*Événement d'exemple, créé pour la démonstration.*\n\n"
        "Ce que l'expérimentation a montré, et ce qu'elle annonce.",
    },
]


def load_events() -> str:
    """Two upcoming events and a past one, dated from today."""
    moderator = User.objects.filter(username=MODERATOR).first()
    created = 0
    with transaction.atomic():
        for entry in EVENTS:
            created += _event(entry, moderator)
    return _("%(total)s example events (%(created)s created, the others moved to their dates)") % {
        "total": len(EVENTS),
        "created": created,
    }


def starts_at(days: int, hour: int) -> datetime.datetime:
    """``hour`` o'clock in Paris, ``days`` after today's date in Paris."""
    day = timezone.localdate(timezone.now(), PARIS_TIME) + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS_TIME)


def _event(entry: dict, moderator) -> bool:
    """Publish ``entry`` (by its collective's organiser, or the moderator) or move it to its date."""
    start = starts_at(entry["days"], entry["hour"])
    end = start + datetime.timedelta(minutes=entry["minutes"])
    commune = Commune.objects.get(insee=entry["commune"])
    collective = Collective.objects.filter(slug=entry.get("collective", "")).first()
    event, created = Event.objects.update_or_create(
        uid=uuid.uuid5(NAMESPACE, entry["key"]),
        defaults={"starts_at": start, "ends_at": end},
        create_defaults={
            **{name: entry[name] for name in ("title", "kind", "description", "address")},
            "starts_at": start,
            "ends_at": end,
            "commune": commune,
            "department_id": commune.department_id,
            "collective": collective,
            "dossier": _dossier(entry.get("dossier")),
            "created_by": _organiser(collective) if collective else moderator,
            "is_example": True,
        },
    )
    if created:
        record(event, "event")  # as publish_event does, so the demo's feeds have it
    return created


def _dossier(title_fragment: str | None):
    if not title_fragment:
        return None
    return Dossier.objects.filter(is_example=True, title__contains=title_fragment).first()


def _organiser(collective: Collective):
    return User.objects.filter(memberships__collective=collective, memberships__role="organiser").first()


STEPS = [("events", load_events)]
