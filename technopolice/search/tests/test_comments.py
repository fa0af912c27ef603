from django.core.cache import cache

from technopolice.discussion import actions
from technopolice.discussion.tests.helpers import DiscussionTestCase
from technopolice.search import indexing
from technopolice.search.models import SearchEntry


class CommentSearchTests(DiscussionTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()

    def search(self, words: str):
        return self.client.get("/recherche/", {"q": words})

    def test_a_public_comment_is_found_and_leads_to_its_permalink(self):
        comment = self.say("Le mot rare xylophone.")
        self.assertContains(self.search("xylophone"), f"/discussion/commentaire/{comment.pk}/")
        self.assertEqual(SearchEntry.objects.get(entry_type="comment").places, f" {self.commune.slug} ")

    def test_a_hidden_comment_is_not_found(self):
        comment = self.say("Le mot rare xylophone.")
        actions.hide(self.bob, comment, "Hors sujet")
        self.assertNotContains(self.search("xylophone"), "/discussion/commentaire/")
        self.assertFalse(SearchEntry.objects.filter(entry_type="comment").exists())

    def test_a_hidden_comment_is_not_found_after_a_rebuild(self):
        comment = self.say("Le mot rare xylophone.")
        actions.hide(self.bob, comment, "Hors sujet")
        indexing.rebuild()
        self.assertNotContains(self.search("xylophone"), "/discussion/commentaire/")
