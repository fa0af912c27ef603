import datetime

from django.urls import reverse
from django.utils import timezone

from technopolice.discussion import actions
from technopolice.discussion.models import Comment

from .helpers import DiscussionTestCase, said


class EditDeleteQuoteTests(DiscussionTestCase):
    def test_the_author_edits_within_the_window_and_the_comment_says_edited(self):
        comment = self.say("Premire version.")
        self.login(self.alice)
        response = self.client.post(
            reverse("discussion:edit", args=[comment.pk]), {"body": "Première version."}
        )
        self.assertRedirects(response, f"{self.dossier.get_absolute_url()}#comment-{comment.pk}")
        comment.refresh_from_db()
        self.assertEqual(comment.body, "Première version.")
        self.assertIsNotNone(comment.edited_at)
        self.assertContains(self.client.get(self.dossier.get_absolute_url()), said("edited"))

    def test_the_window_closes(self):
        comment = self.say("Texte.")
        Comment.objects.filter(pk=comment.pk).update(
            created_at=timezone.now() - datetime.timedelta(minutes=31)
        )
        self.login(self.alice)
        response = self.client.post(reverse("discussion:edit", args=[comment.pk]), {"body": "Autre"})
        self.assertContains(response, "Un commentaire peut être modifié pendant 30 minutes", status_code=403)
        comment.refresh_from_db()
        self.assertEqual(comment.body, "Texte.")

    def test_nobody_else_edits_or_deletes_it(self):
        comment = self.say("Texte.")
        self.login(self.mallory)
        self.assertEqual(
            self.client.post(reverse("discussion:edit", args=[comment.pk]), {"body": "X"}).status_code, 403
        )
        self.assertEqual(self.client.post(reverse("discussion:delete", args=[comment.pk])).status_code, 403)
        comment.refresh_from_db()
        self.assertEqual((comment.body, comment.is_deleted), ("Texte.", False))

    def test_the_author_deletes_it_and_a_tombstone_stays(self):
        comment = self.say("Je regrette.")
        self.login(self.alice)
        self.client.post(reverse("discussion:delete", args=[comment.pk]))
        comment.refresh_from_db()
        self.assertEqual((comment.body, comment.body_html, comment.is_deleted), ("", "", True))
        self.assertContains(
            self.client.get(self.dossier.get_absolute_url()), said("Comment deleted by its author.")
        )

    def test_quoting_prefills_the_reply(self):
        comment = self.say("Ligne un\nLigne deux")
        self.login(self.mallory)
        response = self.client.get(reverse("discussion:reply", args=[comment.pk]), {"quote": "1"})
        self.assertContains(response, "&gt; Ligne un\n&gt; Ligne deux")
        self.assertContains(response, f'name="parent" value="{comment.pk}"')

    def test_the_forms_say_at_once_what_is_not_possible(self):
        comment = self.say("Texte.")
        self.login(self.mallory)
        response = self.client.get(reverse("discussion:edit", args=[comment.pk]))
        self.assertContains(response, said("Only its author may change a comment."), status_code=403)
        actions.hide(self.bob, comment, "Hors sujet")
        response = self.client.get(reverse("discussion:reply", args=[comment.pk]), {"quote": "1"})
        self.assertContains(
            response, said("Moderators hid that comment: it takes no more replies."), status_code=400
        )
        self.assertNotContains(response, "&gt; Texte", status_code=400)
