"""Writing comments and deciding on them: the one path views, demo and tests take.

Each verb refuses what it may not do with ``Refused`` carrying a message for the member, and
keeps the activity (feeds, digests) in step: a comment is recorded when posted, and retracted
as soon as it is no longer public.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from technopolice.activity import actions as activity
from technopolice.lib import ratelimit
from technopolice.registry.activity import path_of

from . import mentions, targets
from .models import AccountRestriction, Comment, Flag, Resolution

MAX_DEPTH = 4  # replies deeper than this are shown at this depth


class Refused(Exception):
    """What a member tried is not allowed; ``str()`` is the message to show them."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def check_may_post(user) -> None:
    if not user.is_authenticated:
        raise Refused(_("Log in to take part in the discussion."), 403)
    if not user.email:
        raise Refused(_("Confirm your email address in your account to take part in the discussion."), 403)
    restriction = AccountRestriction.objects.filter(user=user).active().first()
    if restriction is not None:
        raise Refused(
            _("Moderators have barred your account from posting comments until %(date)s: %(reason)s")
            % {
                "date": timezone.localtime(restriction.until).strftime("%Y-%m-%d %H:%M"),
                "reason": restriction.reason,
            },
            403,
        )


def _take_post_slot(user) -> None:
    new = user.date_joined > timezone.now() - datetime.timedelta(days=settings.DISCUSSION_NEW_ACCOUNT_DAYS)
    if new:
        limit = settings.DISCUSSION_NEW_ACCOUNT_COMMENTS_PER_HOUR
    else:
        limit = settings.DISCUSSION_COMMENTS_PER_HOUR
    if ratelimit.take("comment", ratelimit.subject_key(f"user:{user.pk}"), limit) is None:
        minutes = ratelimit.seconds_left() // 60 + 1
        raise Refused(
            _(
                "You have posted many comments in the last hour. Please wait %(minutes)d minutes before "
                "posting again; your text is kept below."
            )
            % {"minutes": minutes},
            429,
        )


def _check_parent(parent: Comment | None, target) -> None:
    if parent is None:
        return
    if parent.target_type_id != ContentType.objects.get_for_model(target).pk or parent.target_id != target.pk:
        raise Refused(_("That comment belongs to another discussion."))
    check_may_reply(parent)


def check_may_reply(parent: Comment) -> None:
    if parent.is_hidden:
        raise Refused(_("Moderators hid that comment: it takes no more replies."))
    if parent.is_deleted:
        raise Refused(_("That comment was deleted: it takes no more replies."))


def post(user, target, body: str, parent: Comment | None = None) -> Comment:
    """Publish ``body`` under ``target`` (in answer to ``parent``), tell the members it mentions."""
    check_may_post(user)
    kind = targets.commentable(target)
    if kind is None or not kind.is_public(target):
        raise Refused(_("This page takes no comments."), 404)
    _check_parent(parent, target)
    _take_post_slot(user)
    with transaction.atomic():
        comment = Comment.objects.create(
            target=target, author=user, parent=parent, body=body, depth=parent.depth + 1 if parent else 0
        )
        comment.communes.set(kind.commune_ids(target))
        activity.record(
            "comment",
            comment,
            title=_("%(name)s commented on %(target)s") % {"name": user.get_username(), "target": target},
            summary=body[:500],
            path=path_of(comment),
            subjects=kind.subjects(target),
        )
        mentions.notify_later(comment)
    return comment


def _check_own(user, comment: Comment) -> None:
    if comment.author_id != user.pk or comment.is_deleted:
        raise Refused(_("Only its author may change a comment."), 403)
    if comment.is_hidden:
        raise Refused(_("Moderators hid this comment: it can no longer be changed."), 403)


def check_editable(user, comment: Comment) -> None:
    _check_own(user, comment)
    if timezone.now() > comment.editable_until():
        raise Refused(
            _("A comment may be edited during %(minutes)d minutes after it is posted.")
            % {"minutes": settings.DISCUSSION_EDIT_MINUTES},
            403,
        )


def edit(user, comment: Comment, body: str) -> Comment:
    check_editable(user, comment)
    comment.body, comment.edited_at = body, timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    return comment


@transaction.atomic
def delete(user, comment: Comment) -> None:
    """The author takes their comment back: a tombstone keeps its replies in place."""
    _check_own(user, comment)
    _wipe(comment)


def _wipe(comment: Comment) -> None:
    comment.is_deleted, comment.body = True, ""
    comment.save(update_fields=["is_deleted", "body", "body_html"])
    activity.retract(comment)


def flag(user, comment: Comment, reason: str, text: str = "") -> Flag:
    if not comment.is_public:
        raise Refused(_("This comment is no longer shown."))
    if not user.is_authenticated:
        raise Refused(_("Log in to flag a comment."), 403)
    found, created = Flag.objects.get_or_create(
        comment=comment, reporter=user, defaults={"reason": reason, "text": text}
    )
    if not created:
        raise Refused(_("You already flagged this comment; moderators will look at it."))
    return found


def _resolve(comment: Comment, resolution: str) -> None:
    comment.flags.open().update(resolved_at=timezone.now(), resolution=resolution)


@transaction.atomic
def hide(moderator, comment: Comment, reason: str) -> None:
    """Hide a comment with a public reason; its body stays for the record, out of every page."""
    if not reason.strip():
        raise Refused(_("Say publicly why the comment is hidden."))
    comment.is_hidden, comment.hidden_reason, comment.hidden_by = True, reason.strip()[:300], moderator
    comment.save(update_fields=["is_hidden", "hidden_reason", "hidden_by"])
    activity.retract(comment)
    _resolve(comment, Resolution.HIDDEN)


@transaction.atomic
def remove(moderator, comment: Comment) -> None:
    _wipe(comment)
    _resolve(comment, Resolution.DELETED)


def dismiss(moderator, comment: Comment) -> None:
    _resolve(comment, Resolution.DISMISSED)


def restrict(moderator, user, days: int, reason: str) -> AccountRestriction:
    if days < 1 or not reason.strip():
        raise Refused(_("Give a number of days and a reason to restrict an account."))
    until = timezone.now() + datetime.timedelta(days=days)
    return AccountRestriction.objects.create(
        user=user, until=until, reason=reason.strip()[:300], by=moderator
    )
