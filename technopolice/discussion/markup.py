"""How a comment's text becomes HTML: sanitised Markdown, links marked as user content, and
``@username`` in bold (members have no public page to link to)."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from technopolice.lib import markdown

# Not after a letter or "@" (an email address), not a trailing full stop.
MENTION = re.compile(r"(?<![\w@/.])@([\w.+-]*[\w+-])")
MAX_NOTIFIED = 10  # a comment naming fifty people is not fifty emails
_SKIPPED_TAGS = {"a", "code", "pre"}


def mentioned_names(body: str) -> list[str]:
    return list(dict.fromkeys(MENTION.findall(body or "")))[:MAX_NOTIFIED]


def to_html(body: str) -> SafeString:
    return highlight(markdown.render(body, rel=markdown.UGC_REL)) if body else mark_safe("")


def highlight(html: str) -> SafeString:
    """Bold every @name in the text of ``html`` (sanitised), leaving links and code alone."""
    parts = re.split(r"(<[^>]+>)", html)
    inside = 0
    for index, part in enumerate(parts):
        if part.startswith("<"):
            name = re.match(r"</?(\w+)", part)
            if name and name.group(1) in _SKIPPED_TAGS:
                inside += -1 if part.startswith("</") else 1
        elif not inside:
            parts[index] = MENTION.sub(
                lambda m: f'<strong class="mention">{escape(m.group(0))}</strong>', part
            )
    return mark_safe("".join(parts))  # noqa: S308 - only wraps text of sanitised HTML
