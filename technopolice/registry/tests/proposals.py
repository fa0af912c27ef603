"""Proposals for tests, sent through the same verb as the public form."""

from technopolice.moderation import actions

from .factories import dossier_payload


def propose(payload: dict | None = None, *, dossier=None, contributor=None, message: str = ""):
    """A pending dossier proposal (an edit of ``dossier`` when given) and its follow-up token."""
    payload = payload if payload is not None else dossier_payload()
    return actions.submit("dossier", payload, contributor=contributor, target=dossier, message=message)
