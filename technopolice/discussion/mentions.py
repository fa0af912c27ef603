"""``@username`` in a comment tells the member by email.

The email leaves through the task worker after the comment is committed, and only if the
comment is still public then: a comment hidden in the meantime notifies nobody.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.tasks import task
from django.utils import translation

from technopolice.lib import mail

from .markup import mentioned_names
from .models import Comment


def notify_later(comment) -> None:
    if mentioned_names(comment.body):
        comment_id, language = comment.pk, translation.get_language()
        transaction.on_commit(lambda: notify_mentions.enqueue(comment_id, language))


@task
def notify_mentions(comment_id: int, language: str | None = None) -> int:
    """Email the members a comment mentions (not its author, not those without an address): the count."""
    comment = Comment.objects.select_related("author").filter(pk=comment_id).first()
    if comment is None or not comment.is_public or comment.author is None:
        return 0
    names = set(mentioned_names(comment.body)) - {comment.author.get_username()}
    users = get_user_model().objects.filter(username__in=names, is_active=True).exclude(email="")
    sent = 0
    with translation.override(language or settings.LANGUAGE_CODE):
        url = settings.SITE_URL.rstrip("/") + comment.get_absolute_url()
        for user in users:
            context = {"user": user, "comment": comment, "author": comment.author, "url": url}
            mail.send(mail.build("discussion/emails/mentioned", context, [user.email]))
            sent += 1
    return sent
