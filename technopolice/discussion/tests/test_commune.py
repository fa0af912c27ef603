from django.urls import reverse

from technopolice.discussion import actions

from .helpers import DiscussionTestCase


class CommuneDiscussionTests(DiscussionTestCase):
    def test_it_gathers_public_comments_about_the_communes_dossiers_and_collectives(self):
        self.say("Sur le dossier, pangolin.")
        self.say("Sur le collectif, ornithorynque.", target=self.collective)
        hidden = self.say("Caché, okapi.")
        actions.hide(self.bob, hidden, "Hors sujet")
        url = reverse("discussion:commune", args=[self.commune.slug])
        with self.assertNumQueries(5):  # commune, count, comments with authors, one per kind of target
            response = self.client.get(url)
        self.assertContains(response, "pangolin")
        self.assertContains(response, "ornithorynque")
        self.assertNotContains(response, "okapi")

    def test_the_commune_page_links_it(self):
        url = reverse("discussion:commune", args=[self.commune.slug])
        self.assertContains(self.client.get(self.commune.get_absolute_url()), url)

    def test_an_unknown_commune_is_not_found(self):
        self.assertEqual(self.client.get(reverse("discussion:commune", args=["nulle-part"])).status_code, 404)
