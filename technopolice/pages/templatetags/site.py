"""Template helpers used by every page."""

from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context, language: str) -> str:
    """The current page, query string included, in another language: switching keeps filters."""
    return translate_url(context["request"].get_full_path(), language)


@register.filter
def markdown(text: str):
    """{{ dossier.description|markdown }}: Markdown rendered and sanitised (lib.markdown)."""
    from technopolice.lib.markdown import render

    return render(text)
