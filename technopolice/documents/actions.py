"""Verbs that store, propose, publish and discard documents. Views, moderation and commands call these."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from technopolice.activity import actions as activity
from technopolice.moderation import actions as moderation
from technopolice.moderation.models import Proposal
from technopolice.registry.activity import dossier_subjects, path_of
from technopolice.registry.models import Dossier, Organisation

from .cleaning import Cleaned
from .models import Document
from .tasks import extract_text

DOCUMENT_KIND = "document"


def store(cleaned: Cleaned, **metadata) -> tuple[Document, bool]:
    """The document for these cleaned bytes: the existing one if already stored (no second copy)."""
    existing = Document.objects.filter(sha256=cleaned.sha256).first()
    if existing:
        return existing, False
    document = Document(
        sha256=cleaned.sha256,
        file_type=cleaned.file_type,
        size=len(cleaned.data),
        page_count=cleaned.page_count,
    )
    for name, value in metadata.items():
        setattr(document, name, value)
    document.file.save("cleaned", ContentFile(cleaned.data), save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:  # the same content, stored by a concurrent upload a moment ago
        document.file.storage.delete(document.file.name)
        return Document.objects.get(sha256=cleaned.sha256), False
    # After commit, so the worker never looks for a document that is not there yet.
    transaction.on_commit(lambda: extract_text.enqueue(document.pk))
    return document, True


@transaction.atomic
def propose(cleaned: list[Cleaned], data: dict, contributor=None, message: str = "", leak: bool = False):
    """Store the cleaned files unpublished and put one proposal in the moderation queue.

    Returns the proposal and its follow-up token (shown once to the sender). A leak keeps
    no contributor even when someone is logged in: nothing must tie it to a person.
    """
    cleaned = list({c.sha256: c for c in cleaned}.values())  # the same file twice in one upload
    total = len(cleaned)
    documents = [
        store(c, title=_numbered(data["title"], i, total), is_leak=leak)[0] for i, c in enumerate(cleaned, 1)
    ]
    payload = dict(data, leak=leak, documents=[{"id": d.pk, "sha256": d.sha256} for d in documents])
    return moderation.submit(
        DOCUMENT_KIND, payload, message=message, contributor=None if leak else contributor
    )


def _numbered(title: str, index: int, total: int) -> str:
    return title if total == 1 else f"{title} ({index}/{total})"


def accept(proposal: Proposal, moderator) -> Document:
    """Publish the proposal's documents with its metadata and link them to its dossiers."""
    payload = proposal.payload
    issuer = _organisation(payload.get("issuer"))
    dossiers = _dossiers(payload.get("dossiers", []))
    published = []
    for row in payload.get("documents", []):
        document = Document.objects.filter(pk=row["id"], sha256=row["sha256"]).first()
        if document is None:
            raise ValidationError(_("A document of this proposal no longer exists."))
        published.append(_publish(document, payload, issuer, dossiers))
    if not published:
        raise ValidationError(_("This proposal has no document."))
    return published[0]


def _publish(document: Document, payload: dict, issuer, dossiers) -> Document:
    was_published = document.is_published
    if not was_published:
        # A document already public keeps its reviewed metadata; a new upload only adds links.
        document.kind = payload.get("kind") or document.kind
        document.date = payload.get("date") or None
        document.issuer = issuer
        document.save()
        document.publish()
    document.dossiers.add(*dossiers)
    if not was_published:
        _record(document)
    return document


def _record(document: Document) -> None:
    """Say that a document is public, to whom its dossiers concern and to its issuer."""
    keys = set()
    for dossier in document.dossiers.all():
        keys |= dossier_subjects(dossier)
    if document.issuer_id:
        keys.add(f"organisation:{document.issuer_id}")
    activity.record("document", document, title=document.title, path=path_of(document), subjects=keys)


def _organisation(slug: str | None):
    if not slug:
        return None
    try:
        return Organisation.objects.get(slug=slug)
    except Organisation.DoesNotExist:
        raise ValidationError(_("The issuing body %(slug)s does not exist.") % {"slug": slug}) from None


def _dossiers(slugs: list[str]) -> list[Dossier]:
    found = list(Dossier.objects.filter(slug__in=slugs))
    missing = set(slugs) - {d.slug for d in found}
    if missing:
        raise ValidationError(_("Unknown dossier: %(slugs)s.") % {"slugs": ", ".join(sorted(missing))})
    return found


def _offered_ids(exclude: Proposal | None = None) -> set[int]:
    """The documents that pending proposals offer: a moderator has yet to decide on them."""
    pending = Proposal.objects.pending().filter(kind=DOCUMENT_KIND)
    if exclude is not None:
        pending = pending.exclude(pk=exclude.pk)
    return {row["id"] for proposal in pending for row in proposal.payload.get("documents", [])}


@transaction.atomic
def discard_rejected(proposal: Proposal) -> int:
    """Delete the unpublished documents of a rejected proposal that no other pending proposal still offers."""
    ids = [row["id"] for row in proposal.payload.get("documents", [])]
    doomed = Document.objects.filter(
        pk__in=set(ids) - _offered_ids(exclude=proposal), published_at__isnull=True
    )
    return len([document.delete() for document in doomed])  # one by one: each deletes its file


class AwaitingModeration(Exception):
    """An import met content an upload already brought, still waiting for a moderator."""

    def __init__(self, document: Document) -> None:
        super().__init__(document.pk)
        self.document = document


@transaction.atomic
def import_file(cleaned: Cleaned, title: str, kind: str, issuer=None, dossier=None) -> tuple[Document, bool]:
    """An administrator's import: published at once, since the administrator vouches for it.

    Except a document a pending upload offers (the same cleaned bytes): publishing it would skip
    the moderation of that upload (a leak, perhaps), so it is left waiting, untouched, and
    AwaitingModeration raised. The moderators decide.
    """
    document, created = store(cleaned, title=title[:300], kind=kind, issuer=issuer)
    was_published = document.is_published
    if not was_published and document.pk in _offered_ids():
        raise AwaitingModeration(document)
    document.publish()
    if dossier is not None:
        document.dossiers.add(dossier)
    if not was_published:
        _record(document)
    return document, created
