"""Comments on dossiers, documents and collectives, their flags, and accounts barred from posting.

A comment is never removed from its thread: deleting it wipes its body and keeps a tombstone,
so the replies under it keep their place; hiding it (a moderator's decision) keeps the body for
the record but shows only the public reason.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import markup

MAX_BODY = 10_000


class CommentQuerySet(models.QuerySet):
    def public(self):
        """Comments whose body anyone may read: neither hidden nor deleted."""
        return self.filter(is_hidden=False, is_deleted=False)

    def on(self, obj):
        return self.filter(target_type=ContentType.objects.get_for_model(obj), target_id=obj.pk)


class Comment(models.Model):
    """What a member said about a dossier, a document or a collective, possibly in answer to another."""

    target_type = models.ForeignKey(ContentType, models.CASCADE, related_name="+", verbose_name=_("about a"))
    target_id = models.PositiveBigIntegerField(_("about"))
    target = GenericForeignKey("target_type", "target_id")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="comments",
        verbose_name=_("author"),
        help_text=_("Empty once the account is closed; the comment stays in its thread."),
    )
    parent = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="replies", verbose_name=_("in reply to")
    )
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    body = models.TextField(_("text"), max_length=MAX_BODY, help_text=_("Markdown."))
    # Rendered once when saved: a page of 200 comments renders no Markdown.
    body_html = models.TextField(_("text as HTML"), blank=True, editable=False)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden by moderators"), default=False)
    hidden_reason = models.CharField(
        _("public reason"), max_length=300, blank=True, help_text=_("Shown in place of the comment.")
    )
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    is_deleted = models.BooleanField(_("deleted"), default=False)
    # The communes of its target when posted, for the commune's discussion page (one query).
    communes = models.ManyToManyField(
        "registry.Commune", related_name="comments", blank=True, verbose_name=_("communes")
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        permissions = [("moderate_comment", _("Can hide and delete comments and restrict their authors"))]
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"], name="comment_target")]

    def __str__(self) -> str:
        return f"#{self.pk}"

    def save(self, *args, **kwargs):
        self.body_html = markup.to_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("discussion:permalink", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return not (self.is_hidden or self.is_deleted)

    def editable_until(self):
        return self.created_at + timezone.timedelta(minutes=settings.DISCUSSION_EDIT_MINUTES)


class FlagReason(models.TextChoices):
    SPAM = "spam", _("spam or advertising")
    ABUSE = "abuse", _("insults, harassment or hate")
    PERSONAL = "personal", _("personal data about someone")
    ILLEGAL = "illegal", _("unlawful content")
    OTHER = "other", _("something else")


class Resolution(models.TextChoices):
    HIDDEN = "hidden", _("comment hidden")
    DELETED = "deleted", _("comment deleted")
    DISMISSED = "dismissed", _("dismissed")


class FlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class Flag(models.Model):
    """A member asking moderators to look at a comment."""

    comment = models.ForeignKey(Comment, models.CASCADE, related_name="flags", verbose_name=_("comment"))
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("reported by")
    )
    reason = models.CharField(_("reason"), max_length=10, choices=FlagReason)
    text = models.CharField(_("details"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("flagged"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution = models.CharField(_("resolution"), max_length=10, choices=Resolution, blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [models.UniqueConstraint(fields=["comment", "reporter"], name="one_flag_per_reporter")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} (#{self.comment_id})"


class RestrictionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(until__gt=timezone.now())


class AccountRestriction(models.Model):
    """A moderator's decision that an account may not post comments until a date."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="comment_restrictions",
        verbose_name=_("account"),
    )
    until = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=300)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("decided by")
    )
    created_at = models.DateTimeField(_("decided"), auto_now_add=True)

    objects = RestrictionQuerySet.as_manager()

    class Meta:
        ordering = ["-until"]
        verbose_name = _("account restriction")
        verbose_name_plural = _("account restrictions")

    def __str__(self) -> str:
        return f"{self.user} → {self.until:%Y-%m-%d}"
