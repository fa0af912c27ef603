"""Contributed cameras: the proposal form, the photo for moderators, the OSM tags of accepted ones."""

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from technopolice.lib.images import ImageRefused
from technopolice.lib.ratelimit import allow_visitor
from technopolice.lib.uploads import memory_only
from technopolice.moderation.models import Proposal

from .. import actions, tiles
from ..forms import MAX_PHOTO_BYTES, CameraProposalForm
from ..models import Camera, DatasetKind


def _form_page(request, form, status: int = 200):
    tiles_url = reverse("mapdata:tile", args=[0, 0, 0]) if tiles.configured() else ""
    return render(request, "mapdata/propose.html", {"form": form, "tiles_url": tiles_url}, status=status)


# A photo carries its EXIF (GPS position, device serial) until it is cleaned: it is kept in memory
# only, never spooled to a temporary file. Swapping the upload handlers must happen before the CSRF
# check reads POST: hence csrf_exempt outside and csrf_protect inside.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def propose(request):
    memory_only(request, max_bytes=MAX_PHOTO_BYTES)
    return _propose(request)


@csrf_protect
def _propose(request):
    form = CameraProposalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if form.is_bot():
            # Say nothing useful to a bot; keep nothing.
            return render(request, "mapdata/propose_sent.html", {"token": None})
        if not allow_visitor(request, "camera-proposal", settings.RATELIMIT_PROPOSALS_PER_HOUR):
            form.add_error(None, _("Too many proposals from here in the last hour: please try again later."))
            return _form_page(request, form, status=429)
        photo = form.cleaned_data["photo"].read() if form.cleaned_data["photo"] else None
        user = request.user if request.user.is_authenticated else None
        try:
            _proposal, token = actions.propose_camera(
                form.cleaned_data, photo, user, form.cleaned_data["message"]
            )
        except ImageRefused as refused:
            form.add_error("photo", str(refused))
        else:
            # Rendered, not redirected: the private token never sits in a URL or the history.
            return render(request, "mapdata/propose_sent.html", {"token": token})
    return _form_page(request, form, status=400 if request.method == "POST" else 200)


@require_GET
@permission_required("moderation.moderate_proposal", raise_exception=True)
def proposal_photo(request, pk: int):
    """A proposed camera's (cleaned) photo, for moderators only: it is not public until accepted."""
    proposal = get_object_or_404(Proposal, pk=pk, kind="camera")
    name = proposal.payload.get("photo") or ""
    if not name.startswith(actions.PHOTO_FOLDER + "/") or not default_storage.exists(name):
        raise Http404
    response = FileResponse(default_storage.open(name, "rb"))
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def camera_osm_tags(request, pk: int):
    """An accepted contributed camera as OSM tags (text), to be given back to OpenStreetMap."""
    camera = get_object_or_404(Camera.objects.visible(), pk=pk, dataset__kind=DatasetKind.CONTRIBUTION)
    lines = [f"{key}={value}" for key, value in actions.osm_tags(camera).items()]
    header = f"# {camera.latitude:.7f},{camera.longitude:.7f}\n"
    return HttpResponse(header + "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
