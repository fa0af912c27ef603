"""Readable names for the codes a snapshot stores, for review and follow-up pages."""

from django import template

from ..models import Commune, Department, DossierStatus, Organisation, Region, Technology

register = template.Library()


def _names(queryset, field: str, keys: list[str]) -> list[str]:
    found = {getattr(obj, field): str(obj) for obj in queryset.filter(**{f"{field}__in": keys})}
    # A code that no longer resolves is shown as is: the moderator must see it.
    return [found.get(key, key) for key in keys]


@register.simple_tag
def readable_snapshot(payload: dict) -> dict:
    """{% readable_snapshot payload as readable %}: codes and slugs turned into names."""
    operator = payload.get("operator")
    return {
        "status": dict(DossierStatus.choices).get(payload.get("status"), payload.get("status")),
        "technologies": _names(Technology.objects.all(), "slug", payload.get("technologies") or []),
        "communes": _names(
            Commune.objects.select_related("department"), "insee", payload.get("communes") or []
        ),
        "departments": _names(Department.objects.all(), "code", payload.get("departments") or []),
        "regions": _names(Region.objects.all(), "code", payload.get("regions") or []),
        "vendors": _names(Organisation.objects.all(), "slug", payload.get("vendors") or []),
        "operator": _names(Organisation.objects.all(), "slug", [operator])[0] if operator else "",
    }
