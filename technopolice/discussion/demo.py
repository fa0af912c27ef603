"""The discussion's part of the demo: a short thread on an example dossier and one on the Nice
example collective, written by the collectives' demo accounts (``organisatrice``, ``militant``),
one of them mentioning the other. Idempotent: a target that has comments already is left alone."""

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from technopolice.collectives.demo import MEMBER, NICE, ORGANISER
from technopolice.collectives.models import Collective
from technopolice.registry.models import Dossier

from . import actions
from .models import Comment

# (author, body, index of the comment it answers or None)
DOSSIER_THREAD = [
    (MEMBER, "La délibération qui vote ce marché est-elle en ligne ? Je ne la trouve pas.", None),
    (ORGANISER, "> est-elle en ligne ?\n\nPas encore : nous l'avons demandée à la mairie.", 0),
    (MEMBER, "Merci @organisatrice, je l'ajouterai aux documents dès qu'elle arrive.", 1),
]
COLLECTIVE_THREAD = [
    (MEMBER, "La prochaine balade cartographique passe-t-elle par le port ?", None),
    (ORGANISER, "Oui, départ place Garibaldi à 10 h, voir [la carte](https://technopolice.fr/).", 0),
]


def load_comments() -> str:
    dossier = Dossier.objects.filter(is_example=True, communes__isnull=False).order_by("pk").first()
    collective = Collective.objects.filter(slug=NICE).first()
    written = 0
    for target, thread in ((dossier, DOSSIER_THREAD), (collective, COLLECTIVE_THREAD)):
        if target is not None and not Comment.objects.on(target).exists():
            written += _thread(target, thread)
    return _("%(count)d example comments written") % {"count": written}


def _thread(target, thread) -> int:
    users = {u.username: u for u in User.objects.filter(username__in=[ORGANISER, MEMBER])}
    posted: list[Comment] = []
    for username, body, answers in thread:
        if username not in users:
            return len(posted)
        parent = posted[answers] if answers is not None else None
        posted.append(actions.post(users[username], target, body, parent))
    return len(posted)


STEPS = [("discussion", load_comments)]
