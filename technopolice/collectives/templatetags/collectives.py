"""``{% load collectives %}``: the collectives covering a place, for the place pages.

``{% place_collectives commune=commune %}`` (or ``department=``, ``region=``) lists the listed
collectives that act there (collectives.querysets: a commune counts its city and its department's
collectives) and links to the directory searched near that place.
"""

import re

from django import template
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.http import urlencode
from django.utils.text import Truncator

from technopolice.collectives.models import Collective

register = template.Library()

SHOWN = 20
SUMMARY_SOURCE_CHARS = 600
SUMMARY_WORDS = 30
# Markdown's marks, and its links and images (their text is kept): a summary shows neither.
MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
MARKDOWN_MARKS = re.compile(r"[*_`#>|~]+")


@register.filter
def summary(markdown_text: str) -> str:
    """The first words of a Markdown description as plain text (the template escapes it).

    Its marks are taken out rather than rendered: rendering twenty descriptions through
    lib.markdown was a third of the directory's time, for thirty words each."""
    text = MARKDOWN_LINK.sub(r"\1", (markdown_text or "")[:SUMMARY_SOURCE_CHARS])
    text = MARKDOWN_MARKS.sub(" ", strip_tags(text))
    return Truncator(" ".join(text.split())).words(SUMMARY_WORDS)


def _search_url(commune=None, department=None) -> str:
    """The directory searched around the commune (by its INSEE code: names repeat), or in the department."""
    if commune is not None and commune.latitude is not None:
        query = {"near": commune.insee}
    elif commune is not None or department is not None:
        query = {"department": (department or commune.department).slug}
    else:
        query = {}
    return reverse("collectives:list") + (f"?{urlencode(query)}" if query else "")


@register.inclusion_tag("collectives/_place_collectives.html")
def place_collectives(commune=None, department=None, region=None) -> dict:
    if commune is not None:
        collectives = Collective.objects.covering_commune(commune)
    elif department is not None:
        collectives = Collective.objects.covering_department(department)
    else:
        collectives = Collective.objects.covering_region(region)
    shown = list(collectives.order_by("is_dormant", "search_name")[: SHOWN + 1])
    return {
        "collectives": shown[:SHOWN],
        "more": len(shown) > SHOWN,
        "search_url": _search_url(commune, department),
        "place": commune or department or region,
        "kind": "commune" if commune is not None else "department" if department is not None else "region",
    }
