"""A forged row count in the dossier form builds no more rows than a person may send."""

from technopolice.registry.forms import DossierProposal
from technopolice.testing.cases import BaseTestCase

from .factories import dossier_payload
from .formdata import form_data


class FormsetLimitTests(BaseTestCase):
    def test_a_forged_row_count_builds_at_most_max_num_rows_and_is_refused(self):
        data = form_data(dossier_payload())
        data["sources-TOTAL_FORMS"] = str(10**30)
        data["events-TOTAL_FORMS"] = "1000000"
        proposal = DossierProposal(data)
        self.assertFalse(proposal.is_valid())
        self.assertLessEqual(len(proposal.sources.forms), 50)
        self.assertLessEqual(len(proposal.events.forms), 100)
        self.assertTrue(proposal.sources.non_form_errors())

    def test_the_posted_page_shows_the_error_with_at_most_max_num_rows(self):
        self.login(self.alice)
        data = form_data(dossier_payload())
        data["sources-TOTAL_FORMS"] = str(10**30)
        response = self.client.post("/en/proposer/", data)
        self.assertEqual(response.status_code, 200)
        self.assertLessEqual(len(response.context["form"].sources.forms), 50)
