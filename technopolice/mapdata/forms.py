"""Forms of the map: the camera filters every map view shares, and the camera proposal."""

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
            dataset_id = CameraDataset.objects.filter(slug=data["dataset"]).values_list("id", flat=True).first() or -1
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
