"""What may be commented on, and what each kind of target tells a comment: whether it is public,
its page, its communes (for the commune's discussion page) and its subjects (for the activity)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType

from technopolice.activity.subjects import key
from technopolice.collectives.models import Collective
from technopolice.documents.models import Document
from technopolice.registry.activity import dossier_subjects, place_subjects
from technopolice.registry.models import Dossier


@dataclass(frozen=True)
class Commentable:
    is_public: Callable[[Any], bool]
    commune_ids: Callable[[Any], list[int]]
    subjects: Callable[[Any], set[str]]


def _collective_subjects(collective: Collective) -> set[str]:
    places = place_subjects(collective.communes.select_related("department"), collective.departments.all())
    return {key(collective), *places}


def _document_subjects(document: Document) -> set[str]:
    keys = {key(document)}
    for dossier in document.dossiers.all():
        keys |= dossier_subjects(dossier)
    return keys


KINDS: dict[type, Commentable] = {
    Dossier: Commentable(
        is_public=lambda d: True,  # a dossier exists only once a moderator accepted it
        commune_ids=lambda d: [c.pk for c in d.communes.all()],
        subjects=dossier_subjects,
    ),
    Document: Commentable(
        is_public=lambda d: d.is_published,
        commune_ids=lambda d: list(
            Dossier.communes.through.objects.filter(dossier__documents=d)
            .values_list("commune_id", flat=True)
            .distinct()
        ),
        subjects=_document_subjects,
    ),
    Collective: Commentable(
        is_public=lambda c: c.is_listed,
        commune_ids=lambda c: [c.pk for c in c.communes.all()],
        subjects=_collective_subjects,
    ),
}


def commentable(obj) -> Commentable | None:
    return KINDS.get(type(obj))


def load(type_id: int, object_id: int):
    """The public target of a comment form, or None (unknown kind, gone, not public)."""
    try:
        model = ContentType.objects.get_for_id(type_id).model_class()
    except ContentType.DoesNotExist:
        return None
    if model not in KINDS:
        return None
    obj = model._default_manager.filter(pk=object_id).first()
    return obj if obj is not None and KINDS[model].is_public(obj) else None
