"""Forms of the map: the camera filters every map view shares, and the camera proposal."""

import re

from django import forms
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from .models import Camera, CameraDataset

FACETS_CACHE_SECONDS = 300
MAX_FACET_VALUES = 200


def _facet(field: str) -> list[tuple[str, str]]:
    """The values a filter can take, most frequent first; cached, as it scans every camera."""
    key = f"mapdata:facet:{field}"
    values = cache.get(key)
    if values is None:
        rows = (
            Camera.objects.visible()
            .exclude(**{field: ""})
            .values_list(field, flat=True)
            .order_by(field)
            .distinct()[:MAX_FACET_VALUES]
        )
        values = list(rows)
        cache.set(key, values, FACETS_CACHE_SECONDS)
    return [("", _("all"))] + [(v, v) for v in values]


class CameraFilterForm(forms.Form):
    """The filters of the map, its exports and its clustered endpoint: one URL vocabulary."""

    type = forms.CharField(label=_("Type"), required=False, max_length=50)
    zone = forms.CharField(label=_("Zone"), required=False, max_length=50)
    operator = forms.CharField(label=_("Operator"), required=False, max_length=200)
    dataset = forms.SlugField(label=_("Source"), required=False, max_length=100)

    def with_choices(self) -> "CameraFilterForm":
        """Turn the free fields into drop-downs for the page (the API accepts any value)."""
        for name, field in (("type", "surveillance_type"), ("zone", "zone"), ("operator", "operator")):
            self.fields[name].widget = forms.Select(choices=_facet(field))
        datasets = [("", _("all"))] + list(CameraDataset.objects.values_list("slug", "name"))
        self.fields["dataset"].widget = forms.Select(choices=datasets)
        return self

    def filter(self, queryset):
        data = self.cleaned_data
        lookups = {"surveillance_type": data["type"], "zone": data["zone"], "operator": data["operator"]}
        queryset = queryset.filter(**{k: v for k, v in lookups.items() if v})
        if data["dataset"]:
            queryset = queryset.filter(dataset__slug=data["dataset"])
        return queryset

    def cell_filters(self) -> dict | None:
        """The filters as precomputed cluster cells hold them; None if they cannot answer (operator)."""
        data = self.cleaned_data
        if data["operator"]:
            return None
        dataset_id = None
        if data["dataset"]:
            dataset_id = (
                CameraDataset.objects.filter(slug=data["dataset"]).values_list("id", flat=True).first() or -1
            )
        return {"type": data["type"] or None, "zone": data["zone"] or None, "dataset_id": dataset_id}

    def first_error(self) -> str:
        field, errors = next(iter(self.errors.items()))
        return f"{field}: {errors[0]}"


class RankingFilterForm(forms.Form):
    """Filters of the density ranking: small villages with two cameras would otherwise lead it."""

    min_population = forms.IntegerField(
        label=_("Minimum population"), required=False, min_value=0, max_value=10_000_000
    )
    department = forms.CharField(label=_("Department (INSEE code)"), required=False, max_length=3)

    def first_error(self) -> str:
        field, errors = next(iter(self.errors.items()))
        return f"{field}: {errors[0]}"


COMPASS = {
    "N": 0,
    "NNE": 22.5,
    "NE": 45,
    "ENE": 67.5,
    "E": 90,
    "ESE": 112.5,
    "SE": 135,
    "SSE": 157.5,
    "S": 180,
    "SSW": 202.5,
    "SW": 225,
    "WSW": 247.5,
    "W": 270,
    "WNW": 292.5,
    "NW": 315,
    "NNW": 337.5,
}
MAX_PHOTO_BYTES = 10 * 1024 * 1024
TYPES = [
    ("camera", _("camera")),
    ("ALPR", _("licence plate reader (ALPR)")),
    ("guard", _("guard post")),
    ("other", _("other device")),
]
CAMERA_TYPES = [("", _("unknown")), ("fixed", _("fixed")), ("dome", _("dome")), ("panning", _("panning"))]
ZONES = [
    ("", _("unknown")),
    ("town", _("street")),
    ("traffic", _("traffic")),
    ("parking", _("car park")),
    ("shop", _("shop")),
    ("building", _("building")),
    ("public_transport", _("public transport")),
]


def parse_directions(text: str) -> list[float]:
    """Degrees from what people write on OSM: ``90``, ``NE``, ``0;180`` (several cameras on one pole)."""
    directions = []
    for part in re.split(r"[;,]", text):
        part = part.strip().upper()
        if not part:
            continue
        if part in COMPASS:
            directions.append(float(COMPASS[part]))
            continue
        try:
            value = float(part)
        except ValueError:
            raise forms.ValidationError(
                _("Write directions in degrees (0 to 359) or as N, NE, E..., separated by ;")
            ) from None
        if not 0 <= value < 360:
            raise forms.ValidationError(_("A direction is between 0 and 359 degrees."))
        directions.append(value)
    return directions


class CameraProposalForm(forms.Form):
    """A camera someone saw: the position comes from the map, or from the fields without JavaScript."""

    latitude = forms.FloatField(
        label=_("Latitude"),
        min_value=-85,
        max_value=85,
        help_text=_("Click on the map to fill it in, or type it (e.g. 45.4339)."),
    )
    longitude = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)
    surveillance_type = forms.ChoiceField(label=_("What is it?"), choices=TYPES, initial="camera")
    camera_type = forms.ChoiceField(label=_("Camera type"), choices=CAMERA_TYPES, required=False)
    direction = forms.CharField(
        label=_("Direction it faces"),
        required=False,
        max_length=100,
        help_text=_("In degrees from north (90 is east) or N, NE, E...; several: 0;180."),
    )
    zone = forms.ChoiceField(label=_("What it watches"), choices=ZONES, required=False)
    operator = forms.CharField(
        label=_("Operator"),
        required=False,
        max_length=200,
        help_text=_("Who runs it, if you know: a town, a shop, the police..."),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("Optional. Its location and device data are removed before it is stored."),
    )
    message = forms.CharField(
        label=_("Note to the moderators"), required=False, max_length=5000, widget=forms.Textarea
    )
    # Honeypot: hidden from people by CSS, filled in by naive bots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def clean_direction(self) -> list[float]:
        return parse_directions(self.cleaned_data["direction"])

    def clean_photo(self):
        photo = self.cleaned_data["photo"]
        if photo and photo.size > MAX_PHOTO_BYTES:
            raise forms.ValidationError(_("The photo is too large (10 MB at most)."))
        return photo

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))
