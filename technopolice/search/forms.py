from django import forms
from django.utils.translation import gettext_lazy as _

from technopolice.documents.models import DocumentKind

from .backends import Filters
from .models import EntryType


class SearchForm(forms.Form):
    """The query and its filters, all in the URL so a search can be shared."""

    q = forms.CharField(label=_("Search"), max_length=300, required=False)
    type = forms.MultipleChoiceField(
        label=_("Show"), choices=EntryType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    kind = forms.ChoiceField(
        label=_("Kind of document"), choices=[("", _("all")), *DocumentKind.choices], required=False
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.SlugField(
        label=_("Place"), required=False, help_text=_("Short name of a commune, department or region.")
    )
    technology = forms.SlugField(
        label=_("Technology"), required=False, help_text=_("Short name of a technology.")
    )

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            types=data["type"] or None,
            kind=data["kind"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            place=data["place"],
            technology=data["technology"],
        )
