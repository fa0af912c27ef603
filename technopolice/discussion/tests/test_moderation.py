from django.urls import reverse

from technopolice.activity.models import Activity
from technopolice.discussion.models import AccountRestriction, Comment, Flag

from .helpers import DiscussionTestCase

QUEUE = reverse("discussion:flags")


class FlagAndModerateTests(DiscussionTestCase):
    def flag(self, comment, user=None):
        self.login(user or self.mallory)
        url = reverse("discussion:flag", args=[comment.pk])
        return self.client.post(url, {"reason": "abuse", "text": "Insultant"})

    def decide(self, comment, **data):
        self.login(self.bob)
        return self.client.post(reverse("discussion:decide", args=[comment.pk]), data)

    def test_a_flagged_comment_hidden_by_a_moderator_shows_the_reason_not_the_body(self):
        comment = self.say("Un texte insultant zorglub.")
        self.assertEqual(self.flag(comment).status_code, 200)
        self.login(self.bob)
        self.assertContains(self.client.get(QUEUE), "zorglub")
        response = self.decide(comment, action="hide", reason="Propos injurieux")
        self.assertRedirects(response, QUEUE)
        comment.refresh_from_db()
        self.assertTrue(comment.is_hidden)
        self.assertEqual(Flag.objects.get().resolution, "hidden")
        self.client.logout()
        page = self.client.get(self.dossier.get_absolute_url())
        self.assertContains(page, "Propos injurieux")
        self.assertNotContains(page, "zorglub")

    def test_a_hidden_comment_leaves_the_activity(self):
        comment = self.say("Texte hors sujet.")
        self.assertTrue(Activity.objects.filter(object_id=comment.pk, kind="comment").exists())
        self.flag(comment)
        self.decide(comment, action="hide", reason="Hors sujet")
        self.assertFalse(Activity.objects.filter(object_id=comment.pk, kind="comment").exists())

    def test_hiding_needs_a_public_reason(self):
        comment = self.say("Texte.")
        self.flag(comment)
        self.assertEqual(self.decide(comment, action="hide", reason=" ").status_code, 400)
        comment.refresh_from_db()
        self.assertFalse(comment.is_hidden)

    def test_a_deleted_comment_keeps_its_place_without_its_body(self):
        comment = self.say("À effacer quetzal.")
        reply = self.say("Réponse.", user=self.mallory, parent=comment)
        self.flag(comment, user=self.carol)
        self.decide(comment, action="delete")
        comment.refresh_from_db()
        self.assertEqual((comment.is_deleted, comment.body), (True, ""))
        page = self.client.get(self.dossier.get_absolute_url())
        self.assertNotContains(page, "quetzal")
        self.assertContains(page, f'id="comment-{comment.pk}"')
        self.assertContains(page, f'id="comment-{reply.pk}"')

    def test_dismissing_closes_the_flags_and_keeps_the_comment(self):
        comment = self.say("Texte correct.")
        self.flag(comment)
        self.decide(comment, action="dismiss")
        self.assertEqual(Flag.objects.get().resolution, "dismissed")
        self.assertNotContains(self.client.get(QUEUE), "Texte correct.")
        self.assertTrue(Comment.objects.public().filter(pk=comment.pk).exists())

    def test_a_moderator_restricts_the_author_who_then_cannot_post(self):
        comment = self.say("Spam spam.", user=self.mallory)
        self.flag(comment, user=self.alice)
        self.decide(comment, action="restrict", days=3, reason="Publicité")
        self.assertTrue(AccountRestriction.objects.active().filter(user=self.mallory).exists())
        self.login(self.mallory)
        response = self.client.post(reverse("discussion:post"), self.form(self.dossier, "Encore"))
        self.assertContains(response, "Publicité", status_code=403)

    def test_a_member_flags_a_comment_once(self):
        comment = self.say("Texte.")
        self.flag(comment)
        self.assertEqual(self.flag(comment).status_code, 400)
        self.assertEqual(Flag.objects.count(), 1)

    def test_who_is_not_a_moderator_cannot_reach_the_queue(self):
        comment = self.say("Texte.")
        self.flag(comment)
        self.login(self.mallory)
        self.assertEqual(self.client.get(QUEUE).status_code, 403)
        self.assertEqual(
            self.client.post(
                reverse("discussion:decide", args=[comment.pk]), {"action": "delete"}
            ).status_code,
            403,
        )
        self.client.logout()
        self.assertEqual(self.client.get(QUEUE).status_code, 403)
        self.assertFalse(Comment.objects.get().is_deleted)

    def test_the_moderation_queue_links_the_flags(self):
        self.login(self.bob)
        self.assertContains(self.client.get(reverse("moderation:queue")), QUEUE)
        self.login(self.alice)
        response = self.client.get(reverse("moderation:queue"))
        self.assertNotContains(response, QUEUE, status_code=response.status_code)

    def test_the_permalink_of_a_hidden_comment_leads_to_its_reason(self):
        comment = self.say("Texte.")
        self.flag(comment)
        self.decide(comment, action="hide", reason="Données personnelles")
        response = self.client.get(reverse("discussion:permalink", args=[comment.pk]), follow=True)
        self.assertContains(response, "Données personnelles")
