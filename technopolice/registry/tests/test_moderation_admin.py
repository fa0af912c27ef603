from technopolice.testing.cases import BaseTestCase

from .proposals import propose


class ProposalAdminTests(BaseTestCase):
    def test_administrators_can_view_but_not_add_proposals(self):
        proposal, _token = propose()
        self.login(self.carol)
        self.assertContains(self.client.get("/en/admin/moderation/proposal/"), str(proposal))
        self.assertEqual(
            self.client.get(f"/en/admin/moderation/proposal/{proposal.pk}/change/").status_code, 200
        )
        self.assertEqual(self.client.get("/en/admin/moderation/proposal/add/").status_code, 403)

    def test_moderators_have_no_admin(self):
        self.login(self.bob)
        response = self.client.get("/en/admin/moderation/proposal/")
        self.assertEqual(response.status_code, 302)
