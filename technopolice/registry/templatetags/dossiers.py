"""How a dossier's badges, places and technologies read, on its page and in every list.

Written in Python rather than as included templates: a list renders them for each of up
to 50 rows, and the two includes cost more than the rest of the row (bench/registry_pages.py).
Everything is escaped by ``format_html``.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

register = template.Library()

SEPARATOR = mark_safe(", ")


def _links(links, label=lambda link: link.name) -> list[SafeString]:
    return [format_html('<a href="{}">{}</a>', link.url, label(link)) for link in links]


@register.filter
def places(dossier) -> SafeString:
    """{{ dossier|places }}: whole country, communes, departments, regions, as links."""
    links = dossier.links
    parts = [_("whole country")] if dossier.is_national else []
    parts += _links(links.communes)
    parts += _links(links.departments, lambda link: f"{link.name} ({link.key})")
    parts += _links(links.regions)
    return format_html_join(SEPARATOR, "{}", ((part,) for part in parts))


@register.filter
def technologies(dossier) -> SafeString:
    """{{ dossier|technologies }}: its technologies as links, in the taxonomy's order."""
    return format_html_join(SEPARATOR, "{}", ((link,) for link in _links(dossier.links.technologies)))


@register.filter
def badges(dossier) -> SafeString:
    """{{ dossier|badges }}: status, and whether it is an example, disputed or to re-check."""
    html = [
        format_html(
            '<span class="badge status-{}">{}</span>', dossier.status, capfirst(dossier.get_status_display())
        )
    ]
    if dossier.is_example:
        html.append(format_html('<span class="badge example">{}</span>', _("example")))
    if dossier.disputed:
        html.append(format_html('<span class="badge warning">{}</span>', _("disputed")))
    if dossier.is_ageing:
        html.append(
            format_html(
                '<span class="badge warning" title="{}">{}</span>',
                _("Not checked for a long time"),
                _("to re-check"),
            )
        )
    return mark_safe(" ".join(html))  # noqa: S308 (each part comes from format_html)
