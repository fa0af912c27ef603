"""The map's JSON: clustered viewport, a camera's popup, and the filtered downloads."""

import hashlib

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from technopolice.lib import opendata

from .. import exports, mercator
from ..clusters import cells, common, grouping, index
from ..forms import CameraFilterForm
from ..models import Camera

# Cameras change only on imports and accepted proposals: a minute of staleness is fine,
# and lets browsers and proxies answer repeated pans without asking the platform.
CACHE_SECONDS = 60
EXPORT_PAGE_SIZE = 1000


def _filter_form(request) -> CameraFilterForm:
    form = CameraFilterForm(request.GET)
    if not form.is_valid():
        raise opendata.BadRequest(form.first_error())
    return form


def _filtered(request):
    return _filter_form(request).filter(Camera.objects.visible())


def _viewport(request) -> common.Viewport:
    try:
        zoom = int(request.GET.get("zoom", ""))
    except ValueError:
        raise opendata.BadRequest(_("The zoom must be a whole number.")) from None
    try:
        bbox = common.parse_bbox(request.GET.get("bbox", ""))
        return common.Viewport.from_bbox(*bbox, zoom=zoom)
    except common.ViewportError as error:
        raise opendata.BadRequest(str(error)) from None


def _cacheable_json(request, body: dict) -> HttpResponse:
    return _cacheable(request, common.encode(body))


def _cacheable(request, content: bytes) -> HttpResponse:
    """JSON with an ETag from its content, so a repeated request costs no transfer."""
    etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(content, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


@require_GET
def cluster_view(request):
    """``?bbox=west,south,east,north&zoom=Z`` (+ filters) → clusters and single cameras."""
    try:
        viewport = _viewport(request)
        form = _filter_form(request)
    except opendata.BadRequest as error:
        return opendata.respond_error(error)
    return _cacheable(request, _clusters_json(viewport, form))


def _clusters_json(viewport: common.Viewport, form: CameraFilterForm) -> bytes:
    """From this process's in-memory index when it matches the cameras, else from SQL (same bytes)."""
    cell_filters = form.cell_filters()
    if index.can_answer(viewport.zoom, cell_filters, cells.MAX_ZOOM):
        token = cells.index_token()
        opened = index.current(token) if token else None
        if opened is not None:
            return opened.answer(viewport, cell_filters)
    found = grouping.cluster(form.filter(Camera.objects.visible()), viewport, cell_filters)
    return common.encode({"ok": True, **found})


@require_GET
def camera_detail(request, pk: int):
    """What the popup shows of one camera, with its source and the licence it comes under."""
    camera = Camera.objects.visible().select_related("dataset", "commune").filter(pk=pk).first()
    if camera is None:
        return opendata.respond_error(opendata.BadRequest(_("No such camera on the map."), status=404))
    return _cacheable_json(request, {"ok": True, "camera": _detail(camera)})


def _detail(camera: Camera) -> dict:
    dataset = camera.dataset
    return {
        "id": camera.pk,
        "lat": camera.latitude,
        "lon": camera.longitude,
        "surveillance": camera.surveillance,
        "type": camera.surveillance_type,
        "camera_type": camera.camera_type,
        "zone": camera.zone,
        "operator": camera.operator,
        "directions": camera.directions or [],
        "direction_raw": camera.direction_raw,
        "mount": camera.camera_mount,
        "commune": camera.commune.name if camera.commune_id else "",
        "dataset": {"slug": dataset.slug, "name": dataset.name, "kind": dataset.get_kind_display()},
        "attribution": exports.attribution_of(dataset).as_dict(),
        "osm_url": exports.osm_url(camera),
    }


@require_GET
def camera_export(request, fmt: str):
    """The cameras the filters (and the optional box) select, page by page, in three formats."""
    try:
        queryset = _filtered(request).select_related("dataset", "commune").order_by("id")
        if request.GET.get("bbox"):
            bbox = _bbox_only(request)
            queryset = grouping.in_viewport(queryset, bbox)
        page = opendata.paginate(request, queryset, EXPORT_PAGE_SIZE)
    except opendata.BadRequest as error:
        return opendata.respond_error(error)
    next_url = opendata.page_url(request, page.next_page_number() if page.has_next() else None)
    table = exports.camera_table(page, page.paginator.count, next_url)
    if fmt == "geojson":
        return exports.geojson_response(table)
    return opendata.respond(table, fmt)


def _bbox_only(request) -> common.Viewport:
    """A download box is not bound by the map's screen size: only its degrees are checked."""
    try:
        west, south, east, north = common.parse_bbox(request.GET["bbox"])
        common.Viewport.from_bbox(west, south, east, north, zoom=0)
    except common.ViewportError as error:
        raise opendata.BadRequest(str(error)) from None
    x0, y0 = mercator.to_pixels(north, west)
    x1, y1 = mercator.to_pixels(south, east)
    return common.Viewport(0, x0, y0, x1 + 1, y1 + 1)
