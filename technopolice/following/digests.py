"""One person's digest: what happened about what they follow between two watermarks, grouped by
follow, as one plain-text email with its unsubscribe link and headers."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from technopolice.activity import display, querysets, subjects
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


class Names:
    """The name and link of each subject, kept for a run: ten thousand digests name the same few
    hundred communes and technologies, and naming one (a commune and its department) is a query.
    Capped, so a run's memory does not grow with the number of subjects either."""

    CAP = 5_000

    def __init__(self):
        self.known: dict[tuple[str, str], tuple[str, str]] = {}

    def of(self, keys: list[str], language: str) -> dict[str, tuple[str, str]]:
        missing = [k for k in keys if (language, k) not in self.known]
        if missing:
            if len(self.known) > self.CAP:
                self.known.clear()
            found = subjects.resolve(missing)
            for key in missing:
                self.known[language, key] = (_name(key, found), _url(found.get(key)))
        return {key: self.known[language, key] for key in keys}


def groups(
    keys: list[str], after_id: int, upto_id: int, language: str, names: Names | None = None
) -> tuple[list[Group], int]:
    """The activities about ``keys`` in (after_id, upto_id], each under one follow, and how many
    more than MAX_ITEMS there were."""
    found = querysets.about_any(keys, after_id, upto_id).only("id", "kind", "title", "summary", "path")
    activities = list(found[: MAX_ITEMS + 1])
    more = found.count() - MAX_ITEMS if len(activities) > MAX_ITEMS else 0
    activities = activities[:MAX_ITEMS]
    if not activities:
        return [], 0
    named = (names or Names()).of(keys, language)
    by_key = {key: Group(key, *named[key]) for key in keys}
    covers = querysets.subjects_of(a.id for a in activities)
    for activity in activities:
        theirs = set(covers.get(activity.id, ()))
        key = next(k for k in keys if k in theirs)
        activity.link = absolute(activity.path, language)
        activity.label = display.kind_label(activity.kind)
        by_key[key].items.append(activity)
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
    subscription: DigestSubscription, keys: list[str], upto_id: int, names: Names | None = None
) -> EmailMultiAlternatives | None:
    """The digest email, or None when nothing happened about ``keys`` since the last one."""
    language = language_of(subscription)
    with translation.override(language):
        found, more = groups(ordered_keys(keys), subscription.last_activity_id, upto_id, language, names)
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
