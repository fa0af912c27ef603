"""Form widgets for pages where rendering speed matters."""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe


class LeanSelect(forms.Select):
    """A single ``<select>`` written out in Python, without a template per ``<option>``.

    Django renders each option through its own template: the dossier filters' 130 options
    (regions, departments, technologies, statuses) took longer to render than the 50 dossiers
    below them (bench/registry_pages.py). The markup is the same as Django's; option groups
    are not supported (no filter uses them). Values and labels are escaped with the standard
    library's ``html.escape``, which Django's ``escape`` calls: ``format_html`` per option
    checked each argument for laziness and safety, a large share of the select's time.
    """

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        selected = set(self.format_value(value))
        options = "\n".join(
            f'<option value="{escape(str(choice))}"{" selected" if str(choice) in selected else ""}>'
            f"{escape(str(label))}</option>"
            for choice, label in self.choices
        )
        return mark_safe(f"<select{flatatt(final_attrs)}>\n{options}\n</select>")  # noqa: S308 (escaped above)
