"""One JSON form for a dossier's whole state: proposals, revisions, diffs and reverts share it.

A snapshot names related records by stable public keys (INSEE codes, slugs), never by
database ids, so it stays readable in a diff and survives a re-import of the gazetteer.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Commune, Department, Dossier, Event, Organisation, Region, Source, Technology

SCALAR_FIELDS = [
    "title",
    "status",
    "description",
    "is_national",
    "start_date",
    "end_date",
    "budget_eur",
    "funding",
    "camera_count",
    "legal_basis",
    "disputed",
    "dispute_reason",
    "is_example",
]
# snapshot key -> (model, lookup field, dossier attribute)
RELATED_LISTS = {
    "technologies": (Technology, "slug"),
    "communes": (Commune, "insee"),
    "departments": (Department, "code"),
    "regions": (Region, "code"),
    "vendors": (Organisation, "slug"),
}
SOURCE_FIELDS = ["url", "title", "publisher", "date", "kind"]
EVENT_FIELDS = ["date", "kind", "title", "description", "verdict", "source_url"]


def _to_json(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(obj, fields: list[str]) -> dict:
    return {name: _to_json(getattr(obj, name)) for name in fields}


def snapshot(dossier: Dossier) -> dict:
    """The dossier as it is now, in the snapshot form."""
    data = {name: _to_json(getattr(dossier, name)) for name in SCALAR_FIELDS}
    for key, (_model, field) in RELATED_LISTS.items():
        data[key] = sorted(getattr(dossier, key).values_list(field, flat=True))
    data["operator"] = dossier.operator.slug if dossier.operator else None
    data["sources"] = [_row(s, SOURCE_FIELDS) for s in dossier.sources.order_by("id")]
    data["events"] = [_row(e, EVENT_FIELDS) for e in dossier.events.order_by("date", "id")]
    return data


def _resolve(model, field: str, keys: list[str], label: str) -> list:
    found = {getattr(obj, field): obj for obj in model.objects.filter(**{f"{field}__in": keys})}
    missing = [key for key in keys if key not in found]
    if missing:
        raise ValidationError(_("Unknown %(label)s: %(keys)s") % {"label": label, "keys": ", ".join(missing)})
    return [found[key] for key in keys]


def _parse_date(value):
    return dt.date.fromisoformat(value) if value else None


def _scalars(data: dict) -> dict:
    values = {name: data.get(name) for name in SCALAR_FIELDS if name in data}
    for name in ("start_date", "end_date"):
        if name in values:
            values[name] = _parse_date(values[name])
    if values.get("budget_eur") not in (None, ""):
        values["budget_eur"] = Decimal(str(values["budget_eur"]))
    return values


def write(dossier: Dossier, data: dict) -> Dossier:
    """Make the dossier (new or existing) match the snapshot. Call inside a transaction."""
    for name, value in _scalars(data).items():
        setattr(dossier, name, value)
    operator_slug = data.get("operator")
    dossier.operator = (
        _resolve(Organisation, "slug", [operator_slug], _("operator"))[0] if operator_slug else None
    )
    dossier.full_clean(exclude=["slug", "search_text"], validate_unique=False)
    dossier.save()
    for key, (model, field) in RELATED_LISTS.items():
        getattr(dossier, key).set(_resolve(model, field, data.get(key, []), key))
    _replace_rows(dossier.sources, Source, data.get("sources", []), dossier)
    _replace_rows(dossier.events, Event, data.get("events", []), dossier)
    dossier.reindex()
    return dossier


def _replace_rows(manager, model, rows: list[dict], dossier: Dossier) -> None:
    manager.all().delete()
    for row in rows:
        obj = model(dossier=dossier, **row)
        if "date" in row:
            obj.date = _parse_date(row["date"])
        obj.full_clean(exclude=["dossier"])
        obj.save()
