"""Subject keys: how an activity names what it concerns, and how the site names them back.

A key is ``<kind>:<primary key>`` (``commune:42``) or ``site`` for the whole site. The apps that
own a kind of subject register, in their ``AppConfig.ready()``, how to find the object of a key
and its page (``register_kind``), so the follows page and the feeds can show "Nice" with a link
without this app importing the registry.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

SITE = "site"


def key(obj) -> str:
    """The subject key of a model instance: its model name and primary key."""
    return f"{obj._meta.model_name}:{obj.pk}"


def split(subject: str) -> tuple[str, int | None]:
    """("commune", 42) from "commune:42"; ("site", None) for the whole site. ValueError otherwise."""
    if subject == SITE:
        return SITE, None
    kind, _sep, pk = subject.partition(":")
    if not kind or not pk.isdigit():
        raise ValueError(f"Not a subject key: {subject!r}")
    return kind, int(pk)


@dataclass(frozen=True)
class SubjectKind:
    """How to read one kind of subject: ``lookup(pks)`` returns {pk: object} for the public ones."""

    kind: str
    label: Any
    lookup: Callable[[list[int]], dict[int, Any]]


_KINDS: dict[str, SubjectKind] = {}


def register_kind(subject_kind: SubjectKind) -> None:
    if subject_kind.kind in _KINDS and _KINDS[subject_kind.kind] != subject_kind:
        raise ImproperlyConfigured(f"Subject kind {subject_kind.kind!r} is registered twice.")
    _KINDS[subject_kind.kind] = subject_kind


def get_kind(kind: str) -> SubjectKind | None:
    return _KINDS.get(kind)


def resolve(subjects: list[str]) -> dict[str, Any]:
    """The public object of each key, in one query per kind; keys whose object is gone are left out."""
    by_kind: dict[str, list[int]] = {}
    for subject in subjects:
        kind, pk = split(subject)
        if pk is not None:
            by_kind.setdefault(kind, []).append(pk)
    found = {}
    for kind, pks in by_kind.items():
        subject_kind = _KINDS.get(kind)
        if subject_kind is None:
            continue
        for pk, obj in subject_kind.lookup(pks).items():
            found[f"{kind}:{pk}"] = obj
    return found
