"""The complaints' part of the demo: a collective complaint to the CNIL against the Technopolice,
open and signed by a few people, beside a scheduled campaign and a draft, so every state of
a campaign's life cycle (lifecycle.py) shows on /plaintes/ and in the admin.

The campaigns' identities are sealed to a demo key pair; its private key is written to
``DATA_DIR/demo-campaign-key.txt`` (readable by its owner only) so that a person trying the demo
can run the export as an organiser would. A key file already there is kept and reused: it may
open campaigns of an earlier demo. Every step is idempotent (the demo loads on every start).
"""

import datetime
import os
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from technopolice.lib import sealing
from technopolice.registry.models import Dossier

from . import actions, lifecycle, tasks, tokens
from .forms import department_for
from .models import Campaign, CampaignStatus, Grievance, LocationRequired, MandateVersion, Signatory

KEY_FILE_NAME = "demo-campaign-key.txt"
OPEN, SCHEDULED, DRAFT = "technopolice-cnil", "reconnaissance-faciale-gares", "drones-manifestations"

MANDATE = """\
Je donne mandat à **La Quadrature du Net (exemple de démonstration)**, association déclarée,
pour introduire en mon nom, auprès de la Commission nationale de l'informatique et des libertés
(CNIL), une réclamation au titre de l'article 80 du règlement général sur la protection des
données et de l'article 77 de la directive 2016/680, portant sur les traitements que j'ai
choisis ci-dessus.

Ce mandat couvre le dépôt de la réclamation, les échanges avec la CNIL pendant son instruction
et, le cas échéant, les recours contre sa décision. Je peux le retirer à tout moment depuis le
lien reçu par courriel ; mes données sont alors effacées.
"""

ARGUMENT = """\
*Campagne de démonstration : les textes sont des exemples, rien n'est déposé.*

Caméras dans les rues, logiciels qui analysent leurs images, fichiers de police interrogés par
reconnaissance faciale : la surveillance de l'espace public s'étend sans que personne n'ait
démontré qu'elle est nécessaire ni proportionnée, comme l'exige le droit des données
personnelles.

Une réclamation collective oblige la CNIL à examiner ces traitements **dans leur ensemble**,
et non ville par ville. Chaque personne qui signe donne mandat à l'association de porter sa
voix ; plus nous sommes nombreux, plus l'instruction a de poids.
"""

GRIEVANCES = [
    (
        "Les réseaux de vidéosurveillance municipaux",
        "Des dizaines de milliers de caméras filment la voie publique sans étude d'impact publiée "
        "ni évaluation de leur utilité. Nous demandons à la CNIL de contrôler leur nécessité et "
        "la durée de conservation des images.",
        ["Nice : centre de supervision", "Valenciennes", "Moirans"],
    ),
    (
        "La vidéosurveillance algorithmique",
        "Des logiciels analysent en continu les images pour repérer des « comportements "
        "suspects ». Ce traitement de données biométriques au sens large n'a pas de base légale "
        "hors de l'expérimentation prévue par la loi.",
        ["Jeux olympiques"],
    ),
    (
        "Le fichier TAJ et sa reconnaissance faciale",
        "Le traitement d'antécédents judiciaires contient des millions de photographies de "
        "visages, comparées par logiciel à des images de caméras, y compris pour des personnes "
        "jamais condamnées.",
        ["TAJ"],
    ),
    (
        "Le fichier TES des titres d'identité",
        "Le fichier des titres électroniques sécurisés centralise la photographie et les "
        "empreintes de presque toute la population : une base prête pour l'identification "
        "de masse, dont nous contestons la proportionnalité.",
        [],
    ),
]

SIGNATORIES = [
    ("Camille", "Moreau", "camille.moreau@example.org", "75011", "Paris", [0, 1, 2, 3]),
    ("Yanis", "Benali", "yanis.benali@example.org", "13001", "Marseille", [1, 2]),
    ("Louise", "Garnier", "louise.garnier@example.org", "06000", "Nice", [0, 1]),
    ("Mathéo", "Rousseau", "matheo.rousseau@example.org", "69003", "Lyon", [2]),
    ("Inès", "Lefèvre", "ines.lefevre@example.org", "59000", "Lille", [0, 3]),
]


def key_path() -> Path:
    return Path(settings.DATA_DIR) / KEY_FILE_NAME


def demo_key() -> str:
    """The demo's public key; its private half in the key file, written (0600) if missing."""
    path = key_path()
    if path.exists():
        try:
            return sealing.public_key_of(sealing.read_private_key(path.read_bytes()))
        except sealing.SealingError:
            pass  # not a key file: replaced below
    private, public = sealing.generate_keypair()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(sealing.key_file_text(private, public, _("the demo campaigns")))
    path.chmod(0o600)
    return public


def load_campaigns() -> str:
    """The open campaign with its signatories, a scheduled one and a draft."""
    public_key = demo_key()
    now = timezone.now()
    day = datetime.timedelta(days=1)
    created = 0
    with transaction.atomic():
        campaign, new = _campaign(OPEN, public_key, now - 10 * day, now + 80 * day, open_demo=True)
        created += new
        if new:
            lifecycle.publish(campaign, now)
        signed = _sign_up(campaign)
        scheduled, new = _campaign(SCHEDULED, public_key, now + 14 * day, now + 104 * day)
        created += new
        if new:
            lifecycle.publish(scheduled, now)
        created += _campaign(DRAFT, public_key, now + 30 * day, now + 120 * day)[1]
    if Campaign.objects.filter(slug__in=[OPEN, SCHEDULED, DRAFT]).exclude(public_key=public_key).exists():
        # Made by an earlier demo whose key file is gone: say so rather than point at a key that fails.
        return _(
            "3 demo campaigns (%(created)s created, %(signed)s signatories added); some were sealed "
            "to an earlier key, which %(path)s does not hold: their export cannot be tried"
        ) % {"created": created, "signed": signed, "path": key_path()}
    return _(
        "3 demo campaigns (%(created)s created, %(signed)s signatories added); the private key "
        "that opens their signatories is in %(path)s"
    ) % {"created": created, "signed": signed, "path": key_path()}


def _campaign(slug: str, public_key: str, opens_at, closes_at, open_demo: bool = False):
    """(campaign, created): an existing campaign is left as staff made it."""
    existing = Campaign.objects.filter(slug=slug).first()
    if existing is not None:
        return existing, False
    texts = _TEXTS[slug]
    campaign = Campaign.objects.create(
        slug=slug,
        title=texts["title"],
        summary=texts["summary"],
        argument=ARGUMENT if open_demo else texts["argument"],
        filing_organisation="La Quadrature du Net (exemple)",
        target=texts.get("target"),
        opens_at=opens_at,
        closes_at=closes_at,
        location_required=LocationRequired.COMMUNE,
        public_key=public_key,
        status=CampaignStatus.DRAFT,
    )
    MandateVersion.objects.create(campaign=campaign, number=1, text=MANDATE)
    for position, (title, description, dossiers) in enumerate(texts["grievances"]):
        grievance = Grievance.objects.create(
            campaign=campaign, title=title, description=description, position=position
        )
        for fragment in dossiers:
            grievance.dossiers.add(*Dossier.objects.filter(is_example=True, title__contains=fragment))
    return campaign, True


def _sign_up(campaign: Campaign) -> int:
    """A few people sign and confirm through the real verbs. Their confirmation is done here
    (the token the worker would email, used at once), and nothing is left owed: no email goes
    to these example addresses, and the server forgets them as it would after sending."""
    signing = actions.Signing.of(campaign)
    grievances = list(signing.grievances)
    added = 0
    for first, last, email, postal_code, commune, chosen in SIGNATORIES:
        index = actions.email_index(email)
        if Signatory.objects.filter(campaign=campaign, email_index=index).exists():
            continue
        actions.sign(
            actions.Signature(
                campaign=campaign,
                mandate=signing.mandate,
                first_name=first,
                last_name=last,
                email=email,
                grievances=[grievances[i] for i in chosen if i < len(grievances)],
                address=f"{postal_code} {commune}",
                department=department_for(postal_code),
            )
        )
        signatory = Signatory.objects.get(campaign=campaign, email_index=index)
        token = tokens.new_confirm_token(signatory)
        signatory.save(update_fields=["confirm_token_hash", "confirm_expires_at"])
        actions.confirm(token)
        owed = Signatory.objects.filter(pk=signatory.pk)
        owed.update(mail_kind="", mail_due_at=None, mail_attempts=0)
        tasks.forget_addresses(owed)
        added += 1
    return added


_TEXTS = {
    OPEN: {
        "title": "[Exemple] Plainte collective contre la Technopolice",
        "summary": "Vidéosurveillance, surveillance algorithmique, fichiers TAJ et TES : "
        "une réclamation collective à la CNIL.",
        "target": 15000,
        "grievances": GRIEVANCES,
    },
    SCHEDULED: {
        "title": "[Exemple] Reconnaissance faciale dans les gares",
        "summary": "Une campagne programmée : elle s'ouvrira d'elle-même à sa date.",
        "argument": "*Campagne de démonstration.* Des expérimentations de reconnaissance faciale "
        "dans les gares sont annoncées ; cette réclamation s'ouvrira à sa date.",
        "grievances": [
            (
                "Les expérimentations de reconnaissance faciale en gare",
                "Identifier les voyageurs à leur insu n'est ni nécessaire ni proportionné.",
                [],
            )
        ],
    },
    DRAFT: {
        "title": "[Exemple] Drones au-dessus des manifestations",
        "summary": "Un brouillon : seule l'équipe le voit, en aperçu.",
        "argument": "*Brouillon de démonstration*, visible du seul personnel.",
        "grievances": [
            (
                "Les drones de surveillance des manifestations",
                "Filmer les cortèges depuis le ciel décourage l'exercice d'une liberté.",
                ["drones"],
            )
        ],
    },
}


STEPS = [("complaints", load_campaigns)]
