"""What the following tests share: subject kinds (registered by their apps; stood in for here only
while an app has not registered its own), a mailbox on loopback, and activities."""

from django.apps import apps

from technopolice.activity import actions as activity_actions
from technopolice.activity import subjects
from technopolice.activity.models import Activity
from technopolice.following import tasks
from technopolice.following.models import DigestSubscription

MODELS = {
    "commune": "registry.Commune",
    "department": "registry.Department",
    "dossier": "registry.Dossier",
    "technology": "registry.Technology",
    "organisation": "registry.Organisation",
    "collective": "collectives.Collective",
}


def ensure_kinds() -> None:
    for kind, label in MODELS.items():
        if subjects.get_kind(kind) is None:
            model = apps.get_model(label)
            subjects.register_kind(
                subjects.SubjectKind(
                    kind, model._meta.verbose_name, lambda pks, m=model: m.objects.in_bulk(pks)
                )
            )


def happen(obj, title: str, *keys: str, kind: str = "dossier_changed") -> Activity:
    """An activity about ``obj`` concerning ``keys``, as a domain would record it."""
    return activity_actions.record(kind, obj, title=title, path=obj.get_absolute_url(), subjects=keys)


def time_passes() -> None:
    """Every digest comes due again."""
    DigestSubscription.objects.update(last_sent_at=None)


def run(frequency: str = "daily") -> str:
    return tasks.send_digests.call(frequency)
