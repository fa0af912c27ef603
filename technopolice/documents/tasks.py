"""Background work on documents, run by `technopolice db_worker`."""

from django.db import transaction
from django.tasks import task

from .extraction import read_pages, status_of
from .models import Document, ExtractionStatus, Page

# The queue settings.TASKS declares for documents: its own worker in production
# (docs/production.md), so emails on the "default" queue never wait behind a long OCR.
QUEUE = "documents"


# A worker that takes every queue (`./dev demo`) takes the ready emails first: they rank higher.
@task(queue_name=QUEUE, priority=-10)
def extract_text(document_id: int) -> str:
    """Read every page of a document and store its text; OCR can take minutes, hence the queue."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None:  # deleted (rejected upload) before the worker reached it
        return "gone"
    Document.objects.filter(pk=document_id).update(extraction_status=ExtractionStatus.RUNNING)
    try:
        with document.file.open("rb") as f:
            pages = read_pages(f.read(), document.file_type)
    except Exception:
        Document.objects.filter(pk=document_id).update(extraction_status=ExtractionStatus.FAILED)
        raise
    _save_pages(document, pages)
    return document.extraction_status


@transaction.atomic
def _save_pages(document: Document, pages) -> None:
    document.pages.all().delete()
    Page.objects.bulk_create(
        Page(document=document, number=p.number, text=p.text, method=p.method) for p in pages
    )
    document.extraction_status = status_of(pages)
    document.page_count = len(pages) or document.page_count
    # Saving re-indexes the document for search (search.signals), now with its pages.
    document.save(update_fields=["extraction_status", "page_count"])
