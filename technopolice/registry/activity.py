"""What the registry tells the activity app: whom a dossier concerns, and the registry's subject kinds.

A dossier concerns its places (each commune's department and region too, so a department's feed
hears of a dossier filed under one of its towns), its technologies, its operator and vendors.
Collectives and events name their places through ``place_subjects`` so every app counts alike.
"""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from technopolice.activity import actions
from technopolice.activity.subjects import SubjectKind, register_kind

from .models import Commune, Department, Dossier, Organisation, Region, Technology
from .models.dossiers import OUTCOME_KINDS


def path_of(obj) -> str:
    """A page's path without the language prefix (French has none): feeds and emails add the reader's."""
    with translation.override("fr"):
        return obj.get_absolute_url()


def place_subjects(communes=(), departments=(), regions=()) -> set[str]:
    """Subject keys of places: a commune with its department and region, a department with its region."""
    keys = set()
    for commune in communes:
        keys |= {f"commune:{commune.pk}", f"department:{commune.department_id}"}
        keys.add(f"region:{commune.department.region_id}")
    for department in departments:
        keys |= {f"department:{department.pk}", f"region:{department.region_id}"}
    keys.update(f"region:{region.pk}" for region in regions)
    return keys


def dossier_subjects(dossier: Dossier) -> set[str]:
    """Everyone a dossier concerns: itself, its places, technologies, operator and vendors."""
    keys = {f"dossier:{dossier.pk}"}
    keys |= place_subjects(
        dossier.communes.select_related("department"), dossier.departments.all(), dossier.regions.all()
    )
    keys.update(f"technology:{pk}" for pk in dossier.technologies.values_list("pk", flat=True))
    keys.update(f"organisation:{pk}" for pk in dossier.vendors.values_list("pk", flat=True))
    if dossier.operator_id:
        keys.add(f"organisation:{dossier.operator_id}")
    return keys


def _outcomes(snapshot: dict | None) -> list[dict]:
    events = snapshot["events"] if snapshot else []
    return [event for event in events if event["kind"] in OUTCOME_KINDS]


def _outcome_key(event: dict) -> tuple:
    return event["date"], event["kind"], event["title"]


def record_dossier(dossier: Dossier, before: dict | None, after: dict) -> None:
    """Say that a dossier was published (``before`` is None) or changed, and each outcome it gained.

    ``before`` and ``after`` are snapshots. A timeline's rows are rewritten on every change, so a
    new outcome is one whose date, kind and title the version before did not have.
    """
    subjects, path = dossier_subjects(dossier), path_of(dossier)
    kind = "dossier_published" if before is None else "dossier_changed"
    actions.record(kind, dossier, title=dossier.title, path=path, subjects=subjects)
    known = {_outcome_key(event) for event in _outcomes(before)}
    for event in _outcomes(after):
        if _outcome_key(event) not in known:
            title = f"{dossier.title} — {event['title']}"
            summary = event["description"]
            actions.record("outcome", dossier, title=title, path=path, subjects=subjects, summary=summary)


def _lookup(model):
    def lookup(pks: list[int]) -> dict:
        return model.objects.in_bulk(pks)

    return lookup


# Every dossier in the registry is public: a proposal waits in moderation, not here.
SUBJECT_KINDS = [
    SubjectKind(kind, label, _lookup(model))
    for kind, label, model in (
        ("commune", _("commune"), Commune),
        ("department", _("department"), Department),
        ("region", _("region"), Region),
        ("technology", _("technology"), Technology),
        ("organisation", _("organisation"), Organisation),
        ("dossier", _("dossier"), Dossier),
    )
]


def register_kinds() -> None:
    for subject_kind in SUBJECT_KINDS:
        register_kind(subject_kind)
