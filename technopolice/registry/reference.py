"""The short reference lists every dossier filter uses: technologies, regions, departments.

Each list page read them seven times (the form's three <select>s, its checks of the chosen
values, the facets' names), a tenth of the page's time. They change when an
administrator edits the taxonomy, so each process keeps them for REFERENCE_SECONDS, and drops
them at once when it saves or deletes one itself (apps.py). Another process shows an edit
within that time.
"""

import time

from django import forms
from django.core.exceptions import ValidationError

REFERENCE_SECONDS = 60

_kept: dict[type, tuple[float, dict]] = {}


def by_slug(model) -> dict:
    """{slug: object} of ``model``, in its default order."""
    held = _kept.get(model)
    if held and time.monotonic() < held[0]:
        return held[1]
    objects = {obj.slug: obj for obj in model.objects.all()}
    _kept[model] = (time.monotonic() + REFERENCE_SECONDS, objects)
    return objects


def forget(**_signal) -> None:
    _kept.clear()


class ReferenceChoiceIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in by_slug(self.queryset.model).values():
            yield self.choice(obj)


class ReferenceChoiceField(forms.ModelChoiceField):
    """A choice among the kept objects of a reference list, named by slug in the query string."""

    iterator = ReferenceChoiceIterator

    def __init__(self, model, **kwargs):
        super().__init__(queryset=model.objects.all(), to_field_name="slug", **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        obj = by_slug(self.queryset.model).get(str(value))
        if obj is None:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return obj
