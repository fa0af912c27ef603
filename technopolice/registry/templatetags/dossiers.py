"""How a dossier's badges, places and technologies read, on its page and in every list.

Written in Python rather than as templates: a place page renders up to 80 rows, and the
template engine spent more time resolving each row's dozen variables than the page spent in
SQL (bench/registry_pages.py, profiled with cProfile). Rows are joined from strings escaped
with the standard library's ``html.escape`` (what Django's ``escape`` calls): ``format_html``
checked every argument of every row for laziness and safety.
"""

from html import escape

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ..listing import url_maker
from ..models.dossiers import DossierStatus

register = template.Library()


def _links(links, label=lambda link: link.name) -> list[str]:
    return [f'<a href="{escape(link.url)}">{escape(label(link))}</a>' for link in links]


def _places(dossier) -> str:
    links = dossier.links
    parts = [escape(_("whole country"))] if dossier.is_national else []
    parts += _links(links.communes)
    parts += _links(links.departments, lambda link: f"{link.name} ({link.key})")
    parts += _links(links.regions)
    return ", ".join(parts)


def _technologies(dossier) -> str:
    return ", ".join(_links(dossier.links.technologies))


def _status_label(status: str) -> str:
    """The status's name in the current language (``get_status_display`` rebuilt the choices
    dictionary at each call: a third of a list row's time)."""
    return capfirst(DossierStatus(status).label) if status in DossierStatus.values else status


def _badges(dossier) -> str:
    status, label = escape(dossier.status), escape(_status_label(dossier.status))
    html = [f'<span class="badge status-{status}">{label}</span>']
    if dossier.is_example:
        html.append(f'<span class="badge example">{escape(_("example"))}</span>')
    if dossier.disputed:
        html.append(f'<span class="badge warning">{escape(_("disputed"))}</span>')
    if dossier.is_ageing:
        title, text = escape(_("Not checked for a long time")), escape(_("to re-check"))
        html.append(f'<span class="badge warning" title="{title}">{text}</span>')
    return " ".join(html)


def _period(dossier) -> str:
    """Its start year (with the full date for machines), and its end year when another."""
    start, end = dossier.start_date, dossier.end_date
    html = f'<time datetime="{start.isoformat()}">{start.year}</time>' if start else ""
    if end and (start is None or end.year != start.year):
        html += f"–{end.year}"
    return html


@register.filter
def places(dossier) -> SafeString:
    """{{ dossier|places }}: whole country, communes, departments, regions, as links."""
    return mark_safe(_places(dossier))  # noqa: S308 (every value escaped above)


@register.filter
def technologies(dossier) -> SafeString:
    """{{ dossier|technologies }}: its technologies as links, in the taxonomy's order."""
    return mark_safe(_technologies(dossier))  # noqa: S308 (every value escaped above)


@register.filter
def badges(dossier) -> SafeString:
    """{{ dossier|badges }}: status, and whether it is an example, disputed or to re-check."""
    return mark_safe(_badges(dossier))  # noqa: S308 (every value escaped above)


@register.simple_tag
def dossier_table(dossiers) -> SafeString:
    """{% dossier_table dossiers %}: the table of dossiers every list and place page shows."""
    dossier_url = url_maker("registry:dossier")
    rows = [
        f'<tr data-slug="{escape(dossier.slug)}"><td><a href="{escape(dossier_url(dossier.slug))}">'
        f"{escape(dossier.title)}</a><br>{_badges(dossier)}</td><td>{_places(dossier)}</td>"
        f"<td>{_technologies(dossier)}</td><td>{_period(dossier)}</td></tr>"
        for dossier in dossiers
    ]
    # Every value above is escaped.
    return render_to_string("registry/_dossier_table.html", {"rows": mark_safe("\n".join(rows))})  # noqa: S308


def _facet_title(name: str) -> str:
    return {"status": _("Status"), "technology": _("Technology")}.get(name) or _("Region")


def _facet_item(value) -> str:
    item = ' class="selected"' if value.selected else ""
    current = ' aria-current="true"' if value.selected else ""
    link = f'<a href="{escape(value.url)}"{current}>{escape(capfirst(value.label))}</a>'
    return f'<li{item}>{link} <span class="count">{value.count}</span></li>'


@register.simple_tag
def facet_lists(facets: dict) -> SafeString:
    """{% facet_lists facets %}: each facet's values with their counts, as links that add or
    remove the filter (registry.facets). Up to 40 links a page, written here for the same
    reason as the rows."""
    sections = [
        f"<section>\n<h2>{escape(_facet_title(name))}</h2>\n"
        f"<ul>{''.join(_facet_item(value) for value in values)}</ul>\n</section>"
        for name, values in facets.items()
        if values
    ]
    return mark_safe("\n".join(sections))  # noqa: S308 (every value escaped above)
