from django.contrib.auth.models import User
from django.test import override_settings

from technopolice.discussion import actions
from technopolice.testing import smtp

from .helpers import DiscussionTestCase

PORT = smtp.free_port()
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@override_settings(MAILERS=smtp.mailers(PORT), TASKS=IMMEDIATE, SITE_URL="http://testserver")
class MentionTests(DiscussionTestCase):
    def setUp(self) -> None:
        super().setUp()
        controller, self.inbox = smtp.start(PORT)
        self.addCleanup(controller.stop)

    def test_a_mentioned_member_gets_an_email_with_the_permalink(self):
        with self.captureOnCommitCallbacks(execute=True):
            comment = self.say("Qu'en pense @mallory ? Et @alice elle-même, et @personne.")
        self.assertEqual(len(self.inbox.messages), 1)
        self.assertEqual(self.inbox.messages[0]["To"], "mallory@example.org")
        self.assertIn(f"http://testserver/discussion/commentaire/{comment.pk}/", self.inbox.text())
        self.assertIn('<strong class="mention">@mallory</strong>', comment.body_html)

    def test_no_email_for_a_comment_hidden_before_it_leaves(self):
        with self.captureOnCommitCallbacks() as callbacks:
            comment = self.say("Bonjour @mallory")
        actions.hide(self.bob, comment, "Harcèlement")
        for callback in callbacks:
            callback()
        self.assertEqual(self.inbox.messages, [])

    def test_no_email_to_a_member_without_an_address(self):
        User.objects.filter(pk=self.mallory.pk).update(email="")
        with self.captureOnCommitCallbacks(execute=True):
            self.say("Bonjour @mallory")
        self.assertEqual(self.inbox.messages, [])

    def test_an_email_address_is_not_a_mention(self):
        comment = self.say("Écrire à contact@mallory.org ou `@mallory` dans du code.")
        self.assertNotIn("mention", comment.body_html)
