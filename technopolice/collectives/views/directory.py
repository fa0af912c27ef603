"""The directory of collectives (with its twins), a collective's page and its logo.

Only listed collectives are public. A collective waiting for a moderator (or refused) is shown to
its members and to moderators, with a banner, and is a 404 for everyone else. Neither the
directory nor its twins carry anything about members; a collective's page lists its members
(by their public name, never an address) to its members only, and their number to others.
"""

import re
from urllib.parse import quote

from django.core.files.storage import default_storage
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from technopolice.lib import opendata
from technopolice.lib.markdown import render as render_markdown
from technopolice.lib.opendata import Column
from technopolice.moderation.permissions import can_moderate
from technopolice.registry.listing import url_maker
from technopolice.registry.models import Commune, Department
from technopolice.registry.sections import filled, section
from technopolice.registry.views.common import REGISTRY_ATTRIBUTION, check_form, page_table, serve_list

from ..area import area_of
from ..filters import DirectoryFilterForm, filter_collectives, nearest_first
from ..models import Collective, Membership, MembershipStatus, Role

# Cards with a description's first lines: fewer per page than the registry's table rows.
PER_PAGE = 20
LOGO_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}

COLUMNS = [
    Column("name", lambda c: c.name),
    Column("slug", lambda c: c.slug),
    Column("url", lambda c: c.get_absolute_url()),
    Column("description", lambda c: c.description),
    Column("communes", lambda c: [commune.insee for commune in c.communes.all()]),
    Column("departments", lambda c: [department.code for department in c.departments.all()]),
    Column("website", lambda c: c.website),
    Column("mastodon", lambda c: c.mastodon),
    Column("matrix", lambda c: c.matrix),
    Column("signal", lambda c: c.signal),
    Column("founded_on", lambda c: c.founded_on),
    Column("dormant", lambda c: c.is_dormant),
    Column("example", lambda c: c.is_example),
    Column("listed_at", lambda c: c.listed_at),
    # Filled by a search near a commune: how far the nearest place the collective covers lies.
    Column("distance_km", lambda c: getattr(c, "distance_km", None)),
]


def with_places(collectives) -> list[Collective]:
    """The collectives with their communes and departments (two queries for the whole page), and
    ``place_links``, (name, URL) of each, the URLs reversed once per page (registry.listing)."""
    collectives = list(collectives)
    prefetch_related_objects(
        collectives,
        Prefetch("communes", Commune.objects.only("pk", "name", "slug", "insee").order_by("name")),
        Prefetch("departments", Department.objects.only("pk", "name", "slug", "code").order_by("code")),
    )
    commune_url, department_url = url_maker("registry:commune"), url_maker("registry:department")
    for collective in collectives:
        collective.place_links = [(c.name, commune_url(c.slug)) for c in collective.communes.all()] + [
            (f"{d.name} ({d.code})", department_url(d.slug)) for d in collective.departments.all()
        ]
    return collectives


def _by_distance(rows: list[tuple[float, int]]) -> list[Collective]:
    """A page of (km, id), sorted by the search near a commune, as collectives with their distance."""
    found = Collective.objects.in_bulk([pk for _km, pk in rows])
    collectives = []
    for km, pk in rows:
        found[pk].distance_km = round(km, 1)
        collectives.append(found[pk])
    return with_places(collectives)


def _build_directory(request):
    form = DirectoryFilterForm(request.GET)
    data = check_form(form)
    collectives = filter_collectives(Collective.objects.listed(), data)
    if data.get("near"):
        rows, prepare = nearest_first(collectives, data), _by_distance
    else:
        # Django's paginator, a count and a page: PostgreSQL reads the page from the (status,
        # search_name) index, where reading every id in order (lib.pagination) sorted them all.
        rows, prepare = collectives.order_by("search_name", "pk"), with_places
    table, page = page_table(request, "collectives", COLUMNS, rows, [REGISTRY_ATTRIBUTION], PER_PAGE, prepare)
    context = {"form": form, "page": page, "near": data.get("near"), "radius": data.get("radius")}
    return table, {**context, "twins": _twin_urls(request)}


def _twin_urls(request) -> dict[str, str]:
    """The directory's twins keep its query: /collectifs/collectifs.json?near=Nice."""
    query = request.GET.urlencode()
    return {
        fmt: reverse("collectives:list_data", args=[fmt]) + (f"?{query}" if query else "")
        for fmt in opendata.FORMATS
    }


@require_safe
def directory(request, fmt=None):
    """Listed collectives, filtered by the query string; ``fmt`` serves the .json/.csv twin."""
    return serve_list(request, fmt, _build_directory, "collectives/directory.html")


def is_member(collective: Collective, user) -> bool:
    """An active member or organiser (a request to join does not count)."""
    return user.is_authenticated and (
        Membership.objects.filter(collective=collective, user=user, status=MembershipStatus.ACTIVE).exists()
    )


def visible_collective(request, slug: str) -> Collective:
    """The collective, if the visitor may see it: listed, or they are a member or a moderator."""
    collective = get_object_or_404(Collective, slug=slug)
    if collective.is_listed or can_moderate(request.user) or is_member(collective, request.user):
        return collective
    raise Http404


def _members(collective: Collective) -> list[Membership]:
    """Active members, organisers first, by their public name (the account's username)."""
    memberships = collective.memberships.filter(status=MembershipStatus.ACTIVE).select_related("user")
    organisers_first = {Role.ORGANISER: 0, Role.MEMBER: 1}
    return sorted(memberships, key=lambda m: (organisers_first.get(m.role, 2), m.user.username.lower()))


def _dossier_section(area):
    """The registry's dossiers of the area, as a place page shows them (registry.sections)."""
    if area.is_empty:
        return None
    (found,) = filled(
        section(_("Dossiers of its area"), area.dossier_condition(), area.dossier_list_filters())
    )
    return found


MASTODON_HANDLE = re.compile(r"^@?(?P<user>[\w.]+)@(?P<host>[\w.-]+\.[a-z]{2,})$", re.IGNORECASE)


def _mastodon_url(account: str) -> str | None:
    """``@name@instance.org`` is the profile https://instance.org/@name; an https link is itself."""
    if match := MASTODON_HANDLE.match(account.strip()):
        return f"https://{match['host']}/@{match['user']}"
    return account if account.startswith("https://") else None


def _matrix_url(room: str) -> str | None:
    """A room alias or id (#room:server, !id:server) opens through matrix.to, any client's link."""
    room = room.strip()
    if room.startswith("https://"):
        return room
    return "https://matrix.to/#/" + quote(room, safe="#!:@") if room[:1] in "#!@" else None


def contact_links(collective: Collective) -> list[tuple[str, str, str | None]]:
    """(label, text, URL or None) of each way to reach the collective besides the relay."""
    links = [
        (_("Website"), collective.website, collective.website),
        ("Mastodon", collective.mastodon, _mastodon_url(collective.mastodon)),
        ("Matrix", collective.matrix, _matrix_url(collective.matrix)),
        ("Signal", collective.signal and _("join the group"), collective.signal),
    ]
    return [(label, text, url or None) for label, text, url in links if text]


@require_safe
def collective_detail(request, slug):
    collective = visible_collective(request, slug)
    area = area_of(collective)
    members = _members(collective)
    mine = next((m for m in members if m.user_id == request.user.pk), None)
    context = {
        "collective": collective,
        "description": render_markdown(collective.description),
        "area": area,
        "dossiers": _dossier_section(area),
        "camera_count": area.camera_count(),
        "map_url": area.map_url(),
        "links": contact_links(collective),
        "is_member": mine is not None,
        "is_organiser": mine is not None and mine.role == Role.ORGANISER,
        # Members' names are for members only; others learn how many they are.
        "members": members if mine else None,
        "member_count": len(members),
    }
    return render(request, "collectives/detail.html", context)


@require_safe
def collective_logo(request, slug):
    """The logo, cleaned of its metadata when it was uploaded, seen by whoever may see the page."""
    collective = visible_collective(request, slug)
    name = collective.logo.name
    extension = name.rsplit(".", 1)[-1].lower()
    if not name.startswith("collectives/logos/") or extension not in LOGO_TYPES:
        raise Http404
    if not default_storage.exists(name):
        raise Http404
    response = FileResponse(default_storage.open(name, "rb"), content_type=LOGO_TYPES[extension])
    # A pending collective's logo is not public yet: no shared cache may keep it.
    response["Cache-Control"] = "public, max-age=3600" if collective.is_listed else "private, no-store"
    return response
