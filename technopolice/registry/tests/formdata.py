"""POST data for the dossier form, built from a snapshot payload, as a browser would send it."""

import json

import altcha

from technopolice.lib.altcha import new_challenge
from technopolice.registry.models import Commune, Organisation

from .factories import dossier_payload


def _rows(prefix: str, rows: list[dict], extra: int = 1) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows) + extra), f"{prefix}-INITIAL_FORMS": "0"}
    data |= {f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        data |= {f"{prefix}-{i}-{key}": "" if value is None else value for key, value in row.items()}
    # The blank extra row keeps its default kind, as an untouched browser form does.
    data[f"{prefix}-{len(rows)}-kind"] = "press" if prefix == "sources" else "other"
    return data


def form_data(payload: dict | None = None, **fields) -> dict:
    """The form fields for ``payload`` (default: a valid new dossier), with ``fields`` overriding."""
    payload = payload or dossier_payload()
    communes = Commune.objects.filter(insee__in=payload["communes"]).select_related("department")
    names = dict(Organisation.objects.values_list("slug", "name"))
    data = {
        "title": payload["title"],
        "status": payload["status"],
        "description": payload["description"],
        "technologies": payload["technologies"],
        "communes": "\n".join(str(c) for c in communes),
        "departments": ", ".join(payload["departments"]),
        "regions": payload["regions"],
        "operator": names.get(payload["operator"], "") if payload["operator"] else "",
        "vendors": "\n".join(names[slug] for slug in payload["vendors"]),
        "start_date": payload["start_date"] or "",
        "end_date": payload["end_date"] or "",
        "budget_eur": payload["budget_eur"] or "",
        "funding": payload["funding"],
        "camera_count": "" if payload["camera_count"] is None else payload["camera_count"],
        "legal_basis": payload["legal_basis"],
        "dispute_reason": payload["dispute_reason"],
        "message": "",
        "website": "",
        "altcha": "",
    }
    for flag in ("is_national", "disputed"):
        if payload[flag]:
            data[flag] = "on"
    data |= _rows("sources", payload["sources"]) | _rows("events", payload["events"])
    return data | fields


def solved_altcha() -> str:
    """A challenge issued by the platform and really solved, as the browser widget would."""
    challenge = altcha.Challenge.from_dict(json.loads(new_challenge()))
    return altcha.Payload(challenge, altcha.solve_challenge(challenge)).to_base64()
