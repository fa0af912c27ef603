"""The moderation queue: what visitors propose waits here until a moderator decides."""

import email.parser
import email.policy
import hashlib
import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .kinds import ProposalKindHandler, get_kind


class ProposalState(models.TextChoices):
    PENDING = "pending", _("waiting for moderation")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class ProposalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=ProposalState.PENDING)


def hash_token(token: str) -> str:
    """Only the hash of a follow-up token is stored: a database leak reveals no working link."""
    return hashlib.sha256(token.encode()).hexdigest()


class Proposal(models.Model):
    """Something a visitor proposes: a new dossier or an edit to one, a camera, a document...

    The payload is what the kind's handler (moderation.kinds) knows how to review and apply.
    The target is the public object the proposal is about: the object an edit changes, set
    when it is sent, or the object an accepted proposal published, set on acceptance. It is
    generic (a content type and an id), so this app knows no domain model. Nothing of the
    payload is public until a moderator accepts it. Anonymous proposals keep nothing that
    identifies their author; the author follows the proposal through a private link whose
    token is stored hashed.
    """

    # Not a choices field: each domain app registers its kinds (moderation.kinds), so adding
    # cameras or documents to the queue needs no migration of this app.
    kind = models.CharField(_("kind"), max_length=20, db_index=True)
    target_type = models.ForeignKey(
        ContentType, models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("target type")
    )
    target_id = models.PositiveBigIntegerField(
        _("target id"),
        null=True,
        blank=True,
        help_text=_("Empty for something new, until it is accepted."),
    )
    target = GenericForeignKey("target_type", "target_id")
    payload = models.JSONField(_("proposed content"))
    message = models.TextField(_("note to the moderators"), blank=True, max_length=5000)
    state = models.CharField(_("state"), max_length=10, choices=ProposalState, default=ProposalState.PENDING)
    contributor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("contributor"),
        help_text=_("Empty for anonymous proposals: the platform never records who sent them."),
    )
    token_hash = models.CharField(_("follow-up token (hashed)"), max_length=64, unique=True, editable=False)
    without_proof_of_work = models.BooleanField(
        _("sent without proof of work"),
        default=False,
        help_text=_("The visitor had no JavaScript: the anti-spam challenge could not be solved."),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    reason = models.TextField(
        _("reason"), blank=True, max_length=5000, help_text=_("Shown to the contributor.")
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="moderation_proposal_target")]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        permissions = [("moderate_proposal", _("Can accept, edit or reject proposals"))]

    def __str__(self) -> str:
        return str(self.payload.get("title", "")) or f"#{self.pk}"

    @property
    def handler(self) -> ProposalKindHandler:
        return get_kind(self.kind)

    def issue_token(self) -> str:
        """Give the proposal a fresh private follow-up token and return it, once."""
        token = secrets.token_urlsafe(24)
        self.token_hash = hash_token(token)
        return token

    @property
    def is_edit(self) -> bool:
        """A pending proposal with a target changes something already public."""
        return self.target_id is not None and self.state == ProposalState.PENDING

    def changes(self):
        """What this pending edit would change in its target, as its kind describes it; else None."""
        handler = self.handler
        if handler.changes is None or not self.is_edit:
            return None
        return handler.changes(self)

    def decide(self, state: str, moderator, reason: str = "") -> None:
        """The one way a proposal leaves the queue; a decided proposal cannot be decided again."""
        if self.state != ProposalState.PENDING:
            raise ValidationError(_("This proposal has already been decided."))
        if state == ProposalState.REJECTED and not reason.strip():
            raise ValidationError(_("Say why the proposal is rejected: the contributor will read it."))
        self.state = state
        self.reason = reason
        self.decided_by = moderator
        self.decided_at = timezone.now()


class HeldMessage(models.Model):
    """An inbound email no mailbox took (unknown address or sender, unreadable): kept, never dropped,
    until a moderator reads and discards it (moderation.inbound)."""

    raw = models.BinaryField(_("message as received"))
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    reason = models.CharField(_("reason"), max_length=200)
    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("held email")
        verbose_name_plural = _("held emails")

    def __str__(self) -> str:
        return self.subject or f"#{self.pk}"

    @property
    def headers(self) -> str:
        """The header block as received, decoded leniently: what a moderator needs to judge it."""
        head = bytes(self.raw).split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
        return head.decode("utf-8", errors="replace")

    @property
    def subject(self) -> str:
        parser = email.parser.BytesHeaderParser(policy=email.policy.default)
        try:
            return " ".join(str(parser.parsebytes(bytes(self.raw)).get("Subject", "")).split())[:200]
        except (ValueError, LookupError, TypeError, IndexError, UnicodeError):  # a header past reading
            return ""
