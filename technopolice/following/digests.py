"""One person's digest: what happened about what they follow between two watermarks, grouped by
follow, as one plain-text email with its unsubscribe link and headers."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from technopolice.activity import display, subjects
from technopolice.activity.models import Activity, ActivitySubject
from technopolice.lib import mail

from . import tokens
from .models import DigestSubscription

MAX_ITEMS = 100  # per digest; beyond, the email says how many more and links the follows page
# Where an activity covered by several follows is told: under the narrowest of them.
SPECIFICITY = ("dossier", "collective", "commune", "organisation", "technology", "department", "region")


@dataclass
class Group:
    key: str
    name: str
    url: str
    items: list = field(default_factory=list)


def language_of(subscription: DigestSubscription) -> str:
    known = {code for code, _name in settings.LANGUAGES}
    return subscription.language if subscription.language in known else settings.LANGUAGE_CODE


def absolute(path: str, language: str) -> str:
    """A site path without language prefix (as activities store them), as a link from an email."""
    return settings.SITE_URL.rstrip("/") + display.localized(path, language)


def ordered_keys(keys: list[str]) -> list[str]:
    """The narrowest first: a dossier before its commune, a commune before its department."""

    def rank(key: str) -> int:
        kind = key.partition(":")[0]
        return SPECIFICITY.index(kind) if kind in SPECIFICITY else len(SPECIFICITY)

    return sorted(keys, key=rank)  # stable: among equals, the follow made first


def unsubscribe_url(user_id: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("following:unsubscribe", args=[tokens.make(user_id)])


@dataclass(frozen=True)
class Item:
    label: str
    title: str
    link: str


class Cache:
    """What a run reads once for every digest: the name and link of each followed subject (ten
    thousand digests name the same few hundred communes and technologies, and naming a commune
    reads its department) and each activity's kind, title and path (a day's activities are told
    to many people). Each part is capped, so memory does not grow with the run."""

    CAP = 5_000

    def __init__(self):
        self.names: dict[tuple[str, str], tuple[str, str]] = {}
        self.activities: dict[int, tuple[str, str, str]] = {}

    def names_of(self, keys: list[str], language: str) -> dict[str, tuple[str, str]]:
        missing = [k for k in keys if (language, k) not in self.names]
        if missing:
            if len(self.names) > self.CAP:
                self.names.clear()
            found = subjects.resolve(missing)
            for key in missing:
                self.names[language, key] = (_name(key, found), _url(found.get(key)))
        return {key: self.names[language, key] for key in keys}

    def activities_of(self, ids: list[int]) -> dict[int, tuple[str, str, str]]:
        missing = [i for i in ids if i not in self.activities]
        if missing:
            if len(self.activities) > self.CAP:
                self.activities.clear()
            rows = Activity.objects.filter(pk__in=missing).values_list("id", "kind", "title", "path")
            self.activities.update((pk, (kind, title, path)) for pk, kind, title, path in rows)
        return {i: self.activities[i] for i in ids if i in self.activities}


def placed(keys: list[str], after_id: int, upto_id: int) -> dict[int, str]:
    """The activities about ``keys`` in (after_id, upto_id], each once, with the first of ``keys``
    that covers it (the list comes narrowest first)."""
    rank = {key: n for n, key in enumerate(keys)}
    rows = ActivitySubject.objects.filter(key__in=keys, activity_id__gt=after_id, activity_id__lte=upto_id)
    found: dict[int, str] = {}
    # Not .iterator(): on PostgreSQL it opens a server-side cursor, four round trips a digest for
    # rows that fit in memory anyway (one person's activities since their last digest).
    for activity_id, key in rows.values_list("activity_id", "key"):
        if activity_id not in found or rank[key] < rank[found[activity_id]]:
            found[activity_id] = key
    return found


def groups(
    keys: list[str], after_id: int, upto_id: int, language: str, cache: Cache | None = None
) -> tuple[list[Group], int]:
    """The activities about ``keys`` in (after_id, upto_id], oldest first, each under one follow,
    and how many more than MAX_ITEMS there were."""
    cache = cache or Cache()
    covered = placed(keys, after_id, upto_id)
    ids = sorted(covered)
    more, ids = max(len(ids) - MAX_ITEMS, 0), ids[:MAX_ITEMS]
    activities = cache.activities_of(ids)
    if not activities:
        return [], 0
    by_key = {key: Group(key, *named) for key, named in cache.names_of(keys, language).items()}
    for activity_id, (kind, title, path) in activities.items():
        item = Item(display.kind_label(kind), title, absolute(path, language))
        by_key[covered[activity_id]].items.append(item)
    return [g for g in by_key.values() if g.items], more


def _name(key: str, names: dict) -> str:
    obj = names.get(key)
    if obj is not None:
        return str(obj)
    kind = subjects.get_kind(key.partition(":")[0])
    return f"{kind.label if kind else key} ({_('no longer public')})"


def _url(obj) -> str:
    if obj is None or not hasattr(obj, "get_absolute_url"):
        return ""
    return settings.SITE_URL.rstrip("/") + obj.get_absolute_url()


def build(
    subscription: DigestSubscription, keys: list[str], upto_id: int, cache: Cache | None = None
) -> EmailMultiAlternatives | None:
    """The digest email, or None when nothing happened about ``keys`` since the last one."""
    language = language_of(subscription)
    with translation.override(language):
        found, more = groups(ordered_keys(keys), subscription.last_activity_id, upto_id, language, cache)
        if not found:
            return None
        unsubscribe = unsubscribe_url(subscription.user_id)
        context = {
            "groups": found,
            "count": sum(len(g.items) for g in found) + more,
            "more": more,
            "frequency": subscription.get_frequency_display(),
            "follows_url": settings.SITE_URL.rstrip("/") + reverse("following:mine"),
            "unsubscribe_url": unsubscribe,
        }
        subject = " ".join(mail.render_text("following/emails/digest_subject.txt", context).split())
        body = mail.render_text("following/emails/digest.txt", context)
    headers = {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return EmailMultiAlternatives(
        subject, body, settings.DEFAULT_FROM_EMAIL, [subscription.user.email], headers=headers
    )
