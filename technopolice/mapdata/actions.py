"""Writes of the map: a visitor proposes a camera; a moderator's acceptance puts it on the map."""

import re
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from technopolice.lib.images import strip_metadata
from technopolice.moderation import actions as moderation
from technopolice.moderation.models import Proposal, ProposalState

from .models import Camera, CameraDataset, DatasetKind

CONTRIBUTIONS = "contributions"
PHOTO_FOLDER = "camera-photos"
# The names propose_camera gives: nothing else in storage is ever deleted as a proposal's photo.
_PHOTO_NAME = re.compile(rf"{PHOTO_FOLDER}/[0-9a-f]{{32}}\.(jpg|png|webp)")


def contributions_dataset() -> CameraDataset:
    """Cameras the platform's contributors found; ODbL so they can be given back to OpenStreetMap."""
    return CameraDataset.objects.get_or_create(
        slug=CONTRIBUTIONS,
        defaults={
            "kind": DatasetKind.CONTRIBUTION,
            "name": _("Technopolice contributions"),
            "licence": "ODbL 1.0",
            "attribution": _("Technopolice contributors"),
        },
    )[0]


def propose_camera(
    data: dict, photo: bytes | None, contributor=None, message: str = ""
) -> tuple[Proposal, str]:
    """Queue a camera for moderation; returns the proposal and its private follow-up token.

    The photo is re-encoded from its pixels (lib.images) before anything is written: its GPS
    position and device serial never reach the disk. ``ImageRefused`` propagates for non-images.
    """
    clean = strip_metadata(photo) if photo else None
    payload = {
        key: data[key]
        for key in ("latitude", "longitude", "surveillance_type", "camera_type", "zone", "operator")
    }
    payload["directions"] = data["direction"]
    payload["photo"] = ""
    if clean:
        name = f"{PHOTO_FOLDER}/{secrets.token_hex(16)}.{clean.extension}"
        payload["photo"] = default_storage.save(name, ContentFile(clean.content))
    try:
        with transaction.atomic():
            proposal, token = moderation.submit(
                "camera", payload, contributor=contributor, message=message, without_proof_of_work=True
            )
    except Exception:
        if payload["photo"]:  # nothing half-saved: no photo without its proposal
            default_storage.delete(payload["photo"])
        raise
    return proposal, token


def discard_photo(proposal: Proposal) -> bool:
    """Delete a rejected proposal's photo: the platform keeps no photo it will never show.

    An accepted proposal keeps its photo, attached to the camera it became (the proposal's
    target); a photo another proposal still names is kept too. Deleted once the rejection is
    committed, so a rolled-back rejection still has it.
    """
    name = proposal.payload.get("photo") or ""
    if not _PHOTO_NAME.fullmatch(name):
        return False
    others = Proposal.objects.filter(kind="camera", payload__photo=name).exclude(pk=proposal.pk)
    if others.exclude(state=ProposalState.REJECTED).exists():
        return False
    transaction.on_commit(lambda: default_storage.delete(name))
    return True


def accept_camera(proposal: Proposal, moderator) -> Camera:
    """The moderation handler's ``apply``: the proposed camera joins the contributions dataset."""
    payload = proposal.payload
    directions = payload.get("directions") or []
    return Camera.objects.create(
        dataset=contributions_dataset(),
        external_id=f"proposal/{proposal.pk}",
        latitude=payload["latitude"],
        longitude=payload["longitude"],
        surveillance="public",
        surveillance_type=payload.get("surveillance_type", "camera"),
        camera_type=payload.get("camera_type", ""),
        directions=directions,
        direction_raw=";".join(f"{d:g}" for d in directions),
        zone=payload.get("zone", ""),
        operator=payload.get("operator", ""),
    )


def osm_tags(camera: Camera) -> dict[str, str]:
    """The camera as OpenStreetMap surveillance tags, ready to paste into an editor."""
    tags = {
        "man_made": "surveillance",
        "surveillance": camera.surveillance or "public",
        "surveillance:type": camera.surveillance_type or "camera",
        "camera:type": camera.camera_type,
        "camera:direction": ";".join(f"{d:g}" for d in camera.directions or []),
        "camera:mount": camera.camera_mount,
        "surveillance:zone": camera.zone,
        "operator": camera.operator,
    }
    return {key: value for key, value in tags.items() if value}
