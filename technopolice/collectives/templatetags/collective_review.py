"""{% proposed_collective proposal as collective %}: the collective a proposal names, for its review."""

from django import template

from ..proposals import collective_of

register = template.Library()


@register.simple_tag
def proposed_collective(proposal):
    return collective_of(proposal)
