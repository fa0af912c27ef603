from django import forms
from django.test import SimpleTestCase

from technopolice.lib.widgets import LeanSelect


class LeanSelectTests(SimpleTestCase):
    """LeanSelect writes its options in Python: it must read like Django's own Select."""

    choices = [("", "---------"), ("nice", "Nice"), ("<b>", 'Ville "d\'<b>Avignon</b>" & co')]

    def test_it_writes_the_same_markup_as_djangos_select(self):
        lean = LeanSelect(choices=self.choices, attrs={"id": "id_commune"}).render("commune", "nice")
        django = forms.Select(choices=self.choices, attrs={"id": "id_commune"}).render("commune", "nice")
        self.assertHTMLEqual(lean, django)

    def test_values_and_labels_are_escaped(self):
        html = LeanSelect(choices=self.choices).render("commune", "<b>")
        self.assertIn('<option value="&lt;b&gt;" selected>', html)
        self.assertIn("Ville &quot;d&#x27;&lt;b&gt;Avignon&lt;/b&gt;&quot; &amp; co</option>", html)
        self.assertNotIn("<b>", html)
