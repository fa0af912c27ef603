"""The following part of the demo: the collectives' demo organiser (a contributor with a confirmed
email) follows Nice, so that logging in as ``organisatrice`` shows a follows page with its
activity, and a digest run (``technopolice send_digests --frequency daily`` then the worker)
writes an email into ``DATA_DIR/mail``. Idempotent: an existing follow is left as it is."""

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from technopolice.registry.models import Commune

from . import actions
from .models import Follow

FOLLOWER, COMMUNE = "organisatrice", "06088"  # Nice


def load_follows() -> str:
    user = User.objects.filter(username=FOLLOWER).first()
    commune = Commune.objects.filter(insee=COMMUNE).first()
    if user is None or commune is None:
        return _("no follow: the demo organiser or Nice is missing")
    key = f"commune:{commune.pk}"
    actions.subscription(user, "fr")
    # Straight in rather than through actions.follow: the demo's commune is known to be public.
    _follow, created = Follow.objects.get_or_create(user=user, key=key)
    return _("%(user)s follows %(commune)s (%(state)s)") % {
        "user": FOLLOWER,
        "commune": commune.name,
        "state": _("new") if created else _("already"),
    }


STEPS = [("following", load_follows)]
