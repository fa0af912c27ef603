import datetime

from django.test import override_settings
from django.utils import timezone

from technopolice.activity.models import Activity
from technopolice.discussion import actions
from technopolice.discussion.models import AccountRestriction, Comment
from technopolice.documents.models import Document

from .helpers import POST_URL, DiscussionTestCase, said

FLOOD = (
    "You have posted many comments in the last hour. Please wait %(minutes)d minutes before posting again; "
    "your text is kept below."
)


class PostTests(DiscussionTestCase):
    def test_it_posts_a_comment_and_shows_it_on_the_dossier_page(self):
        self.login(self.alice)
        response = self.client.post(POST_URL, self.form(self.dossier, "Les **caméras** sont arrivées."))
        comment = Comment.objects.get()
        self.assertRedirects(response, f"{self.dossier.get_absolute_url()}#comment-{comment.pk}")
        page = self.client.get(self.dossier.get_absolute_url())
        self.assertContains(page, f'id="comment-{comment.pk}"')
        self.assertContains(page, "<strong>caméras</strong>", html=False)
        self.assertEqual(list(comment.communes.all()), [self.commune])
        # The thread is written in Python: its words are in French at / like the rest of the page.
        for word in ("Répondre", "Citer", "Modifier", "Supprimer"):
            self.assertContains(page, f">{word}</")

    def test_it_records_the_comment_for_the_dossier_its_places_and_technology(self):
        comment = self.say("Une délibération est en ligne.")
        keys = set(
            Activity.objects.get(object_id=comment.pk, kind="comment").subjects.values_list("key", flat=True)
        )
        self.assertLessEqual(
            {f"dossier:{self.dossier.pk}", f"commune:{self.commune.pk}", f"technology:{self.technology.pk}"},
            keys,
        )

    @override_settings(DISCUSSION_NEW_ACCOUNT_COMMENTS_PER_HOUR=100)
    def test_it_threads_replies_under_their_parent_with_capped_indent(self):
        root = self.say("Premier.")
        other = self.say("Deuxième, sans réponse.")
        chain = [root]
        for n in range(6):
            chain.append(self.say(f"Réponse {n}", user=self.mallory, parent=chain[-1]))
        page = self.client.get(self.dossier.get_absolute_url()).content.decode()
        positions = [page.index(f'id="comment-{c.pk}"') for c in [*chain, other]]
        self.assertEqual(positions, sorted(positions))  # the whole chain, then the next thread
        self.assertEqual(chain[-1].depth, 6)
        self.assertIn(f'class="comment depth-4" id="comment-{chain[-1].pk}"', page)

    def test_it_refuses_a_reply_to_a_hidden_or_deleted_comment(self):
        hidden, deleted = self.say("Caché."), self.say("Effacé.")
        actions.hide(self.bob, hidden, "Insultes")
        actions.delete(self.alice, deleted)
        self.login(self.mallory)
        response = self.client.post(POST_URL, self.form(self.dossier, "Réponse", parent=hidden))
        self.assertContains(
            response, said("Moderators hid that comment: it takes no more replies."), status_code=400
        )
        self.assertContains(response, "Réponse", status_code=400)  # the text is kept
        response = self.client.post(POST_URL, self.form(self.dossier, "Réponse", parent=deleted))
        self.assertContains(
            response, said("That comment was deleted: it takes no more replies."), status_code=400
        )
        self.assertEqual(Comment.objects.count(), 2)

    def test_it_neutralises_a_script(self):
        self.login(self.alice)
        self.client.post(
            POST_URL, self.form(self.dossier, '<script>alert(1)</script><img src=x onerror="alert(2)">ok')
        )
        page = self.client.get(self.dossier.get_absolute_url()).content.decode()
        self.assertNotIn("<script>alert", page)
        self.assertNotIn("onerror", page)

    def test_it_marks_links_nofollow_ugc(self):
        comment = self.say("Voir [la CNIL](https://www.cnil.fr/).")
        self.assertIn('rel="noopener noreferrer nofollow ugc"', comment.body_html)

    def test_it_refuses_a_comment_too_long_and_keeps_nothing(self):
        self.login(self.alice)
        response = self.client.post(POST_URL, self.form(self.dossier, "a" * 10_001))
        self.assertContains(response, "10000", status_code=400)
        response = self.client.post(POST_URL, self.form(self.dossier, "a" * 1_000_000))
        self.assertContains(response, said("Request refused"), status_code=400)
        self.assertFalse(Comment.objects.exists())

    def test_it_asks_for_a_confirmed_email(self):
        self.mallory.email = ""
        self.mallory.save()
        self.login(self.mallory)
        response = self.client.post(POST_URL, self.form(self.dossier, "Bonjour"))
        self.assertContains(
            response,
            said("Confirm your email address in your account to take part in the discussion."),
            status_code=403,
        )
        self.assertFalse(Comment.objects.exists())

    def test_a_restricted_account_cannot_post(self):
        AccountRestriction.objects.create(
            user=self.mallory, until=timezone.now() + datetime.timedelta(days=3), reason="Spam", by=self.bob
        )
        self.login(self.mallory)
        response = self.client.post(POST_URL, self.form(self.dossier, "Achetez"))
        self.assertContains(response, "Spam", status_code=403)
        self.assertFalse(Comment.objects.exists())

    @override_settings(DISCUSSION_NEW_ACCOUNT_COMMENTS_PER_HOUR=2)
    def test_flooding_is_refused_in_the_visitors_language_with_the_text_kept(self):
        self.login(self.alice)
        for n in range(2):
            self.client.post(POST_URL, self.form(self.dossier, f"Message {n}"))
        response = self.client.post(POST_URL, self.form(self.dossier, "Le troisième"))
        self.assertContains(response, said(FLOOD), status_code=429)
        self.assertContains(response, '<html lang="fr">', status_code=429)
        self.assertContains(response, "Le troisième", status_code=429)
        response = self.client.post("/en" + POST_URL, self.form(self.dossier, "The fourth"))
        self.assertContains(response, said(FLOOD, "en"), status_code=429)
        self.assertContains(response, '<html lang="en">', status_code=429)
        self.assertContains(response, "The fourth", status_code=429)
        self.assertEqual(Comment.objects.count(), 2)

    @override_settings(DISCUSSION_NEW_ACCOUNT_COMMENTS_PER_HOUR=1, DISCUSSION_COMMENTS_PER_HOUR=3)
    def test_older_accounts_post_under_the_wider_limit(self):
        self.alice.date_joined = timezone.now() - datetime.timedelta(days=30)
        self.alice.save()
        for n in range(3):
            self.say(f"Message {n}")
        with self.assertRaises(actions.Refused):
            self.say("Un de trop")

    def test_it_does_not_take_comments_on_a_collective_not_listed(self):
        self.collective.status = "pending"
        self.collective.save()
        self.login(self.alice)
        self.assertEqual(self.client.post(POST_URL, self.form(self.collective, "Bonjour")).status_code, 404)

    def test_a_comment_on_a_collective_shows_on_its_page(self):
        comment = self.say("Réunion jeudi.", target=self.collective)
        self.assertContains(self.client.get(self.collective.get_absolute_url()), f'id="comment-{comment.pk}"')

    def test_the_activity_path_has_no_language_prefix(self):
        self.login(self.alice)
        self.client.post("/en" + POST_URL, self.form(self.dossier, "Posted in English."))
        comment = Comment.objects.get()
        self.assertEqual(Activity.objects.get(kind="comment").path, f"/discussion/commentaire/{comment.pk}/")

    def test_a_comment_on_a_document_belongs_to_its_dossiers_communes(self):
        document = Document.objects.create(
            sha256="a" * 64, file="documents/aa/x.pdf", file_type="pdf", size=1, title="Délibération"
        )
        document.dossiers.add(self.dossier)
        self.login(self.alice)
        self.assertEqual(
            self.client.post(POST_URL, self.form(document, "Pas encore publié.")).status_code, 404
        )
        document.publish()
        comment = self.say("Page 3 : le budget.", target=document)
        self.assertEqual(list(comment.communes.all()), [self.commune])
        keys = set(Activity.objects.get(kind="comment").subjects.values_list("key", flat=True))
        self.assertLessEqual({f"document:{document.pk}", f"dossier:{self.dossier.pk}"}, keys)
        self.assertContains(self.client.get(document.get_absolute_url()), f'id="comment-{comment.pk}"')
