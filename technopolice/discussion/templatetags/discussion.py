"""``{% load discussion %}{% comments_for obj %}``: the threaded comments of a dossier, a document or a
collective, and the form to add one. One query reads the comments with their authors; bodies are
stored as HTML, so the section renders no Markdown."""

from django import template
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from technopolice.discussion import targets
from technopolice.discussion.actions import MAX_DEPTH
from technopolice.discussion.forms import CommentForm
from technopolice.discussion.models import Comment
from technopolice.discussion.rendering import ThreadRenderer

register = template.Library()
# What the thread shows: not the Markdown source, nor the author's other columns (password hash...).
SHOWN = (
    "target_type_id", "target_id", "parent_id", "depth", "body_html", "created_at", "edited_at",
    "is_hidden", "hidden_reason", "is_deleted", "author__username",
)  # fmt: skip


def threaded(comments: list[Comment]) -> list[Comment]:
    """Each comment followed by its replies, oldest first at every level; ``indent`` capped at MAX_DEPTH."""
    children: dict[int | None, list[Comment]] = {}
    for comment in comments:
        children.setdefault(comment.parent_id, []).append(comment)
    ordered: list[Comment] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        comment = stack.pop()
        comment.indent = min(comment.depth, MAX_DEPTH)
        ordered.append(comment)
        stack.extend(reversed(children.get(comment.pk, [])))
    return ordered


@register.inclusion_tag("discussion/_comments.html", takes_context=True)
def comments_for(context, obj) -> dict:
    kind = targets.commentable(obj)
    if kind is None or not kind.is_public(obj):
        return {"shown": False}
    request = context.get("request")
    user = getattr(request, "user", None)
    comments = threaded(list(Comment.objects.on(obj).select_related("author").only(*SHOWN)))
    edit_after = timezone.now() - timezone.timedelta(minutes=settings.DISCUSSION_EDIT_MINUTES)
    csrf_token = str(context.get("csrf_token") or "")
    return {
        "thread": ThreadRenderer(user, csrf_token, edit_after).render(comments),
        "shown": True,
        "comments": comments,
        "count": sum(1 for c in comments if c.is_public),
        "target": obj,
        "target_type": ContentType.objects.get_for_model(obj).pk,
        "user": user,
        "form": CommentForm(),
        "csrf_token": context.get("csrf_token"),
    }
