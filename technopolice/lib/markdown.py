"""Markdown written by contributors and staff, rendered to HTML that cannot carry a script.

Markdown allows raw HTML, so its output goes through nh3 (Ammonia) with a short list of
tags; links get rel="noopener noreferrer nofollow" so a contributor's link neither leaks
the page nor gains ranking.
"""

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
    "h2", "h3", "h4", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
MAX_LENGTH = 100_000
LINK_REL = "noopener noreferrer nofollow"
# Links in what any member writes (comments): search engines are told they are user content.
UGC_REL = "noopener noreferrer nofollow ugc"


def render(text: str, rel: str = LINK_REL) -> SafeString:
    html = markdown_lib.markdown((text or "")[:MAX_LENGTH], extensions=["tables", "sane_lists"])
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=rel,
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
