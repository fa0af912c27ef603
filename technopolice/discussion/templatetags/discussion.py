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
from technopolice.discussion.rendering import ThreadItem, ThreadRenderer

register = template.Library()


def threaded(comments: list[ThreadItem]) -> list[ThreadItem]:
    """Each comment followed by its replies, oldest first at every level; ``indent`` capped at MAX_DEPTH."""
    children: dict[int | None, list[ThreadItem]] = {}
    for comment in comments:
        children.setdefault(comment.parent_id, []).append(comment)
    ordered: list[ThreadItem] = []
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
    rows = Comment.objects.on(obj).order_by("created_at", "id").values_list(*ThreadItem.COLUMNS)
    comments = threaded([ThreadItem(*row) for row in rows])
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
