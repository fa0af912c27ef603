"""What can wait in the moderation queue: each domain app registers its kinds here.

The queue, the decision views and the follow-up page are written once, in this app; a
domain (dossiers, cameras, documents) only says how to review a payload and how to
publish it. Apps register their kinds in ``AppConfig.ready()``.
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
    - ``apply(proposal, moderator)`` publishes the payload and returns the public object;
      it runs inside the transaction that marks the proposal accepted, so a failure
      leaves the queue untouched. It raises ``ValidationError`` to refuse.
    - ``edit_url(proposal)``, when given, is where a moderator edits before accepting.
    """

    kind: str
    label: Any
    review_template: str
    apply: Callable[..., Any]
    edit_url: Callable[..., str] | None = None


_KINDS: dict[str, ProposalKindHandler] = {}


def register(handler: ProposalKindHandler) -> None:
    if handler.kind in _KINDS and _KINDS[handler.kind] != handler:
        raise ImproperlyConfigured(f"Proposal kind {handler.kind!r} is registered twice.")
    _KINDS[handler.kind] = handler


def get_kind(kind: str) -> ProposalKindHandler:
    try:
        return _KINDS[kind]
    except KeyError:
        raise ImproperlyConfigured(f"No app registered the proposal kind {kind!r}.") from None


def registered_kinds() -> list[ProposalKindHandler]:
    return list(_KINDS.values())
