"""Keep the search index in step with dossiers, sources, organisations and published documents.

Each ``index_*`` function replaces every entry of one record, so calling it twice is harmless;
signals (search.signals) call them on every change, ``rebuild()`` redoes everything.
"""

from django.db import transaction
from tqdm import tqdm

from technopolice.discussion.models import Comment
from technopolice.documents.models import Document
from technopolice.registry.models import Dossier, Organisation, Source

from .models import EntryType, SearchEntry
from .stemming import stem_text


def _keys(values) -> str:
    # Spaces around every key so a filter matches whole keys only: " lyon-69123 ".
    return f" {' '.join(sorted(set(values)))} " if values else ""


def _entry(entry_type: str, obj, title: str, body: str = "", page: int = 0, **fields) -> SearchEntry:
    return SearchEntry(
        entry_type=entry_type,
        object_id=obj.pk,
        page=page,
        title=title[:300],
        body=body,
        title_stems=stem_text(title),
        body_stems=stem_text(body),
        **fields,
    )


@transaction.atomic
def _replace(entry_type: str, object_id: int, entries: list[SearchEntry]) -> None:
    SearchEntry.objects.filter(entry_type=entry_type, object_id=object_id).delete()
    SearchEntry.objects.bulk_create(entries, batch_size=500)


def remove(entry_type: str, object_id: int) -> None:
    SearchEntry.objects.filter(entry_type=entry_type, object_id=object_id).delete()


def dossier_places(dossiers) -> list[str]:
    keys = []
    for dossier in dossiers:
        for commune in dossier.communes.select_related("department__region"):
            keys += [commune.slug, commune.department.slug, commune.department.region.slug]
        for department in dossier.departments.select_related("region"):
            keys += [department.slug, department.region.slug]
        keys += [region.slug for region in dossier.regions.all()]
    return keys


def dossier_technologies(dossiers) -> list[str]:
    return [t.slug for dossier in dossiers for t in dossier.technologies.all()]


def index_dossier(dossier: Dossier) -> None:
    body = "\n".join([dossier.description, dossier.funding, dossier.legal_basis])
    names = [c.name for c in dossier.communes.all()] + [t.name_fr for t in dossier.technologies.all()]
    entry = _entry(
        EntryType.DOSSIER,
        dossier,
        dossier.title,
        body + "\n" + " ".join(names),
        ref=dossier.slug,
        kind=dossier.status,
        date=dossier.start_date,
        places=_keys(dossier_places([dossier])),
        technologies=_keys(dossier_technologies([dossier])),
    )
    _replace(EntryType.DOSSIER, dossier.pk, [entry])


def index_source(source: Source) -> None:
    dossier = source.dossier
    entry = _entry(
        EntryType.SOURCE,
        source,
        source.title,
        f"{source.publisher}\n{dossier.title}",
        ref=source.url,
        kind=source.kind,
        date=source.date,
        places=_keys(dossier_places([dossier])),
        technologies=_keys(dossier_technologies([dossier])),
    )
    _replace(EntryType.SOURCE, source.pk, [entry])


def index_organisation(organisation: Organisation) -> None:
    commune = organisation.commune
    places = [commune.slug, commune.department.slug, commune.department.region.slug] if commune else []
    entry = _entry(
        EntryType.ORGANISATION,
        organisation,
        organisation.name,
        organisation.description,
        ref=organisation.slug,
        kind=organisation.kind,
        places=_keys(places),
        technologies=_keys([t.slug for t in organisation.technologies.all()]),
    )
    _replace(EntryType.ORGANISATION, organisation.pk, [entry])


def index_document(document: Document) -> None:
    """One entry per page with text (the title is searchable on each), or one for the title alone."""
    if not document.is_published:
        return remove(EntryType.DOCUMENT, document.pk)
    dossiers = list(document.dossiers.all())
    places = dossier_places(dossiers)
    if document.issuer_id and document.issuer.commune_id:
        places.append(document.issuer.commune.slug)
    common = {
        "kind": document.kind,
        "date": document.date,
        "places": _keys(places),
        "technologies": _keys(dossier_technologies(dossiers)),
    }
    pages = [p for p in document.pages.all() if p.text.strip()]
    entries = [
        _entry(EntryType.DOCUMENT, document, document.title, p.text, p.number, **common) for p in pages
    ]
    _replace(
        EntryType.DOCUMENT,
        document.pk,
        entries or [_entry(EntryType.DOCUMENT, document, document.title, **common)],
    )


def index_comment(comment: Comment) -> None:
    """A public comment under its target's title; hidden or deleted, it leaves the index."""
    target = comment.target
    if not comment.is_public or target is None:
        return remove(EntryType.COMMENT, comment.pk)
    places = [c.slug for c in comment.communes.all()]
    entry = _entry(
        EntryType.COMMENT,
        comment,
        str(target),
        comment.body,
        places=_keys(places),
        date=comment.created_at.date(),
    )
    _replace(EntryType.COMMENT, comment.pk, [entry])


def rebuild(progress: bool = False) -> int:
    """Index everything again (after an import that bypassed signals, or a change of stemmer)."""
    SearchEntry.objects.all().delete()
    work = [
        (Dossier.objects.all(), index_dossier),
        (Source.objects.select_related("dossier"), index_source),
        (Organisation.objects.select_related("commune__department__region"), index_organisation),
        (Document.objects.published().select_related("issuer__commune"), index_document),
        (Comment.objects.public(), index_comment),
    ]
    for queryset, indexer in work:
        for record in tqdm(queryset.iterator(), total=queryset.count(), disable=not progress, unit="record"):
            indexer(record)
    return SearchEntry.objects.count()
