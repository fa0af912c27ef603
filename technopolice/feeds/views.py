"""Atom feeds of activity, without an account: the whole site, and each subject people follow.

Each feed reads ``activity.querysets.about`` for one subject key: what was recorded about it, so
what was retracted (a hidden comment) is in no feed. A feed in English (/en/flux/...) links the
English pages; entry ids are tag URIs of the activity, the same in every language and forever.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from technopolice.activity import querysets, subjects
from technopolice.activity.display import kind_label, localized
from technopolice.collectives.models import Collective
from technopolice.registry.models import Commune, Department, Dossier, Organisation, Region, Technology

SITE_NAME = "Technopolice"


class ActivityFeed(Feed):
    """The whole site's feed; subclasses name a model and read one object's subject key."""

    feed_type = Atom1Feed
    author_name = SITE_NAME
    item_guid_is_permalink = False

    def get_object(self, request, slug=None):
        return None

    def subject(self, obj) -> str:
        return subjects.SITE

    def title(self, obj):
        return _("Technopolice: what happens on the platform")

    def subtitle(self, obj):
        return _("New and changed dossiers, outcomes, documents, events, collectives and comments.")

    def link(self, obj):
        return reverse("pages:home")

    def items(self, obj):
        return querysets.about(self.subject(obj))

    def item_title(self, item):
        # French puts a space before the colon: the pattern is translated, not only the words.
        return gettext("%(kind)s: %(title)s") % {"kind": kind_label(item.kind), "title": item.title}

    def item_link(self, item):
        return localized(item.path, get_language())

    def item_description(self, item):
        # Atom's summary is typed html: the plain text of an activity is escaped to stay plain.
        return escape(item.summary) if item.summary else None

    def item_guid(self, item):
        host = urlsplit(settings.SITE_URL).hostname
        return f"tag:{host},{item.created_at:%Y-%m-%d}:activity:{item.pk}"

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.created_at


class SubjectFeed(ActivityFeed):
    """One public object's feed: 404 for a slug that names nothing public."""

    queryset = None

    def get_object(self, request, slug=None):
        return get_object_or_404(self.queryset, slug=slug)

    def subject(self, obj) -> str:
        return subjects.key(obj)

    def title(self, obj):
        return _("Technopolice: %(name)s") % {"name": obj}

    def subtitle(self, obj):
        return _("What happens about %(name)s on Technopolice.") % {"name": obj}

    def link(self, obj):
        return obj.get_absolute_url()


def subject_feed(queryset) -> SubjectFeed:
    return type(f"{queryset.model.__name__}Feed", (SubjectFeed,), {"queryset": queryset})()


site = ActivityFeed()
commune = subject_feed(Commune.objects.select_related("department"))
department = subject_feed(Department.objects.all())
region = subject_feed(Region.objects.all())
technology = subject_feed(Technology.objects.all())
organisation = subject_feed(Organisation.objects.all())
dossier = subject_feed(Dossier.objects.all())
# A collective waiting for a moderator, or refused, has no feed: its page is not public either.
collective = subject_feed(Collective.objects.listed())
