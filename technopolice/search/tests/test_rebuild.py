import io

from django.core.management import call_command

from technopolice.registry.actions import publish_dossier
from technopolice.registry.tests.factories import dossier_payload
from technopolice.search.models import SearchEntry
from technopolice.testing.cases import BaseTestCase


class RebuildTests(BaseTestCase):
    def test_it_indexes_everything_again(self):
        dossier = publish_dossier(dossier_payload(), self.bob)
        SearchEntry.objects.all().delete()
        out = io.StringIO()
        call_command("rebuild_search_index", verbosity=0, stdout=out)
        types = sorted(SearchEntry.objects.values_list("entry_type", flat=True))
        self.assertEqual(types, ["dossier", "source"])
        self.assertEqual(SearchEntry.objects.get(entry_type="dossier").object_id, dossier.pk)
        self.assertIn("2", out.getvalue())
