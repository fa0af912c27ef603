"""What every registry list shares: one Table per request, served as HTML or as a twin.

A list view is written once as a ``build(request)`` function returning the Table and any
extra context; ``serve_list`` renders the page or its ``.json``/``.csv`` twin from it, so the
three forms show the same rows, and turns a ``BadRequest`` into a clear page or the JSON
error shape.
"""

from collections.abc import Callable

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from technopolice.lib import opendata
from technopolice.lib.opendata import Attribution, BadRequest, Table

# Who made the registry's own data, carried by every export of it.
REGISTRY_ATTRIBUTION = Attribution(_("Technopolice contributors"), _("Open Database License (ODbL 1.0)"))
# The influence graph imported from carto_technopolice (see the import_graph command).
GRAPH_ATTRIBUTION = Attribution(_("carto_technopolice, influence graph by Arnaud Molo"), "AGPL-3.0")

# As search (20) and documents (30): a page that reads on a phone and renders fast; the .json
# and .csv twins take ?_size= up to 1,000 rows.
PER_PAGE = 25


def twin_urls(request) -> dict[str, str]:
    """The ``.json`` and ``.csv`` twins of the current list: same path without the slash, same query."""
    base = request.path.rstrip("/")
    query = request.GET.urlencode()
    return {fmt: f"{base}.{fmt}" + (f"?{query}" if query else "") for fmt in opendata.FORMATS}


def page_table(
    request,
    name: str,
    columns,
    queryset,
    attribution,
    per_page: int = PER_PAGE,
    prepare=list,
    paginator=Paginator,
) -> tuple[Table, object]:
    """One page of ``queryset`` as a Table whose ``next`` keeps the filters and the format.

    ``prepare`` turns the page's records into the rows shown (e.g. ``attach_links``);
    ``paginator`` is passed to ``opendata.paginate``.
    """
    page = opendata.paginate(request, queryset, per_page, paginator)
    # The HTML page links to its neighbours with the same helper that gives the twins their "next".
    page.next_url = opendata.page_url(request, page.next_page_number()) if page.has_next() else None
    page.previous_url = (
        opendata.page_url(request, page.previous_page_number()) if page.has_previous() else None
    )
    table = Table(name, columns, prepare(page.object_list), page.paginator.count, page.next_url, attribution)
    return table, page


def serve_list(request, fmt: str | None, build: Callable, template: str):
    """Render ``template`` with the Table ``build`` makes, or answer with its twin."""
    try:
        table, context = build(request)
    except BadRequest as error:
        return error_response(request, fmt, error)
    if fmt:
        return opendata.respond(table, fmt)
    context = {"table": table, "twins": twin_urls(request), **context}
    return render(request, template, context)


def error_response(request, fmt: str | None, error: BadRequest):
    if fmt:
        return opendata.respond_error(error)
    context = {"message": error.message, "back_url": request.path}
    return render(request, "registry/error.html", context, status=error.status)


def check_form(form) -> dict:
    """The cleaned filters, or a BadRequest that says which values are wrong."""
    if not form.is_valid():
        raise BadRequest(form.error_message())
    return form.cleaned_data
