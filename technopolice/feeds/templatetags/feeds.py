"""Links to a page's Atom feed: ``{% feed_link obj %}`` in the head, ``{% feed_anchor obj %}`` in the page.

Without an object, the whole site's feed. The feed's URL names follow the models' names.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


def feed_url(obj=None) -> str:
    if obj is None:
        return reverse("feeds:site")
    return reverse(f"feeds:{obj._meta.model_name}", args=[obj.slug])


def feed_title(obj=None) -> str:
    return _("Technopolice: %(name)s") % {"name": obj} if obj is not None else _("Technopolice")


@register.simple_tag
def feed_link(obj=None):
    return format_html(
        '<link rel="alternate" type="application/atom+xml" title="{}" href="{}">',
        feed_title(obj),
        feed_url(obj),
    )


@register.simple_tag
def feed_anchor(obj=None):
    return format_html(
        '<p class="feed-link"><a rel="alternate" type="application/atom+xml" href="{}">{}</a></p>',
        feed_url(obj),
        _("Atom feed"),
    )
