"""Document pages: upload, anonymous drop, list with open-data twins, one document and its file."""

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from technopolice.lib import opendata
from technopolice.lib.ratelimit import allow_visitor
from technopolice.lib.uploads import memory_only

from . import actions
from .forms import DocumentFilterForm, LeakForm, UploadForm
from .models import Document, DocumentKind, FileType

PER_PAGE = 30
# The file is shown by the browser itself, never as part of our pages: no script may run in it,
# nothing may be loaded by it, and no page of ours may be framed by it.
FILE_CSP = (
    "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'none'"
)
INLINE_TYPES = {FileType.PDF, FileType.JPEG, FileType.PNG, FileType.WEBP, FileType.TEXT}


def _visible(request, pk: int) -> Document:
    """A published document, or a pending one for the moderators who review it; 404 for anyone else."""
    document = get_object_or_404(Document.objects.select_related("issuer"), pk=pk)
    if not document.is_published and not request.user.has_perm("moderation.moderate_proposal"):
        raise Http404
    return document


def _memory_only(request) -> None:
    memory_only(request, max_bytes=settings.DOCUMENTS_MAX_BYTES, max_files=settings.DOCUMENTS_MAX_FILES)


# Upload views swap the upload handlers, which must happen before the CSRF check reads POST:
# hence csrf_exempt outside and csrf_protect inside (as Django's documentation prescribes).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def upload(request):
    _memory_only(request)
    return _receive(request, UploadForm, "documents/upload.html", leak=False)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def leak(request):
    _memory_only(request)
    return _receive(request, LeakForm, "documents/leak.html", leak=True)


@csrf_protect
def _receive(request, form_class, template: str, leak: bool):
    initial = {"dossiers": request.GET.get("dossier", "")}
    posted = request.method == "POST"
    form = form_class(request.POST if posted else None, request.FILES if posted else None, initial=initial)
    if not posted:
        return render(request, template, {"form": form})
    if request.POST.get("website"):
        # The honeypot, before the limit: a robot's post, which stores nothing, must not use up the
        # quota of the people who share its address; its files are not even opened.
        form = form_class(request.POST, initial=initial)
        return render(request, template, {"form": form}, status=400)
    if not allow_visitor(request, "documents", settings.RATELIMIT_DOCUMENTS_PER_HOUR):
        form.add_error(None, _("Too many uploads in the last hour: please try again later."))
        return render(request, template, {"form": form}, status=429)
    if not form.is_valid():
        return render(request, template, {"form": form}, status=400)
    contributor = request.user if request.user.is_authenticated else None
    proposal, token = actions.propose(
        form.cleaned_data["files"], form.payload(), contributor, form.cleaned_data["message"], leak=leak
    )
    context = {"proposal": proposal, "token": token, "leak": leak}
    return render(request, "documents/sent.html", context)


@require_GET
def detail(request, pk: int):
    document = _visible(request, pk)
    context = {
        "document": document,
        "dossiers": document.dossiers.all(),
        "pages": document.pages.all(),
    }
    return render(request, "documents/detail.html", context)


@require_GET
def file(request, pk: int):
    document = _visible(request, pk)
    download = request.GET.get("download") == "1"
    inline = not download and document.file_type in INLINE_TYPES
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=not inline,
        filename=document.download_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "public, max-age=3600" if document.is_published else "private, no-store"
    return response


def _filtered(request):
    form = DocumentFilterForm(request.GET)
    if not form.is_valid():
        raise opendata.BadRequest(form.error_message())
    filters = form.cleaned_data
    documents = Document.objects.published().select_related("issuer")
    if filters["kind"]:
        documents = documents.filter(kind=filters["kind"])
    if filters["issuer"]:
        documents = documents.filter(issuer__slug=filters["issuer"])
    if filters["dossier"]:
        documents = documents.filter(dossiers__slug=filters["dossier"])
    if filters["year"] is not None:
        documents = documents.filter(date__year=filters["year"])
    return documents.distinct()


COLUMNS = [
    opendata.Column("id", lambda d: d.pk),
    opendata.Column("title", lambda d: d.title),
    opendata.Column("date", lambda d: d.date),
    opendata.Column("kind", lambda d: d.kind),
    opendata.Column("issuer", lambda d: d.issuer.slug if d.issuer else None),
    opendata.Column("file_type", lambda d: d.file_type),
    opendata.Column("pages", lambda d: d.page_count),
    opendata.Column("sha256", lambda d: d.sha256),
    opendata.Column("text_status", lambda d: d.extraction_status),
]


def _table(request, path: str):
    page = opendata.paginate(request, _filtered(request), PER_PAGE)
    next_url = opendata.page_url(request, page.next_page_number() if page.has_next() else None, path)
    return opendata.Table("documents", COLUMNS, list(page.object_list), page.paginator.count, next_url), page


@require_GET
def document_list(request):
    try:
        table, page = _table(request, request.path)
    except opendata.BadRequest as error:
        context = {"error": error.message, "kinds": DocumentKind.choices}
        return render(request, "documents/list.html", context, status=error.status)
    context = {"table": table, "page": page, "kinds": DocumentKind.choices, "query": request.GET.urlencode()}
    return render(request, "documents/list.html", context)


@require_GET
def document_list_twin(request, fmt: str):
    try:
        table, _page = _table(request, request.path)
    except opendata.BadRequest as error:
        return opendata.respond_error(error)
    return opendata.respond(table, fmt)
