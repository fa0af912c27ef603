"""/recherche/: one search across dossiers, documents (page by page), sources and organisations."""

from django.core.paginator import Page, Paginator
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from .backends import Filters, Results, get_backend
from .forms import SearchForm
from .models import EntryType, SearchEntry
from .query import parse
from .snippets import snippet

PER_PAGE = 20


class _Results:
    """Just enough of a sequence for Django's Paginator: the count, and the one page we fetched."""

    def __init__(self, hits, total: int, offset: int):
        self.hits, self.total, self.offset = hits, total, offset

    def count(self) -> int:
        return self.total

    def __getitem__(self, item: slice):
        return self.hits


def entry_url(entry: SearchEntry) -> str:
    if entry.entry_type == EntryType.DOCUMENT:
        anchor = f"#page-{entry.page}" if entry.page else ""
        return reverse("documents:detail", args=[entry.object_id]) + anchor
    if entry.entry_type == EntryType.COMMENT:
        return reverse("discussion:permalink", args=[entry.object_id])
    if entry.entry_type == EntryType.SOURCE:
        return entry.ref  # the source itself: data the visitor chooses to follow
    name = "registry:dossier" if entry.entry_type == EntryType.DOSSIER else "registry:organisation"
    try:
        return reverse(name, args=[entry.ref])
    except NoReverseMatch:  # LEAD: registry pages land with the registry helper; no link until then
        return ""


def search_page(text: str, filters: Filters, page_number: int) -> tuple[list[dict], Page, bool]:
    """The rows of one page of results (snippets are cut for these only), its pager, and whether capped."""
    query = parse(text)
    offset = (page_number - 1) * PER_PAGE
    results = get_backend().search(query, filters, PER_PAGE, offset) if query else Results([], 0)
    # Not the stems nor the filter columns: tens of kilobytes per page of results that are not shown.
    shown = SearchEntry.objects.defer("title_stems", "body_stems", "places", "technologies")
    entries = shown.in_bulk([h.entry_id for h in results.hits])
    wanted = query.all_stems
    rows = [_row(entries[h.entry_id], h, wanted) for h in results.hits if h.entry_id in entries]
    page = Paginator(_Results(rows, results.total, offset), PER_PAGE, allow_empty_first_page=True).get_page(
        page_number
    )
    return rows, page, results.capped


def _row(entry: SearchEntry, hit, wanted: set[str]) -> dict:
    return {
        "entry": entry,
        "url": entry_url(entry),
        "snippet": snippet(entry.body, wanted) if entry.body else "",
        "other_pages": hit.pages_matched - 1,
    }


@require_GET
def results(request):
    form = SearchForm(request.GET or None)
    rows, page, capped = [], None, False
    if form.is_valid():
        try:
            page_number = max(1, int(request.GET.get("page", 1)))
        except ValueError:
            page_number = 1
        rows, page, capped = search_page(form.cleaned_data["q"], form.filters(), page_number)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "rows": rows,
        "page": page,
        "searched": page is not None,
        "capped": capped,
        "candidates": get_backend().candidates,
        "query": query.urlencode(),
    }
    return render(
        request, "search/results.html", context, status=200 if form.is_valid() or not form.is_bound else 400
    )
