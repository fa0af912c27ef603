"""Form widgets for pages where rendering speed matters."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class LeanSelect(forms.Select):
    """A single ``<select>`` written out in Python, without a template per ``<option>``.

    Django renders each option through its own template: the dossier filters' 130 options
    (regions, departments, technologies, statuses) took longer to render than the 50 dossiers
    below them (bench/registry_pages.py). The markup is the same as Django's; option groups
    are not supported (no filter uses them).
    """

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        selected = set(self.format_value(value))
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                (str(choice), " selected" if str(choice) in selected else "", label)
                for choice, label in self.choices
            ),
        )
        return format_html("<select{}>\n{}\n</select>", flatatt(final_attrs), options)
