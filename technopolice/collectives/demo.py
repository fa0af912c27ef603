"""The collectives' part of the demo: three example collectives (Nice, Marseille, and a dormant
one in Paris), two contributor accounts who organise them, and a request to join waiting for an
organiser, so that a person logging in as ``organisatrice`` sees the organisers' pages.

``organisatrice`` has a confirmed email address (the relay writes to organisers by email; in the
demo, emails are files in ``DATA_DIR/mail``). Its password is printed when the account is
created, like the staff accounts' (``DEMO_PASSWORD`` or random). The collectives are marked as
examples and listed at once, as a moderator would list them. Every step is idempotent: an
existing collective or membership is left as people made it.
"""

import datetime
import os
import secrets

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from technopolice.accounts.roles import CONTRIBUTORS
from technopolice.registry.models import Commune, Department

from .actions import record_listed
from .models import Collective, CollectiveStatus, Membership, MembershipStatus, Role

ORGANISER, MEMBER = "organisatrice", "militant"
NICE, MARSEILLE, PARIS = (
    "exemple-technopolice-nice",
    "exemple-technopolice-marseille",
    "exemple-vigilance-paris",
)

# (slug, name, communes' INSEE codes, departments' codes, founded, dormant, links, description)
COLLECTIVES = [
    (
        NICE,
        "[Exemple] Technopolice Nice",
        ["06088"],
        ["06"],
        datetime.date(2019, 9, 14),
        False,
        {
            "website": "https://nice.technopolice.example.org/",
            "mastodon": "@technopolice_nice@social.example.org",
            "matrix": "#technopolice-nice:matrix.example.org",
        },
        "*Collectif d'exemple, créé pour la démonstration : il n'existe pas.*\n\n"
        "Nous sommes des habitantes et des habitants de Nice et des Alpes-Maritimes qui documentons "
        "la vidéosurveillance de la ville, son centre de supervision urbain et les essais de "
        "reconnaissance faciale. Nous lisons les délibérations du conseil municipal, demandons les "
        "documents administratifs et en parlons lors de réunions publiques.\n\n"
        "**Rejoignez-nous** : réunion ouverte chaque premier mardi du mois.",
    ),
    (
        MARSEILLE,
        "[Exemple] Collectif marseillais contre la Technopolice",
        ["13055"],
        [],
        datetime.date(2020, 1, 25),
        False,
        {
            "website": "https://marseille.technopolice.example.org/",
            "signal": "https://signal.group/#exemple-marseille",
        },
        "*Collectif d'exemple, créé pour la démonstration : il n'existe pas.*\n\n"
        "À Marseille, nous suivons la vidéosurveillance algorithmique, les portiques des lycées et "
        "l'extension du réseau de caméras. Nous organisons des balades cartographiques pour "
        "recenser les caméras et des débats publics.",
    ),
    (
        PARIS,
        "[Exemple] Vigilance drones Paris",
        ["75056"],
        ["75"],
        datetime.date(2020, 5, 2),
        True,
        {"website": "https://drones-paris.example.org/"},
        "*Collectif d'exemple, créé pour la démonstration : il n'existe pas.*\n\n"
        "Né pendant le confinement pour suivre les drones de la préfecture de police, ce collectif "
        "est en sommeil depuis que le Conseil d'État les a interdits. Il se réveillera si les "
        "drones reviennent.",
    ),
]

# (collective, account, role, status): Nice's organiser is a plain member in Marseille, so she sees
# both sides of a collective's page; the other account's request to join Nice waits for her answer.
MEMBERSHIPS = [
    (NICE, ORGANISER, Role.ORGANISER, MembershipStatus.ACTIVE),
    (MARSEILLE, MEMBER, Role.ORGANISER, MembershipStatus.ACTIVE),
    (MARSEILLE, ORGANISER, Role.MEMBER, MembershipStatus.ACTIVE),
    (PARIS, MEMBER, Role.ORGANISER, MembershipStatus.ACTIVE),
    (NICE, MEMBER, Role.MEMBER, MembershipStatus.REQUESTED),
]


def load_collectives() -> str:
    """The two contributor accounts, the example collectives and their memberships."""
    accounts = "; ".join(_account(username) for username in (ORGANISER, MEMBER))
    with transaction.atomic():
        created = sum(_collective(*entry) for entry in COLLECTIVES)
        joined = sum(_membership(*entry) for entry in MEMBERSHIPS)
    return _(
        "%(total)s example collectives (%(created)s created, %(joined)s memberships added); %(accounts)s"
    ) % {"total": len(COLLECTIVES), "created": created, "joined": joined, "accounts": accounts}


def _account(username: str) -> str:
    """A contributor with a confirmed address; its password is printed only when it is created."""
    user, created = User.objects.get_or_create(username=username)
    user.groups.add(Group.objects.get(name=CONTRIBUTORS))
    if not user.email:  # accounts/emails.py: user.email only ever holds a confirmed address
        user.email = f"{username}@example.org"
        user.save(update_fields=["email"])
    if not created:
        return _("%(user)s exists, password unchanged (email %(email)s)") % {
            "user": username,
            "email": user.email,
        }
    password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
    user.set_password(password)
    user.save(update_fields=["password"])
    return _("%(user)s created with the password %(password)s (email %(email)s)") % {
        "user": username,
        "password": password,
        "email": user.email,
    }


def _collective(slug, name, communes, departments, founded_on, dormant, links, description) -> bool:
    if Collective.objects.filter(slug=slug).exists():
        return False
    collective = Collective.objects.create(
        slug=slug,
        name=name,
        description=description,
        founded_on=founded_on,
        is_dormant=dormant,
        is_example=True,
        status=CollectiveStatus.LISTED,
        listed_at=timezone.now(),
        **links,
    )
    collective.communes.set(Commune.objects.filter(insee__in=communes))
    collective.departments.set(Department.objects.filter(code__in=departments))
    record_listed(collective)  # listed at once: the feeds of the demo have it
    return True


def _membership(slug: str, username: str, role: str, status: str) -> bool:
    joined_at = timezone.now() if status == MembershipStatus.ACTIVE else None
    _membership, created = Membership.objects.get_or_create(
        collective=Collective.objects.get(slug=slug),
        user=User.objects.get(username=username),
        defaults={"role": role, "status": status, "joined_at": joined_at},
    )
    return created


STEPS = [("collectives", load_collectives)]
