"""What can wait in the moderation queue: each domain app registers its kinds here.

The queue, the decision views, the follow-up page and "my proposals" are written once, in
this app, and know no domain: a domain (dossiers, cameras, documents) says how to review a
payload, what an edit would change and how to publish it. Apps register their kinds in
their ``AppConfig.ready()``, so moderation never imports a domain app.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class ProposalKindHandler:
    """How one kind of proposal is reviewed and published.

    - ``review_template`` renders the payload for moderators and for the contributor's
      follow-up page (context: ``proposal``, ``payload``).
    - ``apply(proposal, moderator)`` publishes the payload and returns the public object,
      which becomes the proposal's target; it runs inside the transaction that marks the
      proposal accepted, so a failure leaves the queue untouched. It raises
      ``ValidationError`` to refuse.
    - ``edit_url(proposal)``, when given, is where a moderator edits before accepting.
    - ``changes(proposal)``, when given, says what a pending edit would change in its
      target (None when there is nothing to compare); ``changes_template`` renders it
      (context: ``proposal``, ``changes``).
    - ``propose_url``, when given, is the URL name of the public form that sends this kind:
      "my proposals" offers it to a contributor who has proposed nothing yet.
    - ``reject(proposal, moderator)``, when given, runs inside the transaction that marks the
      proposal rejected: for a kind whose object exists before moderation (a collective
      waiting to be listed), it says what becomes of it.
    """

    kind: str
    label: Any
    review_template: str
    apply: Callable[..., Any]
    edit_url: Callable[..., str] | None = None
    changes: Callable[..., Any] | None = None
    changes_template: str | None = None
    propose_url: str | None = None
    reject: Callable[..., Any] | None = None


_KINDS: dict[str, ProposalKindHandler] = {}


def register(handler: ProposalKindHandler) -> None:
    if handler.kind in _KINDS and _KINDS[handler.kind] != handler:
        raise ImproperlyConfigured(f"Proposal kind {handler.kind!r} is registered twice.")
    if (handler.changes is None) != (handler.changes_template is None):
        raise ImproperlyConfigured(f"Proposal kind {handler.kind!r}: changes needs changes_template.")
    _KINDS[handler.kind] = handler


def get_kind(kind: str) -> ProposalKindHandler:
    try:
        return _KINDS[kind]
    except KeyError:
        raise ImproperlyConfigured(f"No app registered the proposal kind {kind!r}.") from None


def registered_kinds() -> list[ProposalKindHandler]:
    return list(_KINDS.values())
