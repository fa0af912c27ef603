"""Re-index a record whenever it changes, so search never shows what the registry no longer says."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from technopolice.discussion.models import Comment
from technopolice.documents.models import Document
from technopolice.registry.models import Dossier, Organisation, Source

from . import indexing
from .models import EntryType

_INDEXERS = {
    Dossier: (EntryType.DOSSIER, indexing.index_dossier),
    Source: (EntryType.SOURCE, indexing.index_source),
    Organisation: (EntryType.ORGANISATION, indexing.index_organisation),
    Document: (EntryType.DOCUMENT, indexing.index_document),
    Comment: (EntryType.COMMENT, indexing.index_comment),
}


def _saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:  # fixtures load rows before their relations exist
        _INDEXERS[sender][1](instance)


def _deleted(sender, instance, **kwargs) -> None:
    indexing.remove(_INDEXERS[sender][0], instance.pk)


def _links_changed(sender, instance, action, reverse=False, model=None, pk_set=None, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if not reverse:
        _INDEXERS[type(instance)][1](instance)
        return
    for obj in model.objects.filter(pk__in=pk_set or []):
        _INDEXERS[model][1](obj)


def connect() -> None:
    for model in _INDEXERS:
        post_save.connect(_saved, sender=model, dispatch_uid=f"search_saved_{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search_deleted_{model.__name__}")
    through_models = [
        getattr(Dossier, name).through for name in ("technologies", "communes", "departments", "regions")
    ]
    through_models += [Document.dossiers.through, Organisation.technologies.through, Comment.communes.through]
    for through in through_models:
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"search_links_{through.__name__}")
