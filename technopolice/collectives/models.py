"""Collectives: the local groups that oppose surveillance, their members and the messages sent to them.

A collective is created by someone with a confirmed email, who becomes its first organiser; it
is public (``listed_at``) only once a moderator accepts its proposal in the queue. Its page
and the directory never show a member's account or address: people reach a collective through
the relay (``Conversation``), which hides both sides' addresses behind one address per
conversation.
"""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from technopolice.lib import crypto
from technopolice.lib.text import fold

from .querysets import CollectiveQuerySet


class CollectiveStatus(models.TextChoices):
    PENDING = "pending", _("waiting for a moderator")
    # "listé" / "listée": a collective is masculine in French, the context keeps it apart.
    LISTED = "listed", pgettext_lazy("collective status", "listed")
    REFUSED = "refused", pgettext_lazy("collective status", "refused")


def _logo_name(collective: "Collective", filename: str) -> str:
    # Named after a random token: the upload's own name may say who made it.
    return f"collectives/logos/{secrets.token_hex(16)}.{filename.rsplit('.', 1)[-1]}"


class Collective(models.Model):
    """A local group: what it is, where it acts, how to reach it."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=170, unique=True)
    description = models.TextField(_("description"), max_length=20000, help_text=_("Markdown."))
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    communes = models.ManyToManyField(
        "registry.Commune", related_name="collectives", blank=True, verbose_name=_("communes covered")
    )
    departments = models.ManyToManyField(
        "registry.Department", related_name="collectives", blank=True, verbose_name=_("departments covered")
    )
    website = models.URLField(_("website"), blank=True)
    mastodon = models.CharField(_("Mastodon account"), max_length=200, blank=True)
    matrix = models.CharField(_("Matrix room"), max_length=200, blank=True)
    signal = models.URLField(_("Signal group link"), blank=True)
    accepts_messages = models.BooleanField(
        _("accepts messages"),
        default=True,
        help_text=_("Visitors may write to the organisers through the relay."),
    )
    logo = models.ImageField(_("logo"), upload_to=_logo_name, blank=True, max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=CollectiveStatus, default=CollectiveStatus.PENDING
    )
    is_dormant = models.BooleanField(_("dormant"), default=False)
    is_example = models.BooleanField(
        _("example"), default=False, help_text=_("Demo data, not a real collective.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    listed_at = models.DateTimeField(_("listed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_name = models.CharField(_("folded name"), max_length=150, db_index=True, editable=False)
    # What feeds and digests said about it: deleted with it, so nothing deleted stays in a feed.
    activities = GenericRelation(
        "activity.Activity", content_type_field="object_type", object_id_field="object_id"
    )

    objects = CollectiveQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("collective")
        verbose_name_plural = _("collectives")
        indexes = [models.Index(fields=["status", "search_name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("collectives:detail", args=[self.slug])

    @property
    def is_listed(self) -> bool:
        return self.status == CollectiveStatus.LISTED


class Role(models.TextChoices):
    ORGANISER = "organiser", _("organiser")
    MEMBER = "member", _("member")


class MembershipStatus(models.TextChoices):
    REQUESTED = "requested", _("asked to join")
    ACTIVE = "active", _("member")


class Membership(models.Model):
    """One account in one collective: asked to join, then a member or an organiser."""

    collective = models.ForeignKey(Collective, models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.MEMBER)
    status = models.CharField(
        _("status"), max_length=10, choices=MembershipStatus, default=MembershipStatus.REQUESTED
    )
    requested_at = models.DateTimeField(_("asked"), auto_now_add=True)
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["collective", "user"], name="one_membership_per_user")]

    def __str__(self) -> str:
        return f"{self.user} — {self.collective}"


def _relay_token() -> str:
    return secrets.token_hex(12)


class Conversation(models.Model):
    """A visitor writing to a collective's organisers, through one relay address.

    The visitor's address is sealed with the server's keys (lib.crypto) and read only to relay
    an organiser's answer; organisers' addresses are read from their accounts when a message
    leaves. Neither is ever shown to the other side.
    """

    collective = models.ForeignKey(Collective, models.CASCADE, related_name="conversations")
    token = models.CharField(
        _("relay token"), max_length=32, unique=True, default=_relay_token, editable=False
    )
    subject = models.CharField(pgettext_lazy("email", "subject"), max_length=150)
    visitor_name = models.CharField(_("name given"), max_length=100)
    sealed_visitor_email = models.TextField(editable=False)
    language = models.CharField(max_length=10, default="fr")
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("last message"), auto_now=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return self.subject

    @property
    def visitor_email(self) -> str:
        return crypto.unseal(self.sealed_visitor_email)

    @visitor_email.setter
    def visitor_email(self, value: str) -> None:
        self.sealed_visitor_email = crypto.seal(value)


class Direction(models.TextChoices):
    TO_ORGANISERS = "to_organisers", _("to the organisers")
    TO_VISITOR = "to_visitor", _("to the visitor")


class RelayMessage(models.Model):
    """One message of a conversation, and the relay's outbox: it stays due until the mail server
    takes it, so a message that could not be delivered is retried, never lost."""

    conversation = models.ForeignKey(Conversation, models.CASCADE, related_name="messages")
    direction = models.CharField(_("direction"), max_length=15, choices=Direction)
    body = models.TextField(_("message"), max_length=20000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(pgettext_lazy("email", "sent"), null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("relayed message")
        verbose_name_plural = _("relayed messages")

    def __str__(self) -> str:
        return f"{self.get_direction_display()} ({self.created_at:%Y-%m-%d %H:%M})"
